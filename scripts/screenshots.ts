// `npm run screenshots`: every page of the reading site at phone (375 px) and desktop (1280 px) widths, in light
// and dark, as the reader sees it with JavaScript on, written to screenshots/ (gitignored) for people to look at;
// then the screens a reader sees offline (Latest from the device, an article kept on it, one that is not, search on
// the device, Saved). `npm run screenshots -- --first-screen` keeps only what fits the first screen, to look at.
// Runs the whole stack (fixture origin + reader) like the browser tests do.
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { Digest } from '../contract/http.ts';
import { launchChromium } from '../tests/browser/support/chromium.ts';
import { runCronUntilDigestHasArticles } from '../tests/browser/support/digest-articles.ts';
import { prepareReader, storedArticles } from '../tests/browser/support/service-worker.ts';
import { sitePages } from '../tests/browser/support/site-pages.ts';
import { startStack } from '../tests/browser/support/stack.ts';
import { eventually } from '../tests/support/eventually.ts';
import { buildSite } from './build-site.ts';
import { repoRoot } from './reader-process.ts';

const WIDTHS = [
  { name: 'phone', width: 375, height: 812 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

const outDir = resolve(repoRoot, 'screenshots');
const fullPage = !process.argv.includes('--first-screen');

async function shoot(page: Page, file: string): Promise<void> {
  // Scroll through once so lazy pictures load, and let the client module fill lists and settings.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForTimeout(500);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(800);
  await page.screenshot({ path: resolve(outDir, file), fullPage });
}

/**
 * The offline screens: the background refresh keeps the list and the newest articles, then the browser goes
 * offline and the reader opens Latest, a kept article, one that is not on the device, search, and Saved.
 */
async function shootOffline(site: string, viewport: (typeof WIDTHS)[number], colorScheme: 'light' | 'dark') {
  const browser = await launchChromium({ viewport, colorScheme });
  let written = 0;
  try {
    const { page, control } = await prepareReader(browser.context, site);
    await control.dispatchPeriodicSync();
    // With nothing kept in time, the screens of a kept article are left out rather than the whole run failing.
    const ready = await eventually(
      async () => {
        const articles = (await storedArticles(page)).filter((a) => a.state === 'ready');
        return articles.length > 0 ? articles : undefined;
      },
      { timeoutMs: 30_000 },
    ).catch(() => undefined);
    const digest = (await (await fetch(`${site}/api/digest`)).json()) as Digest;
    const kept = new Set((ready ?? []).map((a) => a.itemId));
    const notKept = digest.items.find((item) => !kept.has(item.id));
    const firstWord = digest.items[0]?.title.split(/\s+/).find((w) => w.length > 4) ?? 'the';
    await browser.context.setOffline(true);
    const screens: Array<[string, string]> = [
      ['offline-latest', '/'],
      ...(ready?.[0] ? ([['offline-read-kept', `/read/${ready[0].itemId}`]] as Array<[string, string]>) : []),
      ...(notKept ? ([['offline-read-not-kept', `/read/${notKept.id}`]] as Array<[string, string]>) : []),
      ['offline-search', `/search?q=${encodeURIComponent(firstWord)}`],
      ['offline-saved', '/saved'],
    ];
    for (const [name, path] of screens) {
      await page.goto(`${site}${path}`).catch(() => undefined);
      await shoot(page, `${name}-${viewport.name}-${colorScheme}.png`);
      written++;
    }
  } finally {
    await browser.close();
  }
  return written;
}

async function saveForOffline(page: import('playwright-core').Page): Promise<void> {
  // The page's module makes the link a button once it has taken over.
  const save = page.locator('.save-offline [data-save-offline][role="button"]');
  if (
    !(await save.waitFor({ timeout: 5_000 }).then(
      () => true,
      () => false,
    ))
  )
    return;
  // Already kept (the background refresh may have fetched it): nothing to tap.
  if ((await save.getAttribute('aria-disabled')) !== 'true') await save.click({ timeout: 5_000 });
  await page
    .locator('.save-offline[data-offline-state="ready"]')
    .waitFor({ timeout: 15_000 })
    .catch(() => undefined);
}
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

await buildSite();
const stack = await startStack();
try {
  // sitePages includes /search with results (a word of an article's title).
  const pages = await sitePages(stack.site);
  let written = 0;
  for (const viewport of WIDTHS) {
    for (const colorScheme of SCHEMES) {
      const browser = await launchChromium({ viewport, colorScheme });
      try {
        const page = await browser.context.newPage();
        for (const { name, path } of pages) {
          await page.goto(`${stack.site}${path}`);
          await shoot(page, `${name}-${viewport.name}-${colorScheme}.png`);
          written++;
          // The article is saved for offline, so /saved shows a row with its buttons rather than only empty lists.
          if (name === 'read') await saveForOffline(page);
        }
      } finally {
        await browser.close();
      }
    }
  }
  // Short of ten articles in time, the offline screens show what there is rather than the whole run failing.
  await runCronUntilDigestHasArticles(stack.site).catch(() => undefined);
  for (const viewport of WIDTHS) {
    for (const colorScheme of SCHEMES) written += await shootOffline(stack.site, viewport, colorScheme);
  }
  console.log(`Wrote ${written} screenshots to screenshots/`);
} finally {
  await stack.stop();
}
