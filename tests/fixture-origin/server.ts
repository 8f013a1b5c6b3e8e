// The local fixture origin: serves feed files and article pages over HTTP on loopback, as raw bytes,
// so the edge reads them exactly as it would read a real origin (encodings included).
//   /shared/<path>   a file under ../shared/fixtures (fixtures written by others, with their licences)
//   /local/<path>    a file under tests/fixtures (this project's own sample feeds and pages)
//   /__list/<root>/<dir>  JSON list of the files below a folder, for table-driven tests
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

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

export interface FixtureOrigin {
  url: string;
  close(): Promise<void>;
}

/** Maps `/<root>/<path>` to a file, refusing anything that escapes the root. */
export function resolveFixturePath(urlPath: string): string | null {
  const [, rootName, ...rest] = decodeURIComponent(urlPath).split('/');
  const root = rootName ? fixtureRoots[rootName] : undefined;
  if (!root) return null;
  const file = normalize(join(root, ...rest));
  return file === root || file.startsWith(root + sep) ? file : null;
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

async function serveStatic(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const file = resolveFixturePath(path);
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`no fixture at ${path}`);
    return;
  }
  const body = await readFile(file);
  res.writeHead(200, {
    'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function serveList(res: ServerResponse, path: string): Promise<void> {
  const dir = resolveFixturePath(path.slice('/__list'.length));
  const info = dir ? await stat(dir).catch(() => null) : null;
  if (!dir || !info?.isDirectory()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`no folder at ${path}`);
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(await listFiles(dir, dir)));
}

export async function startFixtureOrigin(options: { port?: number } = {}): Promise<FixtureOrigin> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://origin').pathname;
    const handled = path.startsWith('/__list/') ? serveList(res, path) : serveStatic(req, res, path);
    handled.catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
