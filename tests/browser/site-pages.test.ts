// Every page of the reading site in real Chromium: readable with JavaScript off and on, nothing refused by the
// strict CSP, zero axe-core violations in light and dark, a visible keyboard focus, and no sideways scrolling on a
// 320 px phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../scripts/build-site.ts';
import { axeViolations } from './support/axe.ts';
import { launchChromium, type LaunchedBrowser } from './support/chromium.ts';
import { sitePages, type SitePage } from './support/site-pages.ts';
import { startStack, type Stack } from './support/stack.ts';

let stack: Stack;
let pages: SitePage[];

beforeAll(async () => {
  await buildSite();
  stack = await startStack();
  pages = await sitePages(stack.site);
});

afterAll(async () => {
  await stack?.stop();
});

/** One browser per test, closed at its end: these machines have two cores to share with wrangler and workerd. */
async function withBrowser(
  options: Parameters<typeof launchChromium>[0],
  run: (launched: LaunchedBrowser) => Promise<void>,
): Promise<void> {
  const launched = await launchChromium(options);
  try {
    await run(launched);
  } finally {
    await launched.close();
  }
}

/** Opens a page, collecting anything the CSP refused and any script error. */
async function open(launched: LaunchedBrowser, page: SitePage) {
  const tab = await launched.context.newPage();
  const problems: string[] = [];
  tab.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  tab.on('pageerror', (error) => problems.push(error.message));
  const res = await tab.goto(`${stack.site}${page.path}`);
  return { tab, res, problems };
}

describe('without JavaScript', () => {
  it('every page has its heading, landmarks and content, and says what needs JavaScript', async () => {
    await withBrowser({ javaScriptEnabled: false }, async (launched) => {
      for (const page of pages) {
        const { tab, res } = await open(launched, page);
        expect(res?.status(), page.path).toBe(page.status);
        expect(await tab.locator('main h1').count(), page.path).toBe(1);
        expect((await tab.locator('main h1').innerText()).length, page.path).toBeGreaterThan(0);
        expect(await tab.locator('header nav a').count()).toBe(4);
        const notes = tab.locator('[data-js-note]');
        for (let i = 0; i < (await notes.count()); i++) expect(await notes.nth(i).isVisible(), page.path).toBe(true);
        await tab.close();
      }
    });
  });

  it('the latest list shows items and the article shows its text and a visible save link', async () => {
    await withBrowser({ javaScriptEnabled: false }, async (launched) => {
      const latest = await open(launched, pages[0]!);
      expect(await latest.tab.locator('.items > li').count()).toBe(20);
      const read = await open(launched, pages[1]!);
      expect((await read.tab.locator('.content').innerText()).length).toBeGreaterThan(200);
      const save = read.tab.locator('[data-save-offline]').first();
      expect(await save.isVisible()).toBe(true);
      expect(await save.getAttribute('href')).toBe('/saved#how-offline-works');
    });
  });
});

describe('with JavaScript', () => {
  it('every page loads its module under the CSP with nothing refused, and takes over what needs JavaScript', async () => {
    await withBrowser({}, async (launched) => {
      for (const page of pages) {
        const { tab, problems } = await open(launched, page);
        await tab.waitForTimeout(300);
        expect(problems, page.path).toEqual([]);
        const notes = tab.locator('[data-js-note]');
        for (let i = 0; i < (await notes.count()); i++)
          expect(await notes.nth(i).isVisible(), `${page.path} note`).toBe(false);
        await tab.close();
      }
    });
  });

  it('marks unread items on the latest list, and an opened article as read', async () => {
    await withBrowser({}, async (launched) => {
      const { tab } = await open(launched, pages[0]!);
      const first = tab.locator('.items > li').first();
      // The marks come from a module loaded on demand: wait for it before counting.
      await first.locator('.unread-dot').waitFor({ timeout: 10_000 });
      expect(await first.locator('.unread-dot').count()).toBe(1);
      expect(await first.locator('.visually-hidden').innerText()).toMatch(/Unread/);
      const id = await first.getAttribute('data-item-id');
      await first.locator('h2 a').click();
      await tab.waitForURL(`**/read/${id}`);
      // The article page's module records the visit with the service worker, then marks the article read.
      await tab.locator(`article[data-article-id="${id}"][data-read]`).waitFor({ state: 'attached', timeout: 10_000 });
      await tab.goBack();
      await tab.reload();
      // The read marks come from a module loaded on demand: wait for its verdict rather than race it.
      await tab.locator(`.items > li[data-item-id="${id}"][data-read]`).waitFor({ timeout: 10_000 });
      expect(await tab.locator(`.items > li[data-item-id="${id}"]`).getAttribute('data-read')).toBe('');
      expect(await tab.locator(`.items > li[data-item-id="${id}"] .unread-dot`).count()).toBe(0);
    });
  });
});

