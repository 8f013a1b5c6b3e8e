// Site weight and offline speed: what a reader downloads for the latest list and for an article (HTML, CSS and JS,
// raw and compressed), and how fast an article they saved paints from the service worker's cache offline against
// the same page from the network online (first contentful paint, median of several fresh tabs, and the ratio).
// Run: npm exec -- node bench/site-weight.ts (or `npm run bench site`).
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { buildSite } from '../scripts/build-site.ts';
import { launchChromium } from '../tests/browser/support/chromium.ts';
import { openControlled } from '../tests/browser/support/service-worker.ts';
import { startStack } from '../tests/browser/support/stack.ts';
import { eventually } from '../tests/support/eventually.ts';
import type { ItemsPage } from '../contract/http.ts';
import { format, type BenchRow } from './bench-table.ts';

const PAINT_ROUNDS = 7;

async function weigh(url: string) {
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  return {
    raw: bytes.byteLength,
    gzip: gzipSync(bytes, { level: 9 }).byteLength,
    brotli: brotliCompressSync(bytes).byteLength,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function firstContentfulPaint(page: Page, url: string): Promise<number> {
  await page.goto(url);
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((list) => {
          const paint = list.getEntriesByName('first-contentful-paint')[0];
          if (paint) resolve(paint.startTime);
        }).observe({ type: 'paint', buffered: true });
      }),
  );
}

export async function benchSiteWeight() {
  await buildSite();
  const stack = await startStack();
  const browser = await launchChromium();
  try {
    const { items } = (await (await fetch(`${stack.site}/api/items?limit=30`)).json()) as ItemsPage;
    const article = items.find((item) => item.url?.endsWith('.html')) ?? items[0]!;
    const readPath = `/read/${article.id}`;
    const css = await weigh(`${stack.site}/reader.css`);
    const js = await weigh(`${stack.site}/app.js`);
    const weights = {
      latest: { html: await weigh(`${stack.site}/`), css, js },
      read: { html: await weigh(`${stack.site}${readPath}`), css, js },
    };

    // Save the article for offline reading the way a reader does, then paint it online and offline in fresh tabs.
    const { context } = browser;
    const page = await openControlled(context, `${stack.site}${readPath}`);
    // The newest articles may already be on their way through the background refresh; a tap then changes nothing.
    await page.locator('[data-save-offline]').click({ force: true });
    await eventually(
      async () =>
        (await page.locator('.save-offline').getAttribute('data-offline-state')) === 'ready' ? true : undefined,
      { timeoutMs: 30_000 },
    );
    const paints = async () => {
      const samples: number[] = [];
      for (let round = 0; round < PAINT_ROUNDS; round++) {
        const tab = await context.newPage();
        samples.push(await firstContentfulPaint(tab, `${stack.site}${readPath}`));
        await tab.close();
      }
      return median(samples);
    };
    const online = await paints();
    await context.setOffline(true);
    const offline = await paints();
    await context.setOffline(false);
    return {
      ...weights,
      'read fcp ms': {
        online: Number(online.toFixed(1)),
        'offline (from cache)': Number(offline.toFixed(1)),
        'offline / online': Number((offline / online).toFixed(2)),
      },
    };
  } finally {
    await browser.close();
    await stack.stop();
  }
}

export function siteWeightRows(f: Awaited<ReturnType<typeof benchSiteWeight>>): BenchRow[] {
  const weight = (w: { raw: number; gzip: number }) => `${format.bytes(w.gzip)} gzip (${format.bytes(w.raw)} raw)`;
  const fcp = f['read fcp ms'];
  return [
    { bench: 'site', figure: '/ (20 items): HTML', value: weight(f.latest.html) },
    { bench: 'site', figure: '/read/:id: HTML', value: weight(f.read.html) },
    {
      bench: 'site',
      figure: 'CSS (one file) / JS entry (each page adds a 1–3 KiB chunk)',
      value: `${weight(f.latest.css)} / ${weight(f.latest.js)}`,
    },
    {
      bench: 'site',
      figure: "first contentful paint of a saved article, offline (from the service worker's cache)",
      value: format.ms(fcp['offline (from cache)']),
      baseline: `${format.ms(fcp.online)} online`,
      ratio: format.times(fcp['offline / online']),
    },
  ];
}

if (import.meta.main) console.log(JSON.stringify(await benchSiteWeight(), null, 2));
