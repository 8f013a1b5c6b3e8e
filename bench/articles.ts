// Articles: how long extraction takes per page of the sample site, and what a periodic digest sync costs on the
// wire when nothing changed (a 304) against the full digest.
//   1. Extraction alone (parse, Readability, sanitise, proxy images), in Node, over every article page: median, p95.
//   2. Through the real reader (wrangler dev, local D1): the first read of a page (fetch, extract, store) against a
//      stored read, then the cron's prefetch and the digest, full and as a 304.
// Run: npm exec -- node bench/articles.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startReader } from '../scripts/reader-process.ts';
import { startFixtureOrigin } from '../tests/fixture-origin/server.ts';
import { freePort } from '../scripts/free-port.ts';
import { extractReadable } from '../worker-edge/articles/extract-readable.ts';
import { renderArticleHtml } from '../worker-edge/articles/render-article-html.ts';
import { format, type BenchRow } from './bench-table.ts';

const ROUNDS = 20;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (value: number) => Number(value.toFixed(2));

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: ms(percentile(sorted, 50)), p95: ms(percentile(sorted, 95)), max: ms(sorted.at(-1) ?? NaN) };
}

/** The article pages the sample site's feeds link to, from the folder listing (every .html but the front pages). */
async function articlePages(origin: string): Promise<string[]> {
  const files = (await (await fetch(`${origin}/__list/local/sample-site`)).json()) as string[];
  return files
    .filter((file) => file.endsWith('.html') && !/(^|\/)index\.html$/.test(file))
    .concat(files.filter((file) => /^notes\/[^/]+\/index\.html$/.test(file)))
    .map((file) => `${origin}/site/${file.replace(/index\.html$/, '')}`);
}

async function timeExtraction(pages: Array<{ url: string; html: string }>) {
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS + 2; round++) {
    for (const { url, html } of pages) {
      const started = performance.now();
      const readable = extractReadable(html, url);
      if (readable) renderArticleHtml(readable.contentHtml, readable.baseUrl);
      // The first two rounds warm the JIT up, as a long-lived isolate would be.
      if (round >= 2) samples.push(performance.now() - started);
    }
  }
  return summary(samples);
}

/** What a response costs on the wire in HTTP/1.1: status line, headers, blank line and body. */
async function wireBytes(res: Response): Promise<{ headers: number; body: number; gzippedBody: number }> {
  let headers = `HTTP/1.1 ${res.status} ${res.statusText}\r\n`.length + 2;
  res.headers.forEach((value, name) => {
    headers += `${name}: ${value}\r\n`.length;
  });
  const body = new Uint8Array(await res.arrayBuffer());
  return { headers, body: body.byteLength, gzippedBody: body.byteLength ? gzipSync(body).byteLength : 0 };
}