describe('accessibility', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`axe-core finds no violations on any page (${colorScheme})`, async () => {
      await withBrowser({ colorScheme }, async (launched) => {
        const found: Record<string, unknown> = {};
        for (const page of pages) {
          const { tab } = await open(launched, page);
          await tab.waitForTimeout(300);
          const violations = await axeViolations(tab);
          if (violations.length) found[page.name] = violations;
          await tab.close();
        }
        expect(found).toEqual({});
      });
    });
  }

  it('axe-core finds no violations on real-world articles with nested headings and stripped widgets (light and dark)', async () => {
    // Recipes (a rating widget, h3 steps under h2), a WordPress news page (h3 under h2, a share row), a Blogger post.
    const wanted = [
      'kitchen/recipes/sourdough-without-mystique.html',
      'kitchen/recipes/weeknight-dal.html',
      'harbour/2026/11/rowing-club-centenary.html',
      'nightshift/2026/11/tuesday-memory-leak.html',
    ];
    const { items } = (await (await fetch(`${stack.site}/api/items?limit=100`)).json()) as {
      items: Array<{ id: string; url: string | null }>;
    };
    const articles = wanted.map((path) => items.find((item) => item.url?.endsWith(path)));
    expect(articles.every(Boolean), 'every page is an item of the sample feeds').toBe(true);
    for (const colorScheme of ['light', 'dark'] as const) {
      await withBrowser({ colorScheme }, async (launched) => {
        const found: Record<string, unknown> = {};
        for (const article of articles) {
          const { tab } = await open(launched, { name: article!.url!, path: `/read/${article!.id}`, status: 200 });
          await tab.waitForTimeout(300);
          const violations = await axeViolations(tab);
          if (violations.length) found[`${colorScheme} ${article!.url}`] = violations;
          await tab.close();
        }
        expect(found).toEqual({});
      });
    }
  });

  it('the keyboard reaches the skip link first, then the navigation, with a visible focus ring', async () => {
    await withBrowser({}, async (launched) => {
      for (const page of pages) {
        const { tab } = await open(launched, page);
        await tab.keyboard.press('Tab');
        const first = await tab.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const style = getComputedStyle(el);
          return {
            text: el.textContent,
            outline: style.outlineStyle,
            width: parseFloat(style.outlineWidth),
            top: el.getBoundingClientRect().top,
          };
        });
        expect(first.text, page.path).toBe('Skip to content');
        expect(first.outline).not.toBe('none');
        expect(first.width).toBeGreaterThanOrEqual(2);
        expect(first.top).toBeGreaterThanOrEqual(0);
        await tab.keyboard.press('Tab');
        await tab.keyboard.press('Tab');
        const next = await tab.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          return { inNav: el.closest('header') !== null, outline: getComputedStyle(el).outlineStyle };
        });
        expect(next.inNav, page.path).toBe(true);
        expect(next.outline).not.toBe('none');
        await tab.close();
      }
    });
  });

  it('no page scrolls sideways on a 320 px phone', async () => {
    await withBrowser({ viewport: { width: 320, height: 640 } }, async (launched) => {
      for (const page of pages) {
        const { tab } = await open(launched, page);
        await tab.waitForTimeout(200);
        const widths = await tab.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
        }));
        expect(widths.scroll, page.path).toBeLessThanOrEqual(widths.client);
        await tab.close();
      }
    });
  });

  it('pictures have their size before they load, so the list does not shift', async () => {
    await withBrowser({}, async (launched) => {
      const { tab } = await open(launched, pages[0]!);
      const shift = await tab.evaluate(
        () =>
          new Promise<number>((resolve) => {
            let total = 0;
            new PerformanceObserver((list) => {
              for (const entry of list.getEntries() as Array<
                PerformanceEntry & { value: number; hadRecentInput: boolean }
              >) {
                if (!entry.hadRecentInput) total += entry.value;
              }
            }).observe({ type: 'layout-shift', buffered: true });
            setTimeout(() => resolve(total), 500);
          }),
      );
      expect(shift).toBeLessThan(0.01);
    });
  });
});
