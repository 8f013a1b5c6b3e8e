// The public surface under abuse, against the real reader (wrangler dev, local D1, the Rate Limiting bindings run
// locally) and the fixture origin, on loopback, bounded in count and time. While a reader browses normally from
// an address of their own, anonymous callers:
//   - ask for 300 distinct ~400 KB pages by address, from 20 addresses (15 each: under the per-client limit, so
//     only the storage budget stands between them and D1), and one address asks for 40 (past its limit);
//   - ask for the same picture 20 times, and for a picture no stored content references;
//   - send 8 identical extractions at once;
//   - follow a cross-site link to the share target.
// Prints the figures (D1 growth, statuses, origin fetches) and exits non-zero when a claim does not hold:
// D1 grows at most 20 MB; no 5xx; one origin fetch per repeated picture and per 8 identical requests; an
// unreferenced picture refused without an origin fetch; the cross-site share waits for a tap; 0 errors
// for the reader.
// Run: npm run prove:abuse
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { ItemsPage } from '../contract/http.ts';
import { proxiedImageUrl } from '../contract/paths.ts';
import { startStack } from '../tests/browser/support/stack.ts';

const MB = 1024 * 1024;
const PAGES = 300;
const PAGE_BYTES = 400_000;
const PAGE_ADDRESSES = 20;
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);

