// Desktop Chromium runs syncs only while it runs. Close the browser with articles queued, start it again with the
// same profile: opening the site is all the reader does, and the queue completes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ItemSummary } from '../../contract/http.ts';
import { eventually } from '../support/eventually.ts';
import { articleItems } from './support/articles.ts';
import { launchChromium } from './support/chromium.ts';
import { pick, requestWhileOffline } from './support/offline-requests.ts';
import { openControlled, prepareReader, shownNotifications, storedArticles } from './support/service-worker.ts';
import { startStack, type Stack } from './support/stack.ts';

let stack: Stack;
let items: ItemSummary[];
const profile = mkdtempSync(join(tmpdir(), 'reader-profile-'));

beforeAll(async () => {
  stack = await startStack();
  items = await articleItems(stack.site);
});

afterAll(async () => {
  await stack?.stop();
  rmSync(profile, { recursive: true, force: true });
});

it('completes what was queued before the browser closed once the site is opened again', async () => {
  const wanted = pick(items, 0, 2);
  const first = await launchChromium({ userDataDir: profile });
  const reader = await prepareReader(first.context, stack.site);
  await reader.page.close();
  await requestWhileOffline(first.context, stack.site, wanted, { keepOpen: true }).then(async (page) => {
    const queued = (await storedArticles(page)).filter((record) => wanted.some((one) => one.id === record.itemId));
    expect(queued.map((record) => record.state)).toEqual(['queued', 'queued']);
  });
  await first.close();

  const second = await launchChromium({ userDataDir: profile });
  try {
    await prepareReader(second.context, stack.site);
    const page = await openControlled(second.context, `${stack.site}/saved`);
    const records = await eventually(
      async () => {
        const all = (await storedArticles(page)).filter((record) => wanted.some((one) => one.id === record.itemId));
        return all.length === 2 && all.every((record) => record.state === 'ready') ? all : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(records.every((record) => record.notified)).toBe(true);
    await page.waitForSelector(`[data-item-id="${wanted[0]!.id}"][data-offline-state="ready"]`);
    // The browser fires the sync as it starts, before or after the page is on screen (the run is quiet only while a
    // window looks: tests/unit/notify-batch.test.ts), so the reader is told at most once, of both, never one by one.
    const shown = (await shownNotifications(page)).filter((n) => n.tag === 'offline-ready');
    expect(shown.length).toBeLessThanOrEqual(1);
    for (const one of shown)
      expect(one.data?.items?.map((i) => i.itemId).sort()).toEqual(wanted.map((w) => w.id).sort());
  } finally {
    await second.close();
  }
});
