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
import { articleItems, collapse, fetchPage, itemFor, pageParts, siteUrl, subscribeSampleFeeds } from '../support/sample-site.ts';

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
    ...(img.getAttribute('srcset') ?? '').split(',').map((candidate) => candidate.trim().split(/\s+/)[0] ?? '').filter(Boolean),
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
      for (const paragraph of parts.bodyParagraphs) expect(text, `${item.url} keeps: ${paragraph}`).toContain(paragraph);
      for (const boilerplate of parts.boilerplate) expect(text, `${item.url} drops: ${boilerplate}`).not.toContain(boilerplate);
      for (const image of parts.boilerplateImages) expect(view.images, `${item.url} drops image ${image}`).not.toContain(proxied(image));
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
    const relative = [...page.querySelectorAll('.post-content img')].map((img) => img.getAttribute('src')!).find((src) => src.startsWith('..'));
    expect(relative, 'the page has a relative image path').toBeTruthy();
    expect(view.images).toContain(proxied(new URL(relative!, item.url!).href));

    const sized = (await article((await itemFor('harbour/2026/11/library-hours.html')).id)).contentHtml;
    const { document } = parseHTML(`<div>${sized}</div>`);
    const withSize = [...document.querySelectorAll('img')].filter((img) => img.getAttribute('width') && img.getAttribute('height'));
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
    await scriptResponses(item.url!, [{ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html }]);
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
    expect(html).not.toMatch(/<(script|svg|math|iframe|object|embed|form|input|button|textarea|base|meta|link|style|noscript)\b/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/javascript:|vbscript:|data:|expression\(/i);
    expect(htmlToText(html)).not.toMatch(/alert\(/);
    const { document } = parseHTML(`<div>${html}</div>`);
    for (const element of document.querySelectorAll('*')) {
      for (const name of element.getAttributeNames()) {
        expect(['href', 'src', 'srcset', 'alt', 'title', 'width', 'height', 'loading', 'rel', 'colspan', 'rowspan', 'start']).toContain(name);
      }
    }
  });

  it('resolves relative links against the page, not against an injected <base> on another host', () => {
    const { document } = parseHTML(`<div>${view.contentHtml}</div>`);
    const hrefs = [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')!);
    expect(hrefs).toContain(siteUrl('harbour/2026/11/tidal-footbridge-approved.html'));
    expect(hrefs.filter((href) => href.startsWith('https://evil.example/second/') || href.startsWith('https://evil.example/site/'))).toEqual([]);
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
    ['a page with nothing to read', { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body><nav><a href="/">Home</a></nav></body></html>' }],
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
