// `npm test`: typecheck (and the layer check), format and lint, then every suite; ends with one plain
// "N passed, N failed" line for CI.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from './reader-process.ts';

const resultsDir = resolve(repoRoot, '.tmp/test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

interface Suite {
  name: string;
  config: string;
}

const suites: Suite[] = [
  { name: 'unit (Node, fake-indexeddb)', config: 'vitest.unit.config.mts' },
  { name: 'edge (workerd)', config: 'vitest.config.mts' },
  { name: 'end to end (wrangler dev over HTTP)', config: 'vitest.e2e.config.mts' },
  { name: 'browser (Debian Chromium)', config: 'vitest.browser.config.mts' },
];

const bin = (name: string) => resolve(repoRoot, 'node_modules/.bin', name);
let passed = 0;
let failed = 0;
let broken = false;

console.log('== typecheck (tsc -b, then the layer check)');
const tsc = spawnSync(bin('tsc'), ['-b'], { cwd: repoRoot, stdio: 'inherit' });
const layers = spawnSync(process.execPath, [resolve(repoRoot, 'scripts/check-layers.ts')], {
  cwd: repoRoot,
  stdio: 'inherit',
});
if (tsc.status !== 0 || layers.status !== 0) {
  console.log('typecheck failed');
  broken = true;
}

console.log('\n== format and lint (biome ci; `npm run format` fixes what it can)');
const biome = spawnSync(bin('biome'), ['ci', '.', '--colors=off'], { cwd: repoRoot, stdio: 'inherit' });
if (biome.status !== 0) {
  console.log('format or lint failed');
  broken = true;
}

for (const suite of suites) {
  console.log(`\n== ${suite.name}`);
  const output = resolve(resultsDir, `${suite.config}.json`);
  const run = spawnSync(
    bin('vitest'),
    ['run', '--config', suite.config, '--reporter=default', '--reporter=json', `--outputFile.json=${output}`],
    { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, CI: 'true' } },
  );
  try {
    const report = JSON.parse(readFileSync(output, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numTotalTests: number;
    };
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    if (run.status !== 0 && report.numFailedTests === 0) broken = true;
  } catch {
    console.log(`${suite.name}: no results were written (vitest exited with ${run.status})`);
    broken = true;
  }
}

console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || broken ? 1 : 0);
