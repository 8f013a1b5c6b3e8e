// Builds what the Worker serves as static files into dist/assets: the page's module (web/main.ts → app.js), the
// service worker (sw/service-worker.ts → sw.js, with the app-shell precache manifest injected by workbox-build) and
// everything in web/public. Skipped when no input changed since the last build (a stamp of every input's size and
// time), so `npm start` and every test file pay for it once. Outputs are written to a temporary name and renamed,
// so a reader already running never serves half a file. `node scripts/build-site.ts [--force]`.
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OutputFile } from 'esbuild';

// Not imported from reader-process.ts, which imports this module.
const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

const assetsDir = resolve(repoRoot, 'dist/assets');
const publicDir = resolve(repoRoot, 'web/public');
const workDir = resolve(repoRoot, '.tmp/site-build');
const stampFile = resolve(workDir, 'stamp.json');

/** Sources of what the build makes, and of the server-rendered shell pages whose revision it precaches. */
const INPUT_DIRS = [
  'web',
  'sw',
  'markup',
  'contract',
  'worker-edge/pages',
  'worker-edge/api',
  'worker-edge/middleware',
].map((dir) => resolve(repoRoot, dir));
const EXTRA_INPUTS = ['package-lock.json', 'scripts/build-site.ts'].map((file) => resolve(repoRoot, file));
/**
 * What renders the shell pages: their precache revision changes when any of them does. /saved and /settings are
 * the same for every reader (the page's module fills them from this device), so they open offline on a device that
 * never visited them online; the reader's nav leads there first on a train.
 */
const SHELL_PAGES = ['/offline', '/saved', '/settings'];
const SHELL_PAGE_INPUTS = ['worker-edge/pages', 'markup', 'worker-edge/middleware/page-security.ts'].map((path) =>
  resolve(repoRoot, path),
);

export interface SiteBuild {
  built: boolean;
  ms: number;
  /** Precached URLs (the app shell). */
  precached: number;
}

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function stampOf(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    const info = statSync(file);
    hash.update(`${relative(repoRoot, file)}\0${info.size}\0${info.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

function contentHash(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(repoRoot, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

function writeAtomically(path: string, contents: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

async function bundle(entry: string, name: string, format: 'esm' | 'iife', tsconfig: string): Promise<OutputFile[]> {
  // Loaded only when building: most starts find nothing changed and skip the build.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: { [name]: resolve(repoRoot, entry) },
    outdir: assetsDir,
    bundle: true,
    format,
    // Page modules loaded with import() become their own chunks, so / and /read/:id load only what they use
    // (the precache glob takes the chunks too, so every page still works offline).
    splitting: format === 'esm',
    chunkNames: 'chunks/[name]-[hash]',
    target: ['es2022', 'chrome111', 'firefox111', 'safari16.4'],
    minify: true,
    sourcemap: 'linked',
    tsconfig: resolve(repoRoot, tsconfig),
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles;
}

/** Files left from earlier builds (a removed icon) would otherwise stay served and precached. */
function removeStaleAssets(bundles: string[]): void {
  const expected = new Set([...bundles, ...filesUnder(publicDir).map((file) => relative(publicDir, file))]);
  for (const file of filesUnder(assetsDir)) {
    const name = relative(assetsDir, file);
    if (!expected.has(name) && !name.endsWith('.tmp')) rmSync(file);
  }
}

async function buildNow(): Promise<number> {
  const [page, worker] = await Promise.all([
    bundle('web/main.ts', 'app', 'esm', 'web/tsconfig.json'),
    // A classic script: module service workers are newer than Background Sync's fallbacks need to reach.
    bundle('sw/service-worker.ts', 'sw', 'iife', 'sw/tsconfig.json'),
  ]);
  mkdirSync(assetsDir, { recursive: true });
  removeStaleAssets([...page, ...worker].map((file) => relative(assetsDir, file.path)));
  cpSync(publicDir, assetsDir, { recursive: true });
  for (const file of page) writeAtomically(file.path, file.contents);

  // workbox-build reads the worker from swSrc and writes it, manifest injected, to swDest; both stay private
  // until the rename, and each build process has its own folder.
  const scratch = resolve(workDir, String(process.pid));
  mkdirSync(scratch, { recursive: true });
  for (const file of worker) writeFileSync(join(scratch, relative(assetsDir, file.path)), file.contents);
  const { injectManifest } = await import('workbox-build');
  // One revision for every shell page: they are rendered by the same files.
  const shellRevision = contentHash(SHELL_PAGE_INPUTS.flatMap(filesUnder));
  const { count, warnings } = await injectManifest({
    swSrc: join(scratch, 'sw.js'),
    swDest: join(scratch, 'sw.out.js'),
    globDirectory: assetsDir,
    globPatterns: ['**/*.{js,css,webmanifest,png,svg,ico,woff2}'],
    globIgnores: ['sw.js', '**/*.map', '**/*.tmp'],
    additionalManifestEntries: SHELL_PAGES.map((url) => ({ url, revision: shellRevision })),
  });
  for (const warning of warnings) console.warn(`build-site: ${warning}`);
  // The injected worker keeps pointing at sw.js.map; keep the map's own name too.
  writeAtomically(join(assetsDir, 'sw.js.map'), readFileSync(join(scratch, 'sw.js.map')));
  writeAtomically(join(assetsDir, 'sw.js'), readFileSync(join(scratch, 'sw.out.js')));
  rmSync(scratch, { recursive: true, force: true });
  return count;
}

/** Builds dist/assets unless nothing changed since the last build. */
export async function buildSite(options: { force?: boolean } = {}): Promise<SiteBuild> {
  const started = performance.now();
  const inputs = [...INPUT_DIRS.flatMap(filesUnder), ...EXTRA_INPUTS.filter((file) => existsSync(file))];
  const stamp = stampOf(inputs);
  const previous = existsSync(stampFile)
    ? (JSON.parse(readFileSync(stampFile, 'utf8')) as { stamp: string; precached: number })
    : null;
  const outputsThere = ['app.js', 'sw.js'].every((file) => existsSync(join(assetsDir, file)));
  if (!options.force && previous?.stamp === stamp && outputsThere) {
    return { built: false, ms: performance.now() - started, precached: previous.precached };
  }
  const precached = await buildNow();
  writeAtomically(stampFile, JSON.stringify({ stamp, precached }));
  return { built: true, ms: performance.now() - started, precached };
}

if (import.meta.main) {
  const result = await buildSite({ force: process.argv.includes('--force') });
  console.log(
    result.built
      ? `Built dist/assets in ${Math.round(result.ms)} ms (${result.precached} files precached).`
      : `dist/assets is up to date (checked in ${Math.round(result.ms)} ms).`,
  );
}
