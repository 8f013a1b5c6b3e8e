// The service worker in real Chromium, against the real reader over a slow link (bench/slow-link.ts: a proxy on
// loopback adding a fixed delay to every request and capping the bandwidth all requests share), so the figures are
// round trips and bytes, not CPU:
//   1. Articles requested offline: the time from "back online" until one article is ready, then until 30 are, in the
//      same run; and the 30 against the link's own limit (one round trip plus their bytes over the bandwidth). The
//      articles are extracted at the edge beforehand, so the figure is the link's, not the publisher's. Requests and
//      bytes on the link until they are ready, and per batch request.
//   2. A periodic sync when nothing changed: every byte it moves on the wire (one conditional request, a 304),
//      against the periodic sync that downloaded the digest.
// Run: npm run bench -- sync
import type { Request } from 'playwright-core';
import { ARTICLE_BATCH_PATH } from '../contract/paths.ts';
import { articleItems } from '../tests/browser/support/articles.ts';
import { launchChromium } from '../tests/browser/support/chromium.ts';
import { requestWhileOffline } from '../tests/browser/support/offline-requests.ts';
import {
  activity,
  askWorker,
  openControlled,
  prepareReader,
  runningWorker,
  storedArticles,
} from '../tests/browser/support/service-worker.ts';
import { startStack } from '../tests/browser/support/stack.ts';
import { eventually } from '../tests/support/eventually.ts';
import type { ArticleBatchResponse, ItemSummary } from '../contract/http.ts';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Worker } from 'playwright-core';
import { format, type BenchRow } from './bench-table.ts';
import { startSlowLink, type SlowLink } from './slow-link.ts';

const ARTICLES = 30;
/** Each measurement taken this many times, alternating, and the median kept: one run on a shared machine is noise. */
const ROUNDS = 3;
const ORIGIN_LATENCY_MS = 250;
/** A train's link: 300 ms a round trip, 8 Mbit/s shared. */
const LINK = { delayMs: 300, bytesPerSecond: 1_000_000 };

interface LinkRun {
  articles: number;
  ms: number;
  /** Every round's figure, in order; `ms` and the rest are the median round's. */
  rounds: number[];
  /** Requests and bytes on the link from back online until the last article was ready. */
  requests: number;
  bytes: number;
  batchRequests: number;
  batchBytes: number;
  /** From the batch request's arrival at the link until its last byte left it (round trip, edge, transfer). */
  batchMs: number;
  /** Where the time to ready went, in order (ms); they add up to `ms`. */
  breakdown: Breakdown;
}

interface Breakdown {
  /** Back online → the batch request reaches the link: the sync event, the worker claiming the articles. */
  toRequest: number;
  /** The link's round trip (its fixed delay). */
  delay: number;
  /** The edge's own time for the batch, as the link saw it (forwarded → last byte back), and its Server-Timing. */
  edge: number;
  edgeSteps: string;
  /** Gzipping the answer on the way (what Cloudflare does at its edge). */
  gzip: number;
  /** The answer's bytes at the link's bandwidth. */
  transfer: number;
  /** The answer's last byte → every article ready: the service worker's own time. */
  afterLastByte: number;
  /** The worker's marks (sw/outbox-marks.ts), ms after back online: the first of each step in this run. */
  marks: Record<string, number>;
}

/** The first time each outbox step was marked in the worker since `sinceWall` (Date.now()), as epoch ms. */
function outboxMarks(worker: Worker, sinceWall: number): Promise<Record<string, number>> {
  return worker.evaluate((since) => {
    const first: Record<string, number> = {};
    for (const mark of performance.getEntriesByType('mark') as PerformanceMark[]) {
      // The wall clock the mark was made at (sw/outbox-marks.ts): the clock readyAt reads.
      const at = Number(mark.detail);
      if (mark.name.startsWith('outbox:') && at >= since) first[mark.name.slice(7)] ??= at;
    }
    return first;
  }, sinceWall);
}

/**
 * What the pages cost in a batch (the choice between carrying them and rendering them in the service worker): the
 * batch answer's bytes raw and gzipped, with its pages and without them.
 */