/** The local D1 database's size as D1 counts it (pages × page size, the write-ahead log included). */
function d1Bytes(state: string): number {
  const dir = join(state, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const file = readdirSync(dir).find((name) => name.endsWith('.sqlite') && statSync(join(dir, name)).size > 0);
  if (!file) throw new Error(`no D1 database under ${dir}`);
  const db = new DatabaseSync(join(dir, file), { readOnly: true });
  try {
    const pages = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
    const size = (db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size;
    return pages * size;
  } finally {
    db.close();
  }
}

/** Runs `count` tasks, `width` at a time. */
async function pool<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

const tally = (statuses: number[]) => {
  const counts = new Map<number, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
};

const stack = await startStack();
// wrangler's last words, printed if the reader goes away mid-run.
let wranglerTail = '';
for (const stream of [stack.reader.process.stdout, stack.reader.process.stderr]) {
  stream?.on('data', (d: Buffer) => (wranglerTail = (wranglerTail + d.toString()).slice(-4000)));
}
const claims: Array<{ claim: string; ok: boolean; figure: string }> = [];
const check = (claim: string, ok: boolean, figure: string) => claims.push({ claim, ok, figure });
try {
  const origin = stack.origin.url;
  const hits = async (url: string) => {
    const u = new URL(url);
    const res = await fetch(`${origin}/__hits?path=${encodeURIComponent(u.pathname + u.search)}`);
    return ((await res.json()) as { count: number }).count;
  };
  const as = (ip: string, init: RequestInit = {}) => ({
    ...init,
    headers: { ...(init.headers as Record<string, string>), 'CF-Connecting-IP': ip },
  });
  const run = Date.now().toString(36);
  const extraction = (n: number, query = `bytes=${PAGE_BYTES}&pictures=5`) =>
    `${stack.site}/api/articles?url=${encodeURIComponent(`${origin}/generated/page/${n}.html?run=${run}&${query}`)}`;

  const before = d1Bytes(stack.state);
  console.log(`[${seconds()} s] reader up, D1 ${(before / MB).toFixed(2)} MB; attacking while a reader browses`);

  // The reader: the latest list, its articles and their pictures, over and over, until the attack is done.
  const items = ((await (await fetch(`${stack.site}/api/items?limit=30`)).json()) as ItemsPage).items;
  const pictures = items
    .map((item) => item.imageUrl)
    .filter((url): url is string => url !== null)
    .map(proxiedImageUrl);
  // The repeated picture: one the reader's list shows too; its origin fetches are counted over the whole run.
  const picture = pictures[0];
  if (!picture) throw new Error('the seeded feeds referenced no picture');
  const pictureSource = new URL(picture, stack.site).searchParams.get('u')!;
  const pictureFetchesBefore = await hits(pictureSource);
  const readerErrors: string[] = [];
  let readerRequests = 0;
  let attacking = true;
  const reader = (async () => {
    for (let round = 0; attacking || round === 0; round++) {
      const paths = ['/', '/api/items?limit=30', `/read/${items[round % items.length]!.id}`, ...pictures.slice(0, 6)];
      for (const path of paths) {
        readerRequests++;
        try {
          const res = await fetch(new URL(path, stack.site), as('192.0.2.10'));
          await res.arrayBuffer();
          if (res.status >= 400) readerErrors.push(`${path}: ${res.status}`);
        } catch (error) {
          readerErrors.push(
            `${path}: ${error instanceof Error ? `${error.message} (${String((error as { cause?: unknown }).cause)})` : String(error)}`,
          );
        }
      }
    }
  })();

  // 300 distinct pages from 20 addresses, 6 at a time.
  const pageStatuses = await pool(
    PAGES,
    6,
    async (i) => (await fetch(extraction(i), as(`198.51.100.${i % PAGE_ADDRESSES}`))).status,
  );
  console.log(`[${seconds()} s] ${PAGES} pages asked for: ${tally(pageStatuses)}`);
  // One address past its limit.
  const hammer = await pool(
    40,
    4,
    async (i) => (await fetch(extraction(10_000 + i, 'bytes=20000'), as('203.0.113.99'))).status,
  );
  const hammerOriginFetches = (
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => hits(`${origin}/generated/page/${10_000 + i}.html?run=${run}&bytes=20000`)),
    )
  ).reduce((a, b) => a + b, 0);

  // The same picture 20 times more, 5 at a time.
  const pictureStatuses = await pool(20, 5, async () => {
    const res = await fetch(new URL(picture, stack.site), as('203.0.113.20'));
    await res.arrayBuffer();
    return res.status;
  });

  // A picture nothing references.
  const stray = `${origin}/generated/picture/never-referenced-${run}.png`;
  const strayRes = await fetch(`${stack.site}/img?u=${encodeURIComponent(stray)}`, as('203.0.113.21'));
  const strayFetches = await hits(stray);

  // Eight identical extractions at once.
  const same = `${origin}/generated/page/99999.html?run=${run}&bytes=100000`;
  const sameStatuses = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      fetch(`${stack.site}/api/articles?url=${encodeURIComponent(same)}`, as(`203.0.113.${30 + i}`)).then(
        (r) => r.status,
      ),
    ),
  );
  const sameFetches = await hits(same);

  // A cross-site link to the share target: the page may show what was shared, but nothing is fetched or stored.
  const shared = `${origin}/generated/page/77777.html?run=${run}`;
  const shareRes = await fetch(
    `${stack.site}/share?url=${encodeURIComponent(shared)}&title=${encodeURIComponent('You won!')}`,
    as('203.0.113.40', {
      headers: { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' },
    }),
  );
  const shareHtml = await shareRes.text();
  // The page's own module saves at once only where the page says so (data-share-at-once: the share sheet, this site).
  const shareWaitsForTap =
    shareHtml.includes(`data-share-url="${shared.replaceAll('&', '&amp;')}"`) &&
    !shareHtml.includes('data-share-at-once');
  const shareFetches = await hits(shared);

  attacking = false;
  await reader;
  const pictureFetches = (await hits(pictureSource)) - pictureFetchesBefore;
  // Let the last writes settle into the database file before measuring it.
  await new Promise((r) => setTimeout(r, 1000));
  const after = d1Bytes(stack.state);
  const growthMb = (after - before) / MB;

  const all = [...pageStatuses, ...hammer, ...pictureStatuses, strayRes.status, ...sameStatuses, shareRes.status];
  check(
    `D1 grows at most 20 MB over ${PAGES} anonymous ${PAGE_BYTES / 1000} KB pages`,
    growthMb <= 20,
    `${(before / MB).toFixed(2)} → ${(after / MB).toFixed(2)} MB (+${growthMb.toFixed(2)} MB)`,
  );
  check(
    'no 5xx anywhere',
    all.every((s) => s < 500),
    tally(all),
  );
  check(
    'distinct pages from addresses under the limit are all read',
    pageStatuses.every((s) => s === 200),
    tally(pageStatuses),
  );
  check(
    'one address past its limit gets 429s, and they cost no origin fetch',
    hammer.filter((s) => s === 429).length >= 10 && hammerOriginFetches === hammer.filter((s) => s === 200).length,
    `${tally(hammer)}; ${hammerOriginFetches} origin fetches`,
  );
  check(
    'one origin fetch for a picture asked for 20 times (and by the reader)',
    pictureStatuses.every((s) => s === 200) && pictureFetches === 1,
    `${tally(pictureStatuses)}; ${pictureFetches} origin fetch(es)`,
  );
  check(
    'a picture nothing references is refused without an origin fetch',
    strayRes.status === 404 && strayFetches === 0,
    `${strayRes.status}; ${strayFetches} origin fetches`,
  );
  check(
    'one origin fetch for 8 identical extractions at once',
    sameStatuses.every((s) => s === 200) && sameFetches === 1,
    `${tally(sameStatuses)}; ${sameFetches} origin fetch(es)`,
  );
  check(
    'a cross-site share link fetches nothing and waits for a tap on Save',
    shareRes.status === 200 && shareFetches === 0 && shareWaitsForTap,
    `${shareRes.status}; ${shareFetches} origin fetches; ${shareWaitsForTap ? 'waits for a tap' : 'would save at once'}`,
  );
  check(
    'the reader browsing meanwhile meets no error',
    readerErrors.length === 0,
    `${readerRequests} requests, ${readerErrors.length} errors${readerErrors.length ? `: ${readerErrors.slice(0, 5).join(', ')}` : ''}`,
  );
} catch (error) {
  console.error(
    `The run stopped: ${error instanceof Error ? error.stack : String(error)}\n--- wrangler output (last 4 KB) ---\n${wranglerTail}`,
  );
  process.exitCode = 1;
} finally {
  await stack.stop();
}

console.log(`\nAbuse proof (${seconds()} s):`);
const width = Math.max(...claims.map((c) => c.claim.length));
for (const c of claims) console.log(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.claim.padEnd(width)}  ${c.figure}`);
const failed = claims.filter((c) => !c.ok);
if (failed.length > 0 || process.exitCode) {
  console.error(
    failed.length > 0
      ? `\n${failed.length} claim(s) did not hold.`
      : '\nThe run did not finish, so nothing was proven.',
  );
  process.exit(1);
}
console.log('\nEvery claim held.');
