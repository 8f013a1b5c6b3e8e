// The XSS proof's moving parts, shared by scripts/prove-xss.ts (everything) and tests/browser/xss.test.ts (a
// subset): subscribe the reader to the corpus feeds, list the pages the real site renders them on, and render those
// pages in Chromium with the traps armed. Also the calibration: the same vectors served raw, unsanitised, so the
// run shows that the detector sees them when they do run.
import type { Browser, Page } from 'playwright-core';
import type { FeedCreated, ItemsPage } from '../../../contract/http.ts';
import { FEED_FIELD_IDS, XSS_FEEDS, articlePath } from '../../fixtures/xss/xss-documents.ts';
import type { XssVector } from '../../fixtures/xss/xss-vectors.ts';
import type { Stack } from './stack.ts';
import { renderAndDetect, trappedContext, type RenderOutcome, type XssExecution } from './xss-detector.ts';

export type XssFeedKind = keyof typeof XSS_FEEDS;

/** Where on the site a render showed the vectors. */
export type XssSurface =
  | 'latest'
  | 'sources'
  | 'read: page'
  | 'read: feed copy'
  | 'read: page gone'
  | 'read: page failing'
  | 'read: sample site';

export interface XssTarget {
  path: string;
  /** Which part of the page holds untrusted content (audited strictly) and which a reader may poke at. */
  untrusted: string;
  interactive: string;
}

export interface XssRender extends RenderOutcome {
  path: string;
  csp: boolean;
  surface: XssSurface;
  /** The vectors (corpus and feed-field ids) the page showed. */
  vectorIds: number[];
}

/** The article's own text, title and links; not the site's controls (the save button), which are no vector's. */
/** A page that takes longer than this is stuck: the run stops rather than hang. */
const PAGE_TIMEOUT_MS = 15_000;

const READ_REGIONS = {
  untrusted: 'article.reader .content',
  interactive: 'article.reader .content, article.reader header, article.reader .original',
};
const LATEST_REGIONS = { untrusted: '.items', interactive: '.items' };
const SOURCES_REGIONS = { untrusted: '.source h3, .source-url, .source-error', interactive: '.source h3' };