async function batchComposition(site: string, wanted: ItemSummary[]) {
  const res = await fetch(`${site}${ARTICLE_BATCH_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ids: wanted.map((i) => i.id), urls: [] }),
  });
  const body = (await res.json()) as ArticleBatchResponse;
  const withPages = JSON.stringify(body);
  const withoutPages = JSON.stringify({ results: body.results.map((r) => (r.ok ? { ...r, pageHtml: '' } : r)) });
  const size = (text: string) => ({ raw: Buffer.byteLength(text), gzip: gzipSync(text).byteLength });
  return { with: size(withPages), without: size(withoutPages) };
}

/**
 * When (Date.now(), in the service worker) every one of `ids` was ready: the worker marks `outbox:ready` as the
 * transaction that makes articles ready commits (sw/library.ts), and at each such mark since `sinceWall` the
 * database is asked once whether all of them are. Nothing polls the worker's database meanwhile, so the measurement
 * does not compete with what it measures (a look every 5 ms did, and one over CDP cost 20-50 ms).
 */
function readyAt(worker: Worker, ids: string[], sinceWall: number, timeoutMs: number): Promise<number> {
  return worker.evaluate(
    ({ ids, since, timeoutMs }) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('offline-reader');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          let observer: PerformanceObserver | undefined;
          const finish = (settle: () => void) => {
            clearTimeout(timer);
            observer?.disconnect();
            db.close();
            settle();
          };
          const timer = setTimeout(
            () => finish(() => reject(new Error(`not all ${ids.length} articles were ready within ${timeoutMs} ms`))),
            timeoutMs,
          );
          const check = (at: number) => {
            const request = db
              .transaction('articles')
              .objectStore('articles')
              .index('by-state')
              .getAllKeys(IDBKeyRange.only('ready'));
            request.onsuccess = () => {
              const ready = new Set(request.result);
              if (ids.every((id) => ready.has(id))) finish(() => resolve(at));
            };
          };
          observer = new PerformanceObserver((list) => {
            for (const mark of list.getEntries() as PerformanceMark[])
              if (mark.name === 'outbox:ready' && Number(mark.detail) >= since) check(Number(mark.detail));
          });
          // Buffered: a mark made before this look began counts too.
          observer.observe({ type: 'mark', buffered: true });
        };
      }),
    { ids, since: sinceWall, timeoutMs },
  );
}

/** The device as new for the next round: no articles, pages or pictures kept (Settings' "Clear offline data"). */
async function forgetEverything(context: BrowserContext, site: string): Promise<void> {
  const page = await openControlled(context, `${site}/`);
  const reply = await askWorker(page, 'clear-offline-data', null);
  if (!reply.ok) throw new Error(`clearing the device failed: ${reply.error}`);
  await page.close();
}

/** The round with the median time, carrying every round's time. */
function median(runs: LinkRun[]): LinkRun {
  const middle = [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
  return { ...middle, rounds: runs.map((run) => run.ms) };
}

/** Back online → every one of `wanted` ready, measured on the link. */
async function readyOverLink(context: BrowserContext, link: SlowLink, wanted: ItemSummary[]): Promise<LinkRun> {
  await requestWhileOffline(context, link.url, wanted);
  const ids = new Set(wanted.map((item) => item.id));
  link.reset();
  const started = performance.now();
  const startedWall = Date.now();
  await context.setOffline(false);
  const worker = await runningWorker(context);
  const ended = started + ((await readyAt(worker, [...ids], startedWall, 180_000)) - startedWall);
  const marks = Object.fromEntries(
    Object.entries(await outboxMarks(worker, startedWall)).map(([step, at]) => [step, Math.round(at - startedWall)]),
  );
  const done = link.requests.filter((r) => r.startedAt >= started && r.endedAt <= ended);
  const batches = done.filter((r) => r.path === ARTICLE_BATCH_PATH);
  const sum = (list: typeof done) => list.reduce((total, r) => total + r.bytes, 0);
  const batch = batches.at(-1);
  const round = (n: number) => Math.round(n * 10) / 10;
  const breakdown: Breakdown = batch
    ? {
        toRequest: round(batch.startedAt - started),
        delay: LINK.delayMs,
        edge: round(batch.upstreamMs),
        edgeSteps: batch.serverTiming ?? '',
        gzip: round(batch.gzipMs),
        transfer: round(batch.endedAt - batch.startedAt - LINK.delayMs - batch.upstreamMs - batch.gzipMs),
        afterLastByte: round(ended - batch.endedAt),
        marks,
      }
    : { toRequest: 0, delay: 0, edge: 0, edgeSteps: '', gzip: 0, transfer: 0, afterLastByte: 0, marks };
  // Let the pictures finish before the next measurement shares the link.
  await eventually(
    async () => {
      const records = (await storedArticles(worker)) as Array<{ itemId: string; missingImages?: string[] }>;
      return records.filter((r) => ids.has(r.itemId)).every((r) => (r.missingImages?.length ?? 0) === 0)
        ? true
        : undefined;
    },
    { timeoutMs: 180_000, everyMs: 200 },
  ).catch(() => undefined);
  return {
    articles: wanted.length,
    ms: Math.round(ended - started),
    rounds: [],
    requests: done.length,
    bytes: sum(done),
    batchRequests: batches.length,
    batchBytes: sum(batches),
    batchMs: Math.round(Math.max(0, ...batches.map((r) => r.endedAt - r.startedAt))),
    breakdown,
  };
}

interface PeriodicRun {
  run: Awaited<ReturnType<typeof activity>>[number] | undefined;
  requests: number;
  bytes: number;
}

/** Bytes on the wire for one request and its response, as Chromium counted them. */
async function wireBytes(request: Request): Promise<number> {
  const sizes = await request.sizes();
  return sizes.requestHeadersSize + sizes.requestBodySize + sizes.responseHeadersSize + sizes.responseBodySize;
}

export async function benchSync() {
  const stack = await startStack({ latencyMs: ORIGIN_LATENCY_MS });
  const browser = await launchChromium();
  let link: SlowLink | undefined;
  try {
    const items = (await articleItems(stack.site)).slice(0, ARTICLES + 1);
    if (items.length < ARTICLES + 1) throw new Error(`the sample site has only ${items.length} article items`);
    // Extracted at the edge first: what is measured is the link, not the publisher's latency.
    for (const item of items) await fetch(`${stack.site}/api/articles/${item.id}`);
    const composition = await batchComposition(stack.site, items.slice(1));
    link = await startSlowLink(stack.site, { ...LINK, lifetimeMs: 15 * 60 * 1000 });
    const reader = await prepareReader(browser.context, link.url);
    let full: PeriodicRun | undefined;
    let unchanged: PeriodicRun | undefined;
    await reader.page.close();

    const [single, ...many] = items;
    const ones: LinkRun[] = [];
    const thirties: LinkRun[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round > 0) await forgetEverything(browser.context, link.url);
      ones.push(await readyOverLink(browser.context, link, [single!]));
      thirties.push(await readyOverLink(browser.context, link, many));
    }
    const one = median(ones);
    const thirty = median(thirties);
    // The link's own limit for the thirty: one round trip, and every byte they needed over the bandwidth.
    const limitMs = LINK.delayMs + (thirty.bytes / LINK.bytesPerSecond) * 1000;

    // Periodic sync, on a fresh profile: the cron extracts the digest's articles, one periodicsync downloads them
    // with their pages and images, the next finds nothing new.
    await fetch(`${stack.site}/__scheduled?cron=${encodeURIComponent('*/15 * * * *')}`);
    await eventually(
      async () => {
        const digest = (await (await fetch(`${stack.site}/api/digest`)).json()) as {
          items: Array<{ article: unknown }>;
        };
        return digest.items.every((item) => item.article) ? true : undefined;
      },
      { timeoutMs: 120_000 },
    );
    const fresh = await launchChromium();
    try {
      const second = await prepareReader(fresh.context, stack.site);
      const requests: Request[] = [];
      fresh.context.on('request', (request) => {
        if (request.serviceWorker()) requests.push(request);
      });
      const periodic = async () => {
        requests.length = 0;
        const before = (await activity(second.page)).length;
        await second.control.dispatchPeriodicSync();
        const run = await eventually(
          async () => {
            const log = await activity(second.page);
            return log.length > before ? log[0] : undefined;
          },
          { timeoutMs: 60_000 },
        );
        await Promise.all(requests.map((request) => request.response()));
        const bytes = (await Promise.all(requests.map(wireBytes))).reduce((sum, n) => sum + n, 0);
        return { run, requests: requests.length, bytes };
      };
      full = await periodic();
      unchanged = await periodic();
    } finally {
      await fresh.close();
    }
    if (!unchanged.run?.notModified) throw new Error('the second periodic sync was expected to find nothing new');

    return {
      sync: {
        link: { ...LINK },
        one,
        thirty,
        limitMs: Math.round(limitMs),
        composition,
        ratioToOne: Number((thirty.ms / one.ms).toFixed(2)),
        ratioToLimit: Number((thirty.ms / limitMs).toFixed(2)),
      },
      periodic: {
        fullRequests: full?.requests ?? 0,
        fullBytes: full?.bytes ?? 0,
        articlesCached: full?.run?.fetched.length ?? 0,
        noChangeRequests: unchanged.requests,
        noChangeBytes: unchanged.bytes,
      },
    };
  } finally {
    await browser.close();
    await link?.close();
    await stack.stop();
  }
}

export function syncRows(f: Awaited<ReturnType<typeof benchSync>>): BenchRow[] {
  return [
    {
      bench: 'sync',
      figure: `${f.sync.thirty.articles} articles requested offline over a ${f.sync.link.delayMs} ms, ${format.bytes(f.sync.link.bytesPerSecond)}/s link: back online → all ready`,
      value: `${format.ms(f.sync.thirty.ms)} (median of ${f.sync.thirty.rounds.map((ms) => format.ms(ms)).join(', ')})`,
      baseline: `${format.ms(f.sync.one.ms)} for 1 article, same run (median of ${f.sync.one.rounds.map((ms) => format.ms(ms)).join(', ')})`,
      ratio: `${format.times(f.sync.ratioToOne)} (goal ≤ 1.5×)`,
    },
    {
      bench: 'sync',
      figure: `${f.sync.thirty.articles} articles against the link's limit (one round trip + their bytes ÷ bandwidth)`,
      value: format.ms(f.sync.thirty.ms),
      baseline: `${format.ms(f.sync.limitMs)} (${f.sync.link.delayMs} ms + ${format.bytes(f.sync.thirty.bytes)} ÷ ${format.bytes(f.sync.link.bytesPerSecond)}/s)`,
      ratio: `${format.times(f.sync.ratioToLimit)} (goal ≤ 1.5×)`,
    },
    ...[f.sync.one, f.sync.thirty].map((run) => ({
      bench: 'sync',
      figure: `${run.articles} article(s): where the time went (back online → batch request; link delay; edge; gzip; bytes; last byte → ready)`,
      value: format.ms(run.ms),
      baseline: [
        run.breakdown.toRequest,
        run.breakdown.delay,
        run.breakdown.edge,
        run.breakdown.gzip,
        run.breakdown.transfer,
        run.breakdown.afterLastByte,
      ]
        .map((n) => format.ms(n))
        .join(' + '),
      ratio: `edge: ${run.breakdown.edgeSteps}; worker, ms after online: ${Object.entries(run.breakdown.marks)
        .map(([step, at]) => `${step} ${at}`)
        .join(', ')}`,
    })),
    {
      bench: 'sync',
      figure: `${f.sync.thirty.articles} articles: requests and bytes on the link until all ready; batch requests`,
      value: `${f.sync.thirty.requests} requests, ${format.bytes(f.sync.thirty.bytes)}`,
      baseline: `${f.sync.thirty.batchRequests} batch request(s), ${format.bytes(f.sync.thirty.batchBytes)} (1 article: ${f.sync.one.requests} requests, ${format.bytes(f.sync.one.bytes)})`,
      ratio: '',
    },
    {
      bench: 'sync',
      figure: `${f.sync.thirty.articles} articles' batch answer: the pages as /read/:id renders them, carried in it (raw / gzipped)`,
      value: `${format.bytes(f.sync.composition.with.raw)} / ${format.bytes(f.sync.composition.with.gzip)}`,
      baseline: `${format.bytes(f.sync.composition.without.raw)} / ${format.bytes(f.sync.composition.without.gzip)} without the pages`,
      ratio: `+${Math.round((f.sync.composition.with.gzip / f.sync.composition.without.gzip - 1) * 100)} % gzipped`,
    },
    {
      bench: 'sync',
      figure: 'periodic sync with nothing new: bytes on the wire',
      value: `${format.bytes(f.periodic.noChangeBytes)} in ${f.periodic.noChangeRequests} request`,
      baseline: `${format.bytes(f.periodic.fullBytes)} in ${f.periodic.fullRequests} requests (first run, ${f.periodic.articlesCached} articles)`,
      ratio: `1/${Math.round(f.periodic.fullBytes / f.periodic.noChangeBytes)}`,
    },
  ];
}

if (import.meta.main) {
  const figures = await benchSync();
  console.log(
    `articles requested offline, over a ${figures.sync.link.delayMs} ms, ${figures.sync.link.bytesPerSecond} B/s link:`,
  );
  const { breakdown: oneBreakdown, ...one } = figures.sync.one;
  const { breakdown: thirtyBreakdown, ...thirty } = figures.sync.thirty;
  console.table({ one, thirty });
  console.log('where the time went (ms):');
  console.table({ one: oneBreakdown, thirty: thirtyBreakdown });
  console.log('batch answer composition (bytes):', JSON.stringify(figures.sync.composition));
  console.log(
    `limit ${figures.sync.limitMs} ms; 30 ÷ 1 = ${figures.sync.ratioToOne}×, 30 ÷ limit = ${figures.sync.ratioToLimit}×`,
  );
  console.log('periodic sync on the wire (headers + bodies, as Chromium counted them):');
  console.table({ periodic: figures.periodic });
}
