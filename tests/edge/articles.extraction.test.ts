// What GET /api/articles/:id makes of the sample site's pages: the body kept, everything around it dropped, links
// absolute, images through /img, hostile markup defused, and the feed's copy when the page gives too little.
// Expectations are read from the fixture pages themselves (see tests/support/sample-site.ts), not written per page.
import { env } from 'cloudflare:test';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArticleView, ItemDetail, ItemSummary } from '../../contract/http.ts';
import { htmlToText } from '../../worker-edge/html/sanitize-html.ts';
import { callApp } from '../support/call-app.ts';
import { scriptResponses } from '../support/origin-control.ts';
import {
  articleItems,
  collapse,
  fetchPage,
  itemFor,
  pageParts,
  siteUrl,
  subscribeSampleFeeds,
} from '../support/sample-site.ts';

const HOSTILE_PAGE = 'harbour/2026/11/ferry-timetable-winter.html';
const SHORT_NOTE = 'kitchen/notes/closed-for-the-holidays.html';
const LAZY_IMAGES_PAGE = 'kitchen/recipes/weeknight-dal.html';

async function article(itemId: string): Promise<ArticleView> {
  const res = await callApp(`/api/articles/${itemId}`);
  expect(res.status, `article for ${itemId}: ${res.status}`).toBe(200);
  return res.json();
}

const textOf = (view: ArticleView) => htmlToText(view.contentHtml);
const proxied = (absoluteUrl: string) => `/img?u=${encodeURIComponent(absoluteUrl)}`;

/** Every image URL in the content, from src and srcset alike. */
function imageUrls(html: string): string[] {
  const { document } = parseHTML(`<div>${html}</div>`);
  return [...document.querySelectorAll('img')].flatMap((img) => [
    img.getAttribute('src') ?? '',
    ...(img.getAttribute('srcset') ?? '')
      .split(',')
      .map((candidate) => candidate.trim().split(/\s+/)[0] ?? '')
      .filter(Boolean),
  ]);
}

let items: ItemSummary[];

beforeAll(async () => {
  await subscribeSampleFeeds();
  items = await articleItems();
});

describe('extraction over every article page of the sample site', () => {
  it('finds two dozen article pages to read', () => {
    expect(items.length).toBeGreaterThanOrEqual(24);
  });

  it('keeps the body text and drops navigation, ads, comments and scripts', async () => {
    for (const item of items.filter((i) => !i.url!.endsWith(SHORT_NOTE))) {
      const view = await article(item.id);
      const parts = pageParts(await fetchPage(item.url!), item.url!);
      const text = collapse(textOf(view));
      expect(view.source, item.url!).toBe('page');
      expect(parts.bodyParagraphs.length, item.url!).toBeGreaterThan(0);
      expect(parts.boilerplate.length, item.url!).toBeGreaterThan(0);
      for (const paragraph of parts.bodyParagraphs)
        expect(text, `${item.url} keeps: ${paragraph}`).toContain(paragraph);
      for (const boilerplate of parts.boilerplate)
        expect(text, `${item.url} drops: ${boilerplate}`).not.toContain(boilerplate);
      for (const image of parts.boilerplateImages)
        expect(view.images, `${item.url} drops image ${image}`).not.toContain(proxied(image));
      expect(view.contentHtml).not.toMatch(/<(script|nav|form|iframe|style|aside)\b/i);
    }
  });

  it('makes every link absolute and sends every image through /img, lazily, with its size', async () => {
    for (const item of items) {
      const view = await article(item.id);
      const { document } = parseHTML(`<div>${view.contentHtml}</div>`);
      for (const link of document.querySelectorAll('a[href]')) {
        expect(link.getAttribute('href'), item.url!).toMatch(/^(https?:\/\/|mailto:)/);
      }
      const urls = imageUrls(view.contentHtml);
      for (const url of urls) {
        expect(url, item.url!).toMatch(/^\/img\?u=/);
        expect(new URL(decodeURIComponent(url.slice('/img?u='.length))).protocol, url).toMatch(/^https?:$/);
      }
      for (const img of document.querySelectorAll('img')) expect(img.getAttribute('loading'), item.url!).toBe('lazy');
      expect(new Set(view.images), item.url!).toEqual(new Set(urls));
    }
  });

  it('keeps width and height on images and resolves relative image paths against the page', async () => {
    const item = await itemFor('workshop/2026/10/28/workshop-humidity-logger.html');
    const view = await article(item.id);
    const { document: page } = parseHTML(await fetchPage(item.url!));
    const relative = [...page.querySelectorAll('.post-content img')]
      .map((img) => img.getAttribute('src')!)
      .find((src) => src.startsWith('..'));
    expect(relative, 'the page has a relative image path').toBeTruthy();
    expect(view.images).toContain(proxied(new URL(relative!, item.url!).href));

    const sized = (await article((await itemFor('harbour/2026/11/library-hours.html')).id)).contentHtml;
    const { document } = parseHTML(`<div>${sized}</div>`);
    const withSize = [...document.querySelectorAll('img')].filter(
      (img) => img.getAttribute('width') && img.getAttribute('height'),
    );
    expect(withSize.length).toBeGreaterThan(0);
  });

  it('uses the real image behind a lazy-loading placeholder (data-src), not the placeholder', async () => {
    const item = await itemFor(LAZY_IMAGES_PAGE);
    const parts = pageParts(await fetchPage(item.url!), item.url!);
    expect(parts.lazyImages.length, 'the page lazy-loads its images').toBeGreaterThan(0);
    const view = await article(item.id);
    for (const image of parts.lazyImages) expect(view.images).toContain(proxied(image));
    expect(view.contentHtml).not.toMatch(/data:image/);
  });

  it('uses the real image when the placeholder is an ordinary image, with no lazy class or <noscript> copy to hint', async () => {
    const item = await itemFor(LAZY_IMAGES_PAGE);
    const placeholder = siteUrl('images/pixel.gif');
    const html = (await fetchPage(item.url!))
      .replace(/<noscript>[\s\S]*?<\/noscript>/g, '')
      .replace(/src="data:image[^"]*"/g, `src="${placeholder}"`)
      .replace(/\sclass="lazyload"/g, '');
    const parts = pageParts(html, item.url!);
    expect(parts.lazyImages.length).toBeGreaterThan(0);
    await env.DB.prepare('DELETE FROM articles WHERE item_id = ?').bind(item.id).run();
    await scriptResponses(item.url!, [
      { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html },
    ]);
    const view = await article(item.id);
    expect(view.source).toBe('page');
    for (const image of parts.lazyImages) expect(view.images).toContain(proxied(image));
    expect(view.images).not.toContain(proxied(placeholder));
  });
});