/** Polls until `check` gives something other than undefined. */
async function until<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not done within ${timeoutMs / 1000} s`);
}

export async function benchArticles() {
  const origin = await startFixtureOrigin();
  const state = mkdtempSync(join(tmpdir(), 'reader-bench-articles-'));
  try {
    const urls = await articlePages(origin.url);
    const pages = await Promise.all(urls.map(async (url) => ({ url, html: await (await fetch(url)).text() })));
    const extraction = await timeExtraction(pages);

    const reader = await startReader({
      port: await freePort(),
      persistTo: state,
      vars: { ALLOW_PRIVATE_NETWORK: '1', SEED_OPML_URL: `${origin.url}/site/demo.opml` },
    });
    try {
      const read = async (url: string) => {
        const started = performance.now();
        const res = await fetch(`${reader.url}/api/articles?url=${encodeURIComponent(url)}`);
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${url}: ${res.status}`);
        return performance.now() - started;
      };
      const firstReads: number[] = [];
      for (const { url } of pages) firstReads.push(await read(url));
      const storedReads: number[] = [];
      for (const { url } of pages) storedReads.push(await read(url));

      // Cron runs as Cloudflare would fire them: seed and refresh the six feeds, then prefetch ten articles per run,
      // until the digest's twenty newest items all have theirs.
      const digestUrl = `${reader.url}/api/digest`;
      const extracted = async () => {
        const res = await fetch(digestUrl);
        const digest = (await res.clone().json()) as { items: Array<{ article: unknown }> };
        return { res, count: digest.items.filter((item) => item.article).length };
      };
      let full: Response | undefined;
      for (let run = 1; run <= 4 && !full; run++) {
        await (await fetch(`${reader.url}/__scheduled?cron=${encodeURIComponent('*/15 * * * *')}`)).arrayBuffer();
        full =
          (await until(async () => {
            const { res, count } = await extracted();
            if (count === 20) return res;
            return count >= Math.min(20, 10 * run) ? null : undefined;
          }, 60_000)) ?? undefined;
      }
      if (!full) throw new Error('the cron did not fill the digest in four runs');
      const etag = full.headers.get('etag') ?? '';
      const fullBytes = await wireBytes(full);
      const notModified = await fetch(digestUrl, { headers: { 'If-None-Match': etag } });
      if (notModified.status !== 304) throw new Error(`expected a 304, got ${notModified.status}`);
      const notModifiedBytes = await wireBytes(notModified);
      const fullTotal = fullBytes.headers + fullBytes.body;
      const fullGzipTotal = fullBytes.headers + fullBytes.gzippedBody;
      const notModifiedTotal = notModifiedBytes.headers + notModifiedBytes.body;

      return {
        extraction: { pages: pages.length, rounds: ROUNDS, ...extraction },
        firstRead: summary(firstReads),
        storedRead: summary(storedReads),
        digest: {
          items: 20,
          fullBytes: fullTotal,
          fullGzipBytes: fullGzipTotal,
          notModifiedBytes: notModifiedTotal,
          ratio: Math.round(fullTotal / notModifiedTotal),
          gzipRatio: Math.round(fullGzipTotal / notModifiedTotal),
        },
      };
    } finally {
      await reader.stop();
    }
  } finally {
    await origin.close();
    rmSync(state, { recursive: true, force: true });
  }
}

export function articlesRows(f: Awaited<ReturnType<typeof benchArticles>>): BenchRow[] {
  return [
    {
      bench: 'articles',
      figure: `extraction per page, Readability + sanitise (${f.extraction.pages} pages): median / p95`,
      value: `${format.ms(f.extraction.median)} / ${format.ms(f.extraction.p95)}`,
    },
    {
      bench: 'articles',
      figure: 'GET /api/articles, first read (fetch + extract + store): median',
      value: format.ms(f.firstRead.median),
      baseline: `${format.ms(f.storedRead.median)} stored read`,
      ratio: format.times(f.firstRead.median / f.storedRead.median),
    },
    {
      bench: 'articles',
      figure: `GET /api/digest, ${f.digest.items} items: no-change sync (304) on the wire`,
      value: format.bytes(f.digest.notModifiedBytes),
      baseline: `${format.bytes(f.digest.fullBytes)} full (${format.bytes(f.digest.fullGzipBytes)} gzipped)`,
      ratio: `1/${f.digest.ratio} (1/${f.digest.gzipRatio} gzipped)`,
    },
  ];
}

if (import.meta.main) {
  const figures = await benchArticles();
  console.log(
    `extraction per article, in Node (parse + Readability + sanitise), ${figures.extraction.pages} pages x ${figures.extraction.rounds} rounds, ms`,
  );
  console.table({ extraction: figures.extraction });
  console.log(
    'GET /api/articles?url= through wrangler dev (local origin), ms: first read (fetch + extract + store) vs stored',
  );
  console.table({ firstRead: figures.firstRead, storedRead: figures.storedRead });
  console.log('GET /api/digest (20 items with articles): full response vs a no-change sync (304), bytes on the wire');
  console.table({ digest: figures.digest });
}
