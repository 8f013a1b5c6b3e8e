// The chaos proof's offline switch (support/network-switch.ts) against the trap it exists for: a service worker
// stopped just before the browser goes offline. Playwright's setOffline then waits for the worker, and the emulation
// it sends does not cut it; the switch must neither hang nor report a worker offline that still reaches the network.
import type { BrowserContext } from 'playwright-core';
import { expect, it } from 'vitest';
import { browserSuite } from './support/browser-suite.ts';
import { switchNetwork } from './support/network-switch.ts';
import { prepareReader, runningWorker } from './support/service-worker.ts';

const suite = browserSuite();

/** A fetch from inside the worker (its own fetch handler does not see it): whether it reached the network. */
async function workerReaches(context: BrowserContext, site: string): Promise<boolean> {
  return (await runningWorker(context)).evaluate(
    (url) =>
      fetch(url, { cache: 'no-store' }).then(
        () => true,
        () => false,
      ),
    `${site}/robots.txt`,
  );
}

it('takes a just-stopped service worker offline and back, as seen from inside it, without waiting on it', async () => {
  const { context } = suite.browser;
  const { site } = suite.stack;
  const { control, page } = await prepareReader(context, site);
  try {
    await control.stopAllWorkers();
    const started = Date.now();
    expect(await switchNetwork(context, page, site, true)).toEqual({ done: true, trouble: [] });
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    expect(await workerReaches(context, site)).toBe(false);

    await control.stopAllWorkers();
    expect(await switchNetwork(context, page, site, false)).toEqual({ done: true, trouble: [] });
    expect(await page.evaluate(() => navigator.onLine)).toBe(true);
    expect(await workerReaches(context, site)).toBe(true);
    // Each step's limit is 10 s: a switch that met the hang would have taken longer than both together.
    expect(Date.now() - started).toBeLessThan(10_000);
  } finally {
    await control.detach();
    await page.close();
  }
}, 60_000);
