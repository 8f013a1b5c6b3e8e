// The reader's way of asking for articles while offline: the offline page's "Get it when I'm back online".
import type { BrowserContext } from 'playwright-core';
import type { ItemSummary } from '../../../contract/http.ts';
import { openControlled } from './service-worker.ts';

/** Opens the site, goes offline, requests each article from the offline page, then closes the page (the app). */
export async function requestWhileOffline(
  context: BrowserContext,
  site: string,
  wanted: ItemSummary[],
  options: { keepOpen?: boolean } = {},
) {
  const page = await openControlled(context, `${site}/`);
  await context.setOffline(true);
  for (const one of wanted) {
    await page.goto(`${site}/read/${one.id}`);
    await page.locator('[data-offline-request] [data-save-offline]').click();
    await page.waitForSelector(`[data-offline-request] [data-item-id="${one.id}"][data-offline-state="queued"]`);
  }
  if (!options.keepOpen) await page.close();
  return page;
}

export function pick(items: ItemSummary[], from: number, count: number): ItemSummary[] {
  const picked = items.slice(from, from + count);
  if (picked.length < count) throw new Error(`the sample site has fewer than ${from + count} article items`);
  return picked;
}