/** Subscribes the reader to the four corpus feeds; answers their feed ids. */
export async function subscribeXssFeeds(
  stack: Stack,
  kinds: XssFeedKind[] = Object.keys(XSS_FEEDS) as XssFeedKind[],
): Promise<Map<XssFeedKind, number>> {
  const ids = new Map<XssFeedKind, number>();
  for (const kind of kinds) {
    const response = await fetch(`${stack.site}/api/feeds`, {
      method: 'POST',
      headers: { ...stack.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${stack.origin.url}${XSS_FEEDS[kind]}` }),
    });
    if (!response.ok)
      throw new Error(`subscribing to ${XSS_FEEDS[kind]} failed: ${response.status} ${await response.text()}`);
    ids.set(kind, ((await response.json()) as FeedCreated).feed.id);
  }
  return ids;
}

/** Every item id of one feed, through the public API's paging. */
export async function feedItemIds(site: string, feedId: number): Promise<string[]> {
  const ids: string[] = [];
  let before = '';
  for (;;) {
    const page = (await (await fetch(`${site}/api/items?feed=${feedId}&limit=100${before}`)).json()) as ItemsPage;
    ids.push(...page.items.map((item) => item.id));
    if (!page.next) return ids;
    before = `&before=${encodeURIComponent(page.next)}`;
  }
}

export const readTarget = (itemId: string): XssTarget => ({ path: `/read/${itemId}`, ...READ_REGIONS });
export const latestTarget = (query = ''): XssTarget => ({ path: `/${query}`, ...LATEST_REGIONS });
export const sourcesTarget = (): XssTarget => ({ path: '/sources', ...SOURCES_REGIONS });

/** `#<id> ` at the start of a word: how corpus and feed-field items name their vectors in titles. */
const VECTOR_LABEL = /(?:^|\s)#(\d+)(?=\s)/g;

/** What the page is (which surface) and which vectors it shows, read from the rendered page itself. */
async function describePage(page: Page, path: string): Promise<{ surface: XssSurface; vectorIds: number[] }> {
  const { titles, source, unavailable, sourcesText } = await page.evaluate(() => ({
    titles: Array.from(document.querySelectorAll('article.reader h1, .item-title')).map(
      (element) => element.textContent ?? '',
    ),
    source: document.querySelector('article.reader')?.getAttribute('data-article-source') ?? null,
    unavailable: document.querySelector('article.reader .notice h2')?.textContent ?? '',
    sourcesText: Array.from(document.querySelectorAll('.source h3'))
      .map((element) => element.textContent ?? '')
      .join(' '),
  }));
  const vectorIds = [
    ...new Set(titles.flatMap((title) => [...` ${title} `.matchAll(VECTOR_LABEL)].map((match) => Number(match[1])))),
  ];
  const channelFields = [FEED_FIELD_IDS.rssChannelTitle, FEED_FIELD_IDS.rssChannelLink, FEED_FIELD_IDS.rssChannelImage];
  if (path === '/sources') return { surface: 'sources', vectorIds: /XSS RSS/.test(sourcesText) ? channelFields : [] };
  if (!path.startsWith('/read/')) return { surface: 'latest', vectorIds };
  if (vectorIds.length === 0) return { surface: 'read: sample site', vectorIds };
  if (source === 'page') return { surface: 'read: page', vectorIds };
  if (source === 'feed') return { surface: 'read: feed copy', vectorIds };
  return { surface: /gone/i.test(unavailable) ? 'read: page gone' : 'read: page failing', vectorIds };
}

/** The "Older articles" links of the latest list, followed from its first page: every page a reader can reach. */
export async function latestPages(page: Page, site: string, query: string): Promise<XssTarget[]> {
  const targets = [latestTarget(query)];
  for (;;) {
    await page.goto(`${site}${targets.at(-1)!.path}`);
    const next = await page
      .locator('a[rel="next"]')
      .getAttribute('href')
      .catch(() => null);
    if (!next || targets.length > 100) return targets;
    targets.push(latestTarget(next.replace(/^\//, '')));
  }
}

/** Renders every target in a fresh, trapped context (CSP enforced or bypassed), a few pages at a time. */
export async function renderTargets(
  browser: Browser,
  site: string,
  targets: XssTarget[],
  { csp, concurrency = 4 }: { csp: boolean; concurrency?: number },
) {
  const traps = await trappedContext(browser, { csp });
  const renders: XssRender[] = [];
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        const page = await traps.context.newPage();
        page.setDefaultTimeout(PAGE_TIMEOUT_MS);
        for (let target = targets[next++]; target; target = targets[next++]) {
          const outcome = await renderAndDetect(traps, page, `${site}${target.path}`, target);
          renders.push({ ...outcome, path: target.path, csp, ...(await describePage(page, target.path)) });
        }
      }),
    );
  } finally {
    await traps.context.close();
  }
  return { renders, cspViolations: traps.cspViolations, pageErrors: traps.pageErrors };
}

export interface RawOutcome {
  vector: XssVector;
  /** The vector's own marker was reported: it ran. */
  ran: boolean;
  armed: string[];
  executed: XssExecution[];
}

/** Each vector's article page straight from the fixture origin, unsanitised, no CSP: the detector's calibration. */
export async function renderRaw(
  browser: Browser,
  originUrl: string,
  vectors: readonly XssVector[],
  concurrency = 4,
): Promise<RawOutcome[]> {
  const traps = await trappedContext(browser, { csp: false });
  const outcomes: RawOutcome[] = [];
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        const page = await traps.context.newPage();
        page.setDefaultTimeout(PAGE_TIMEOUT_MS);
        for (let vector = vectors[next++]; vector; vector = vectors[next++]) {
          const { executed, armed } = await renderAndDetect(traps, page, `${originUrl}${articlePath(vector)}`, {
            untrusted: 'body',
            interactive: 'body',
          });
          outcomes.push({
            vector,
            ran: executed.some((execution) => execution.marker === String(vector.id)),
            armed,
            executed,
          });
        }
      }),
    );
  } finally {
    await traps.context.close();
  }
  return outcomes.sort((a, b) => a.vector.id - b.vector.id);
}
