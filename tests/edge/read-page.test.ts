// GET /read/:id, the readable page: everything a reader needs without JavaScript, under a strict CSP, with nothing
// from a hostile page able to run, and pages that explain a missing article or an origin that failed.
import { env } from 'cloudflare:test';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArticleView, ItemDetail } from '../../contract/http.ts';
import { htmlToText } from '../../worker-edge/html/sanitize-html.ts';
import { callApp } from '../support/call-app.ts';
import { scriptResponses } from '../support/origin-control.ts';
import { collapse, fetchPage, itemFor, pageParts, subscribeSampleFeeds } from '../support/sample-site.ts';

const CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "img-src 'self'",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
];

async function readPage(id: string, status = 200) {
  const res = await callApp(`/read/${id}`);
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await res.text();
  return { res, html, document: parseHTML(html).document };
}

/**
 * Nothing in the document can run but the site's own client module: no inline or foreign script, no handler, no
 * script URL, no base, no refresh, no inline style.
 */
function expectInert(html: string): void {
  const { document } = parseHTML(html);
  const scripts = [...document.querySelectorAll('script')];
  expect(scripts.map((s) => [s.getAttribute('src'), s.getAttribute('type'), s.textContent])).toEqual([
    ['/app.js', 'module', ''],
  ]);
  expect(document.querySelectorAll('main script')).toHaveLength(0);
  expect(
    document.querySelectorAll('iframe, object, embed, svg, math, base, style, main form, main input'),
  ).toHaveLength(0);
  // The one form outside the article: the header's search box, ours.
  expect([...document.querySelectorAll('form')].map((f) => f.getAttribute('action'))).toEqual(['/search']);
  expect(document.querySelectorAll('meta[http-equiv]')).toHaveLength(0);
  for (const element of document.querySelectorAll('*')) {
    for (const name of element.getAttributeNames()) {
      expect(name, element.outerHTML.slice(0, 120)).not.toMatch(/^on|^style$|^srcdoc$|^formaction$/);
      expect(element.getAttribute(name)!, `${name} on ${element.tagName}`).not.toMatch(
        /^\s*(javascript|data|vbscript):/i,
      );
    }
  }
  expect(html).not.toMatch(/javascript:/i);
}

beforeAll(async () => {
  await subscribeSampleFeeds(['feeds/harbour-courier.rss', 'feeds/field-notes.atom']);
});

describe('an article', () => {
  it('shows title, source, date, byline, reading time, the article and a link to the original', async () => {
    const item = await itemFor('notes/starling-murmuration/');
    const { res, html, document } = await readPage(item.id);
    const view = (await (await callApp(`/api/articles/${item.id}`)).json()) as ArticleView;
    const text = collapse(document.body.textContent);

    expect(document.querySelector('h1')?.textContent).toBe(item.title);
    expect(text).toContain('Field Notes');
    expect(text).toContain(`by ${view.byline}`);
    expect(document.querySelector('time')?.getAttribute('datetime')).toBe(view.publishedAt);
    expect(text).toMatch(new RegExp(`${Math.max(1, Math.round(view.wordCount / 230))} min read`));
    for (const paragraph of pageParts(await fetchPage(item.url!), item.url!).bodyParagraphs)
      expect(text).toContain(paragraph);
    expect(document.querySelector(`a[href="${item.url}"]`)?.textContent).toMatch(/Read the original/);
    expect(document.querySelector('link[rel="stylesheet"]')?.getAttribute('href')).toBe('/reader.css');
    expect(html).toContain('data-save-offline');
    for (const img of document.querySelectorAll('.content img')) expect(img.getAttribute('src')).toMatch(/^\/img\?u=/);
    expect(res.headers.get('cache-control')).toMatch(/max-age=/);
  });

  it('is served under a strict Content-Security-Policy, with no inline script or style to need loosening it', async () => {
    const { res, html } = await readPage((await itemFor('harbour/2026/11/library-hours.html')).id);
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const directive of CSP_DIRECTIVES) expect(csp).toContain(directive);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBeTruthy();
    expectInert(html);
  });

  it('renders a hostile page inert', async () => {
    const item = await itemFor('harbour/2026/11/ferry-timetable-winter.html');
    const { html, document } = await readPage(item.id);
    expectInert(html);
    expect(collapse(document.body.textContent)).toContain('The passenger ferry between Brackwater and Porthlow');
  });
});

describe('when there is no article to show', () => {
  it('explains a missing article, with a way back, as a 404 page', async () => {
    const { html, document } = await readPage('0123456789abcdef', 404);
    expect(document.querySelector('h1')?.textContent).toMatch(/not here/i);
    expect(document.querySelector('a[href="/"]')).not.toBeNull();
    expectInert(html);
  });

  it("says the site failed and what happens next, and shows the feed's own text meanwhile", async () => {
    const item = await itemFor('harbour/2026/11/tidal-footbridge-approved.html');
    await env.DB.prepare('DELETE FROM articles WHERE item_id = ?').bind(item.id).run();
    await scriptResponses(item.url!, [{ status: 503, headers: { 'Retry-After': '300' } }]);
    const { res, html, document } = await readPage(item.id, 502);
    const text = collapse(document.body.textContent);
    expect(res.headers.get('retry-after')).toBe('300');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(text).toMatch(/could not be fetched/i);
    expect(text).toMatch(/503/);
    expect(text).toMatch(/5 minutes/);
    const detail = (await (await callApp(`/api/items/${item.id}`)).json()) as ItemDetail;
    expect(text).toContain(collapse(htmlToText(detail.contentHtml)).slice(0, 120));
    expect(document.querySelector(`a[href="${item.url}"]`)).not.toBeNull();
    expectInert(html);
  });

  it('says when the publisher has taken the page down', async () => {
    const item = await itemFor('harbour/2026/11/rowing-club-centenary.html');
    await env.DB.prepare('DELETE FROM articles WHERE item_id = ?').bind(item.id).run();
    await scriptResponses(item.url!, [{ status: 410 }]);
    const { document } = await readPage(item.id, 404);
    expect(collapse(document.body.textContent)).toMatch(/gone|taken this page down/i);
    expect(document.querySelector('h1')?.textContent).toBe(item.title);
  });
});