describe('hostile markup', () => {
  let view: ArticleView;

  beforeAll(async () => {
    view = await article((await itemFor(HOSTILE_PAGE)).id);
  });

  it('still reads the article', async () => {
    const parts = pageParts(await fetchPage(siteUrl(HOSTILE_PAGE)), siteUrl(HOSTILE_PAGE));
    for (const paragraph of parts.bodyParagraphs) expect(collapse(textOf(view))).toContain(paragraph);
  });

  it('lets no script, handler, frame, form, style, base or refresh through', () => {
    const html = view.contentHtml;
    expect(html).not.toMatch(
      /<(script|svg|math|iframe|object|embed|form|input|button|textarea|base|meta|link|style|noscript)\b/i,
    );
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/javascript:|vbscript:|data:|expression\(/i);
    expect(htmlToText(html)).not.toMatch(/alert\(/);
    const { document } = parseHTML(`<div>${html}</div>`);
    for (const element of document.querySelectorAll('*')) {
      for (const name of element.getAttributeNames()) {
        expect([
          'href',
          'src',
          'srcset',
          'alt',
          'title',
          'width',
          'height',
          'loading',
          'rel',
          'colspan',
          'rowspan',
          'start',
        ]).toContain(name);
      }
    }
  });

  it('resolves relative links against the page, not against an injected <base> on another host', () => {
    const { document } = parseHTML(`<div>${view.contentHtml}</div>`);
    const hrefs = [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')!);
    expect(hrefs).toContain(siteUrl('harbour/2026/11/tidal-footbridge-approved.html'));
    expect(
      hrefs.filter(
        (href) => href.startsWith('https://evil.example/second/') || href.startsWith('https://evil.example/site/'),
      ),
    ).toEqual([]);
    for (const url of view.images) expect(decodeURIComponent(url)).toContain(env.FIXTURE_ORIGIN);
  });
});

describe("falling back to the feed's own content", () => {
  it('uses the feed copy when the page is only a short note', async () => {
    const item = await itemFor(SHORT_NOTE);
    const view = await article(item.id);
    const detail = (await (await callApp(`/api/items/${item.id}`)).json()) as ItemDetail;
    expect(view.source).toBe('feed');
    expect(collapse(textOf(view))).toBe(collapse(htmlToText(detail.contentHtml)));
    expect(view).toMatchObject({ id: item.id, url: item.url, title: item.title });
  });

  it.each([
    [
      'a page with nothing to read',
      {
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: '<html><body><nav><a href="/">Home</a></nav></body></html>',
      },
    ],
    ['a page that is not HTML', { status: 200, headers: { 'content-type': 'application/pdf' }, body: '%PDF-1.7' }],
    ['a page behind a login', { status: 403, body: 'Forbidden' }],
  ])('uses the feed copy for %s', async (_name, response) => {
    const item = await itemFor('harbour/2026/11/storm-clean-up.html');
    await env.DB.prepare('DELETE FROM articles WHERE item_id = ?').bind(item.id).run();
    await scriptResponses(item.url!, [response]);
    const view = await article(item.id);
    const detail = (await (await callApp(`/api/items/${item.id}`)).json()) as ItemDetail;
    expect(view.source).toBe('feed');
    expect(view.wordCount).toBeGreaterThan(20);
    expect(collapse(textOf(view))).toBe(collapse(htmlToText(detail.contentHtml)));
    for (const url of imageUrls(view.contentHtml)) expect(url).toMatch(/^\/img\?u=/);
  });
});

/** The heading levels of the content, in order. */
const headingLevels = (html: string) => [...html.matchAll(/<h([1-6])>/g)].map((match) => Number(match[1]));

/** The page's h1 is the title: the content starts at h2 and never goes more than one level deeper at a time. */
function expectNestedUnderTitle(levels: number[], label: string): void {
  let previous = 1;
  for (const level of levels) {
    expect(level, `${label}: ${levels.join(' ')}`).toBeGreaterThanOrEqual(2);
    expect(level, `${label}: ${levels.join(' ')}`).toBeLessThanOrEqual(previous + 1);
    previous = level;
  }
}

describe('headings nest under the title', () => {
  it('on every article page of the sample site', async () => {
    for (const item of items) expectNestedUnderTitle(headingLevels((await article(item.id)).contentHtml), item.url!);
  });

  it('when the page starts its content at h3 and skips to h5 (the levels move, their order stays)', async () => {
    const path = 'harbour/2026/11/rowing-club-centenary.html';
    const item = await itemFor(path);
    const original = await fetchPage(item.url!);
    const skipping = original.replace(/<(\/?)h3>/g, '<$1h5>').replace(/<(\/?)h2>/g, '<$1h3>');
    expect(skipping).toContain('<h5>What the juniors say</h5>');
    await env.DB.prepare('DELETE FROM articles WHERE item_id = ?').bind(item.id).run();
    await scriptResponses(item.url!, [
      { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: skipping },
    ]);
    const html = (await article(item.id)).contentHtml;
    expectNestedUnderTitle(headingLevels(html), path);
    expect(html).toContain('<h2>The boats</h2>');
    expect(html).toContain('<h3>What the juniors say</h3>');
  });
});

describe('rating, share and newsletter widgets', () => {
  const RATING = /★|\bfrom \d+ votes\b/;

  it('drops the recipe rating widget on every recipe, keeping the recipe', async () => {
    const recipes = items.filter((item) => item.url!.includes('/kitchen/recipes/'));
    expect(recipes.length).toBeGreaterThanOrEqual(4);
    for (const item of recipes) {
      const page = await fetchPage(item.url!);
      expect(page, `${item.url} has a rating widget`).toMatch(/class="rating-widget"/);
      const view = await article(item.id);
      expect(view.source, item.url!).toBe('page');
      expect(textOf(view), item.url!).not.toMatch(RATING);
      for (const paragraph of pageParts(page, item.url!).bodyParagraphs)
        expect(collapse(textOf(view)), item.url!).toContain(paragraph);
    }
  });

  it('drops share rows and newsletter boxes named as such, and small blocks that only say so, but no paragraph', async () => {
    const item = await itemFor('harbour/2026/11/library-hours.html');
    const original = await fetchPage(item.url!);
    const endOfBody = original.lastIndexOf('</p>', original.indexOf('class="sharedaddy'));
    expect(endOfBody, 'the page has a Jetpack share row').toBeGreaterThan(0);
    const widgets = [
      '<p>Share on Facebook · Twitter · Email</p>',
      '<div class="newsletter-signup"><h3>Get the Courier by email</h3><p>Every Friday, the week in Brackwater.</p></div>',
      '<p>Subscribe to our newsletter for weekly updates</p>',
      '<div>★★★★☆ 4.2 from 118 votes</div>',
      '<p>Shared ownership of the reading room was the subject of a long share-out of duties between the school and the council.</p>',
    ].join('');
    const withWidgets = `${original.slice(0, endOfBody + 4)}${widgets}${original.slice(endOfBody + 4)}`;
    await env.DB.prepare('DELETE FROM articles WHERE item_id = ?').bind(item.id).run();
    await scriptResponses(item.url!, [
      { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: withWidgets },
    ]);
    const text = collapse(textOf(await article(item.id)));
    for (const gone of [
      'Share this',
      'Share on Facebook',
      'Get the Courier by email',
      'Every Friday',
      'Subscribe to our newsletter',
      '118 votes',
    ]) {
      expect(text).not.toContain(gone);
    }
    expect(text).toContain('Shared ownership of the reading room');
    for (const paragraph of pageParts(original, item.url!).bodyParagraphs) expect(text).toContain(paragraph);
  });
});
