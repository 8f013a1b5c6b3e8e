// The import rules tsc cannot see, checked by `npm run typecheck` (and so `npm test`): only contract/ crosses a tier
// (and markup/, the page templates the edge and the service worker both render),
// worker-edge/'s layers only point down, no import cycle, SQL only in store/, and bench/ may use scripts/ but not
// the reverse.
// A plain Node script rather than a test: the workerd suite cannot read source files, and it fails in well under a second.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const edge = 'worker-edge/';

/**
 * Top to bottom: a file may import its own layer or one below it, except the layers it `skips`. Every edge file
 * must fall in one. The reader is pure (fetch, parse, sanitise, extract): it never reaches the store.
 */
const EDGE_LAYERS: Array<{ name: string; paths: string[]; skips?: string[] }> = [
  { name: 'http', paths: ['index.ts', 'app.ts', 'api/', 'pages/', 'middleware/'] },
  { name: 'jobs', paths: ['jobs/', 'config.ts', 'platform/', 'seed/'] },
  { name: 'reader', paths: ['feeds/', 'articles/', 'html/', 'net/', 'images/', 'search/'], skips: ['store'] },
  { name: 'store', paths: ['store/'] },
  { name: 'model', paths: ['model/'] },
];
/** D1 is spoken to only by the store, and by the meter that wraps the binding to count what an invocation spends. */
const SQL_ALLOWED = ['store/', 'platform/invocation-meter.ts'];
const SQL_CALL = /\.(prepare|batch)\s*\(/;

function sourceFiles(dir: string): string[] {
  return readdirSync(resolve(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => `${dir}${f}`);
}

function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(resolve(root, file), 'utf8'), true, true);
  return importedFiles
    .map((i) => i.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => relative(root, resolve(root, dirname(file), name)));
}

/** The three tiers run in three places; what they share is the contract, which itself depends on nothing. */
const TIERS = ['worker-edge/', 'sw/', 'web/', 'contract/', 'markup/'];
const CONTRACT = 'contract/';
/**
 * The page templates (hono/jsx, no I/O): the edge renders them online and the service worker renders the same list
 * offline from what the device holds, so Latest is one markup in both places. They use only the contract; the page
 * script (web/) enhances the DOM it is given and renders no page, so it does not import them.
 */
const MARKUP = 'markup/';
const MARKUP_USERS = ['worker-edge/', 'sw/'];

function mayImport(tier: string, target: string): boolean {
  if (target.startsWith(tier)) return true;
  if (tier === CONTRACT) return false;
  return target.startsWith(CONTRACT) || (target.startsWith(MARKUP) && MARKUP_USERS.includes(tier));
}

function layerOf(file: string): number {
  const path = file.slice(edge.length);
  return EDGE_LAYERS.findIndex((layer) => layer.paths.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p)));
}

const problems: string[] = [];

for (const tier of TIERS) {
  for (const file of sourceFiles(tier)) {
    for (const target of importsOf(file)) {
      if (!mayImport(tier, target))
        problems.push(
          `${file} imports ${target}: only ${CONTRACT} crosses a tier (and ${MARKUP}, into ${MARKUP_USERS.join(' and ')})${tier === CONTRACT ? '; the contract imports nothing' : ''}`,
        );
    }
  }
}
const edgeFiles = sourceFiles(edge).filter((f) => !f.startsWith(`${edge}node_modules/`));
const graph = new Map<string, string[]>();

for (const file of edgeFiles) {
  const layer = layerOf(file);
  if (layer < 0) problems.push(`${file}: in no layer (add its folder to EDGE_LAYERS in scripts/check-layers.ts)`);
  const targets = importsOf(file).filter((t) => t.startsWith(edge));
  graph.set(file, targets);
  for (const target of targets) {
    const targetLayer = layerOf(target);
    if (layer < 0 || targetLayer < 0) continue;
    const [from, to] = [EDGE_LAYERS[layer]!, EDGE_LAYERS[targetLayer]!];
    if (targetLayer < layer) problems.push(`${file} (${from.name}) imports ${target} (${to.name}), a layer above it`);
    if (from.skips?.includes(to.name))
      problems.push(`${file} (${from.name}) imports ${target}: the ${from.name} never uses the ${to.name}`);
  }
  const path = file.slice(edge.length);
  if (!SQL_ALLOWED.some((p) => path.startsWith(p))) {
    readFileSync(resolve(root, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (SQL_CALL.test(line)) problems.push(`${file}:${i + 1}: D1 call outside store/: ${line.trim()}`);
      });
  }
}

// Cycles, found by a depth-first walk; each reported once, from its first file in path order.
const state = new Map<string, 'open' | 'done'>();
const walk = (file: string, path: string[]) => {
  state.set(file, 'open');
  for (const next of graph.get(file) ?? []) {
    if (state.get(next) === 'open')
      problems.push(`import cycle: ${[...path.slice(path.indexOf(next)), next].join(' → ')}`);
    else if (!state.has(next)) walk(next, [...path, next]);
  }
  state.set(file, 'done');
};
for (const file of [...graph.keys()].sort()) if (!state.has(file)) walk(file, [file]);

for (const file of sourceFiles('scripts/')) {
  for (const target of importsOf(file))
    if (target.startsWith('bench/'))
      problems.push(`${file} imports ${target}: bench/ builds on scripts/, not the reverse`);
}

if (problems.length > 0) {
  console.error(`check-layers: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(
  `check-layers: tiers share only ${CONTRACT} (and ${MARKUP} for the edge and the service worker); ${edgeFiles.length} edge files in ${EDGE_LAYERS.map((l) => l.name).join(' → ')}, no upward import, no cycle; SQL only in store/`,
);
