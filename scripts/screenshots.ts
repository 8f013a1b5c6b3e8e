// `npm run screenshots`: every page of the reading site at phone (375 px) and desktop (1280 px) widths, in light
// and dark, as the reader sees it with JavaScript on, written to screenshots/ (gitignored) for people to look at.
// Runs the whole stack (fixture origin + reader) like the browser tests do.
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium } from '../tests/browser/support/chromium.ts';
import { sitePages } from '../tests/browser/support/site-pages.ts';
import { startStack } from '../tests/browser/support/stack.ts';
import { buildSite } from './build-site.ts';
import { repoRoot } from './reader-process.ts';

const WIDTHS = [
  { name: 'phone', width: 375, height: 812 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

const outDir = resolve(repoRoot, 'screenshots');

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
  const pages = await sitePages(stack.site);
  let written = 0;
  for (const viewport of WIDTHS) {
    for (const colorScheme of SCHEMES) {
      const browser = await launchChromium({ viewport, colorScheme });
      try {
        const page = await browser.context.newPage();
        for (const { name, path } of pages) {
          await page.goto(`${stack.site}${path}`);
          // Scroll through once so lazy pictures load, and let the client module fill lists and settings.
          await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
          await page.waitForTimeout(500);
          await page.evaluate(() => window.scrollTo(0, 0));
          await page.waitForTimeout(800);
          await page.screenshot({
            path: resolve(outDir, `${name}-${viewport.name}-${colorScheme}.png`),
            fullPage: true,
          });
          written++;
          // The article is saved for offline, so /saved shows a row with its buttons rather than only empty lists.
          if (name === 'read') await saveForOffline(page);
        }
      } finally {
        await browser.close();
      }
    }
  }
  console.log(`Wrote ${written} screenshots to screenshots/`);
} finally {
  await stack.stop();
}
