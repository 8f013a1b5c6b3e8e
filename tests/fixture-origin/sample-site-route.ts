// The sample site (tests/fixtures/sample-site, "Brackwater Commons") under /site/: feeds, article pages and images
// for tests, benchmarks and the demo. A UTF-8 text file may write `{{ORIGIN}}` where it needs an absolute URL; it is
// served with the origin's own URL in its place, so the links work whatever port the origin listens on. Everything
// else (images, the windows-1252 feed) goes out byte for byte.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bytesBody, textResponse, type FixtureResponse } from './fixture-response.ts';
import type { FixtureRequest } from './routes.ts';

export const SAMPLE_SITE_PREFIX = '/site/';

const siteRoot = resolve(fileURLToPath(new URL('../fixtures/sample-site', import.meta.url)));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  // Feeds carry no charset: their XML declaration says which, as on most real servers.
  '.rss': 'application/rss+xml',
  '.atom': 'application/atom+xml',
  '.rdf': 'application/rdf+xml',
  '.json': 'application/feed+json',
  '.opml': 'text/x-opml',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

const TEXT_EXTENSIONS = new Set(['.html', '.rss', '.atom', '.rdf', '.json', '.opml', '.css', '.js', '.md']);
const PLACEHOLDER = '{{ORIGIN}}';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function withOrigin(bytes: Uint8Array, origin: string): Uint8Array | string {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return bytes;
  }
  return text.includes(PLACEHOLDER) ? text.replaceAll(PLACEHOLDER, origin) : bytes;
}

/** `/site/<path>`: a file, a folder's index.html, or a redirect to the folder's URL with its trailing slash. */
export async function serveSampleSite({ url, origin }: FixtureRequest): Promise<FixtureResponse> {
  const relativePath = decodeURIComponent(url.pathname.slice(SAMPLE_SITE_PREFIX.length));
  const file = normalize(join(siteRoot, relativePath));
  if (file !== siteRoot && !file.startsWith(siteRoot + sep)) return textResponse(404, `no page at ${url.pathname}`);

  const info = await stat(file).catch(() => null);
  if (info?.isDirectory() && !url.pathname.endsWith('/')) {
    return { status: 301, headers: { location: `${url.pathname}/${url.search}` }, body: null };
  }
  const target = info?.isDirectory() ? join(file, 'index.html') : file;
  const bytes = await readFile(target).catch(() => null);
  if (!bytes) return textResponse(404, `no page at ${url.pathname}`);

  const extension = extname(target);
  return {
    status: 200,
    headers: { 'content-type': contentTypes[extension] ?? 'application/octet-stream' },
    body: bytesBody(TEXT_EXTENSIONS.has(extension) ? withOrigin(bytes, origin) : bytes),
  };
}
