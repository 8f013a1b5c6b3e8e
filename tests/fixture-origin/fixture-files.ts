// Fixture files on disk, served as raw bytes so the edge reads them exactly as it would a real origin's
// (encodings included), and folder listings for table-driven tests.
//   /shared/<path>   a file under ../shared/fixtures (fixtures written by others, with their licences)
//   /local/<path>    a file under tests/fixtures (this project's own sample feeds and pages)
import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bytesBody, textResponse, type FixtureResponse } from './fixture-response.ts';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

export const fixtureRoots: Record<string, string> = {
  shared: resolve(repoRoot, '../shared/fixtures'),
  local: resolve(repoRoot, 'tests/fixtures'),
};

const contentTypes: Record<string, string> = {
  '.xml': 'application/xml',
  '.rss': 'application/rss+xml',
  '.atom': 'application/atom+xml',
  '.rdf': 'application/rdf+xml',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
  '.opml': 'text/x-opml',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
};

/** Maps `/<root>/<path>` to a file, refusing anything that escapes the root. */
export function resolveFixturePath(urlPath: string): string | null {
  const [, rootName, ...rest] = decodeURIComponent(urlPath).split('/');
  const root = rootName ? fixtureRoots[rootName] : undefined;
  if (!root) return null;
  const file = normalize(join(root, ...rest));
  return file === root || file.startsWith(root + sep) ? file : null;
}

export async function serveFixtureFile(path: string): Promise<FixtureResponse> {
  const file = resolveFixturePath(path);
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile()) return textResponse(404, `no fixture at ${path}`);
  return {
    status: 200,
    headers: { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' },
    body: bytesBody(await readFile(file)),
  };
}

async function listFiles(dir: string, base: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full, base)));
    else out.push(relative(base, full).split(sep).join('/'));
  }
  return out.sort();
}

/** The files below `/<root>/<dir>`, relative to it, or null when there is no such folder. */
export async function listFixtureFolder(path: string): Promise<string[] | null> {
  const dir = resolveFixturePath(path);
  const info = dir ? await stat(dir).catch(() => null) : null;
  return dir && info?.isDirectory() ? listFiles(dir, dir) : null;
}
