// The sample site (tests/fixtures/sample-site) as the article tests read it: subscribe to its feeds through the API,
// find the item for a page, and take a page apart the way a person would see it, independently of the extractor.
import { env } from 'cloudflare:test';
import { parseHTML } from 'linkedom';
import { expect } from 'vitest';
import type { FeedCreated, ItemSummary, ItemsPage } from '../../contract/http.ts';
import { SEEDED_KEY } from '../../worker-edge/jobs/seed-default-feeds.ts';
import { setMeta } from '../../worker-edge/store/meta-store.ts';
import { adminHeaders, callApp } from './call-app.ts';

export const siteUrl = (path: string) => `${env.FIXTURE_ORIGIN}/site/${path}`;

export const SAMPLE_FEEDS = [
  'feeds/harbour-courier.rss',
  'feeds/field-notes.atom',
  'feeds/workshop.rdf',
  'feeds/slow-kitchen.json',
  'feeds/cafe-europa.rss',
  'feeds/night-shift.atom',
];

/** Subscribes through POST /api/feeds (which fetches the items at once); no default seeding, no background refresh. */
export async function subscribeSampleFeeds(feeds: string[] = SAMPLE_FEEDS): Promise<void> {
  await setMeta(env.DB, SEEDED_KEY, '1');
  await setMeta(env.DB, 'last_refresh_at', String(Date.now()));
  for (const feed of feeds) {
    const res = await callApp('/api/feeds', {
      method: 'POST',
      headers: adminHeaders,
      body: JSON.stringify({ url: siteUrl(feed) }),
    });
    expect(res.status, `subscribing to ${feed}`).toBeLessThan(300);
    const { feed: view } = (await res.json()) as FeedCreated;
    expect(view.status, `${feed}: ${view.lastError}`).toBe('ok');
  }
}

export async function allItems(): Promise<ItemSummary[]> {
  const items: ItemSummary[] = [];
  let next: string | null = null;
  do {
    const page = (await (await callApp(`/api/items?limit=100${next ? `&before=${next}` : ''}`)).json()) as ItemsPage;
    items.push(...page.items);
    next = page.next;
  } while (next);
  return items;
}

/** The item whose link is this sample-site page. */
export async function itemFor(path: string): Promise<ItemSummary> {
  const item = (await allItems()).find((candidate) => candidate.url === siteUrl(path));
  if (!item) throw new Error(`no stored item links to ${path}`);
  return item;
}

/** Items that link to an article page of the sample site (not to a publication's front page). */
export async function articleItems(): Promise<ItemSummary[]> {
  return (await allItems()).filter((item) => item.url?.endsWith('.html') || /\/notes\/[^/]+\/$/.test(item.url ?? ''));
}

export async function fetchPage(url: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  return res.text();
}

export const collapse = (text: string | null | undefined) => (text ?? '').replace(/[\s\u00a0]+/g, ' ').trim();

/** The article body in each of the sample site's six templates (WordPress, Ghost, Jekyll, Genesis, magazine, Blogger). */
const BODY = '.entry-content, .gh-content, .post-content, .article-body, .post-body';
/** What surrounds the body on those templates: menus, adverts, comment threads, consent dialogs, widgets, scripts. */
const BOILERPLATE = [
  'nav',
  'script',
  'noscript',
  'form',
  '[role="dialog"]',
  '.comment-content',
  '.comment-list',
  '#comments',
  '.comments',
  '[data-ad-slot]',
  '.adthrive-ad',
  '[class^="ad-"]',
  '[class*=" ad-"]',
  '.widget',
  '.sidebar',
  'aside',
  '.site-footer',
].join(', ');
/** Texts shorter than this ("Home", "Reply") could appear anywhere; longer ones identify where they came from. */
const DISTINCT_TEXT = 12;

export interface PageParts {
  /** Paragraphs of the article body, as text. */
  bodyParagraphs: string[];
  /** Texts from around the body (each found in no part of the body itself). */
  boilerplate: string[];
  /** Absolute URLs of images shown only around the body (adverts, avatars, logos). */
  boilerplateImages: string[];
  /** Absolute URLs of lazily loaded body images, from data-src. */
  lazyImages: string[];
}

type Element = ReturnType<typeof parseHTML>['document']['body'];

const absolute = (href: string, base: string) => new URL(href, base).href;

export function pageParts(html: string, pageUrl: string): PageParts {
  const { document } = parseHTML(html);
  const bodies = [...document.querySelectorAll(BODY)] as Element[];
  expect(bodies.length, `an article body in ${pageUrl}`).toBeGreaterThan(0);
  for (const body of bodies) for (const inner of [...body.querySelectorAll(BOILERPLATE)]) inner.remove();
  const bodyText = collapse(bodies.map((body) => body.textContent).join(' '));
  // Read from the markup, so images inside <noscript> fallbacks and lazy data-src count as the body's too.
  const bodyImages = new Set(
    bodies.flatMap((body) =>
      [...body.innerHTML.matchAll(/\b(?:src|data-src)=["']([^"']+)["']/g)].map((m) => absolute(m[1] ?? '', pageUrl)),
    ),
  );

  const { document: whole } = parseHTML(html);
  const around = [...whole.querySelectorAll(BOILERPLATE)] as Element[];
  const texts = around.flatMap((element) =>
    [...element.querySelectorAll('p, li, a, h2, h3, span, b, cite, label, button')].map((e) => collapse(e.textContent)),
  );
  return {
    bodyParagraphs: bodies
      .flatMap((body) => [...body.querySelectorAll('p')].map((p) => collapse(p.textContent)))
      .filter((text) => text.length >= 60),
    boilerplate: [...new Set(texts)].filter((text) => text.length >= DISTINCT_TEXT && !bodyText.includes(text)),
    boilerplateImages: [
      ...new Set(
        around.flatMap((element) =>
          [...element.querySelectorAll('img[src]')].map((img) => absolute(img.getAttribute('src') ?? '', pageUrl)),
        ),
      ),
    ].filter((src) => !bodyImages.has(src) && !src.startsWith('data:')),
    lazyImages: bodies.flatMap((body) =>
      [...body.querySelectorAll('img[data-src]')].map((img) => absolute(img.getAttribute('data-src') ?? '', pageUrl)),
    ),
  };
}
