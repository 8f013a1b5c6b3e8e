// The service worker in real Chromium, against the real reader and a fixture origin that adds latency to every
// response (a far-away publisher):
//   1. A sync of 30 articles requested offline: the time from "back online" until all are ready, against the
//      slowest single article fetch within it. With no head-of-line blocking and a few fetches at once, the ratio
//      stays well under the 30 a one-at-a-time queue would need.
//   2. A periodic sync when nothing changed: every byte it moves on the wire (one conditional request, a 304),
//      against the periodic sync that downloaded the digest.
// Run: npm exec -- node bench/sync.ts
import type { Request } from 'playwright-core';
import { articleItems } from '../tests/browser/support/articles.ts';
import { launchChromium } from '../tests/browser/support/chromium.ts';
import { requestWhileOffline } from '../tests/browser/support/offline-requests.ts';
import { activity, prepareReader, runningWorker, storedArticles } from '../tests/browser/support/service-worker.ts';
import { startStack } from '../tests/browser/support/stack.ts';
import { eventually } from '../tests/support/eventually.ts';
import { format, type BenchRow } from './bench-table.ts';

const ARTICLES = 30;
const ORIGIN_LATENCY_MS = 250;

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
  try {
    const items = (await articleItems(stack.site)).slice(0, ARTICLES);
    if (items.length < ARTICLES) throw new Error(`the sample site has only ${items.length} article items`);
    const reader = await prepareReader(browser.context, stack.site);
    let full: PeriodicRun | undefined;
    let unchanged: PeriodicRun | undefined;
    await reader.page.close();

    await requestWhileOffline(browser.context, stack.site, items);
    const ids = new Set(items.map((item) => item.id));
    const started = performance.now();
    await browser.context.setOffline(false);
    const worker = await runningWorker(browser.context);
    await eventually(async () => {
      const ready = (await storedArticles(worker)).filter((record) => ids.has(record.itemId) && record.state === 'ready');
      return ready.length === ARTICLES ? true : undefined;
    }, { timeoutMs: 180_000, everyMs: 50 });
    const totalMs = performance.now() - started;
    // The run is logged after its last article settles and its notification is shown: wait for the log to hold them all.
    const fetches = await eventually(async () => {
      const logged = (await activity(worker)).filter((run) => run.kind === 'fetch-articles').flatMap((run) => run.fetched);
      const ours = logged.filter((fetched) => ids.has(fetched.itemId));
      return ours.length >= ARTICLES ? ours : undefined;
    }, { timeoutMs: 30_000, everyMs: 50 });
    const slowestMs = Math.max(...fetches.map((fetched) => fetched.ms));

    // Periodic sync, on a fresh profile: the cron extracts the digest's articles, one periodicsync downloads them
    // with their pages and images, the next finds nothing new.
    await fetch(`${stack.site}/__scheduled?cron=${encodeURIComponent('*/15 * * * *')}`);
    await eventually(async () => {
      const digest = (await (await fetch(`${stack.site}/api/digest`)).json()) as { items: Array<{ article: unknown }> };
      return digest.items.every((item) => item.article) ? true : undefined;
    }, { timeoutMs: 120_000 });
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
        const run = await eventually(async () => {
          const log = await activity(second.page);
          return log.length > before ? log[0] : undefined;
        }, { timeoutMs: 60_000 });
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
      sync: { articles: ARTICLES, originLatencyMs: ORIGIN_LATENCY_MS, totalMs: Math.round(totalMs), slowestSingleMs: Math.round(slowestMs), ratio: Number((totalMs / slowestMs).toFixed(2)) },
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
    await stack.stop();
  }
}

export function syncRows(f: Awaited<ReturnType<typeof benchSync>>): BenchRow[] {
  return [
    {
      bench: 'sync', figure: `${f.sync.articles} articles requested offline, ${f.sync.originLatencyMs} ms origin latency: back online → all ready`,
      value: format.ms(f.sync.totalMs), baseline: `${format.ms(f.sync.slowestSingleMs)} slowest single article`,
      ratio: `${format.times(f.sync.ratio)} (one at a time ≈ ${f.sync.articles}×)`,
    },
    {
      bench: 'sync', figure: 'periodic sync with nothing new: bytes on the wire',
      value: `${format.bytes(f.periodic.noChangeBytes)} in ${f.periodic.noChangeRequests} request`,
      baseline: `${format.bytes(f.periodic.fullBytes)} in ${f.periodic.fullRequests} requests (first run, ${f.periodic.articlesCached} articles)`,
      ratio: `1/${Math.round(f.periodic.fullBytes / f.periodic.noChangeBytes)}`,
    },
  ];
}

if (import.meta.main) {
  const figures = await benchSync();
  console.log(`sync of ${figures.sync.articles} articles requested offline (origin latency ${figures.sync.originLatencyMs} ms per response):`);
  console.table({ sync: figures.sync });
  console.log('periodic sync on the wire (headers + bodies, as Chromium counted them):');
  console.table({ periodic: figures.periodic });
}
