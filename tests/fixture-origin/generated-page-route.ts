// Distinct article pages of a chosen size, generated on each request, for the abuse proof and the storage-budget
// tests: each number is a different page, as an attacker asking for many different addresses would send.
//   /generated/page/<n>.html?bytes=N&pictures=K   an ordinary article page of about N bytes with K pictures
//   /generated/picture/<name>.png?bytes=N          a PNG of about N bytes (the picture the pages use)
import { bytesBody, textResponse, type FixtureResponse } from './fixture-response.ts';
import type { FixtureRequest } from './routes.ts';

export const GENERATED_PREFIX = '/generated/';
const MAX_BYTES = 8 * 1024 * 1024;

const sizeParam = (url: URL, name: string, fallback: number) =>
  Math.min(MAX_BYTES, Math.max(0, Number(url.searchParams.get(name) ?? fallback) || 0));

const WORDS =
  'harbour ferry timetable council winter storm pier lantern rowing tide market bakery school library'.split(' ');

function paragraph(n: number, i: number): string {
  const words = Array.from({ length: 60 }, (_, w) => WORDS[(n * 7 + i * 13 + w * 3) % WORDS.length]);
  return `<p>Page ${n}, paragraph ${i}: ${words.join(' ')}.</p>\n`;
}

function page(origin: string, n: number, bytes: number, pictures: number): string {
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Generated report ${n}</title></head><body>
<header><nav><a href="/">Home</a></nav></header><main><article><h1>Generated report ${n}</h1>
<p class="byline">By A. Reporter</p>\n`;
  const figures = Array.from(
    { length: pictures },
    (_, k) =>
      `<figure><img src="${origin}/generated/picture/${n}-${k}.png" alt="Picture ${k}" width="640" height="480"></figure>\n`,
  ).join('');
  const tail = '</article></main><footer>Generated for tests.</footer></body></html>\n';
  let body = '';
  for (let i = 0; head.length + figures.length + body.length + tail.length < bytes; i++) body += paragraph(n, i);
  return head + figures + body + tail;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export async function serveGenerated({ url, origin }: FixtureRequest): Promise<FixtureResponse> {
  const pageMatch = /^\/generated\/page\/(\d+)\.html$/.exec(url.pathname);
  if (pageMatch) {
    const html = page(origin, Number(pageMatch[1]), sizeParam(url, 'bytes', 20_000), sizeParam(url, 'pictures', 0));
    return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: bytesBody(html) };
  }
  if (/^\/generated\/picture\/[\w-]+\.png$/.test(url.pathname)) {
    const bytes = Buffer.alloc(Math.max(PNG_SIGNATURE.length, sizeParam(url, 'bytes', 2_000)));
    PNG_SIGNATURE.copy(bytes);
    return { status: 200, headers: { 'content-type': 'image/png' }, body: bytesBody(bytes) };
  }
  return textResponse(404, `nothing generated at ${url.pathname}`);
}
