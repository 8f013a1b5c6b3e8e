// Search (GET /api/search, GET /search) in workerd with real D1: feeds written by the fixture origin, subscribed and
// refreshed through the reader's own code, so the index is kept by the same triggers and writes as in production.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiError, ArticleView, FeedCreated, ItemsPage, SearchResults } from '../../contract/http.ts';
import { SEEDED_KEY } from '../../worker-edge/jobs/seed-default-feeds.ts';
import { parseSearchQuery } from '../../worker-edge/search/search-query.ts';
import { snippetParts } from '../../worker-edge/search/snippet.ts';
import { setMeta } from '../../worker-edge/store/meta-store.ts';
import { adminHeaders, callApp } from '../support/call-app.ts';
import { invocationMeter } from '../support/invocation-meter.ts';
import { scriptResponses } from '../support/origin-control.ts';
import { refreshFeed, refreshSettings } from '../support/refresh-one.ts';
import { resetDatabase } from '../support/reset-database.ts';

const origin = env.FIXTURE_ORIGIN;
const DAY = 86_400_000;
const BASE = Date.UTC(2026, 10, 1);

interface FeedItem {
  guid: string;
  title: string;
  description: string;
  day: number;
  link?: string;
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function rss(title: string, items: FeedItem[]): string {
  const entries = items.map(
    (i) => `<item><guid isPermaLink="false">${i.guid}</guid><title>${xml(i.title)}</title>
      <link>${i.link ?? `${origin}/search-fixture/${i.guid}.html`}</link><description>${xml(i.description)}</description>
      <pubDate>${new Date(BASE + i.day * DAY).toUTCString()}</pubDate></item>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${xml(title)}</title>
    <link>${origin}/</link><description>Search fixtures</description>${entries.join('')}</channel></rss>`;
}

const feedBody = (body: string) => ({
  status: 200,
  headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
  body,
});

/** Serves the feed at a fresh address of the fixture origin and subscribes to it through POST /api/feeds. */
async function subscribeFeed(name: string, title: string, items: FeedItem[]): Promise<{ id: number; url: string }> {
  const url = `${origin}/search-fixture/${name}.rss`;
  await scriptResponses(url, [feedBody(rss(title, items)), feedBody(rss(title, items))]);
  const res = await callApp('/api/feeds', { method: 'POST', headers: adminHeaders, body: JSON.stringify({ url }) });
  expect(res.status, `subscribing to ${name}`).toBe(201);
  const { feed } = (await res.json()) as FeedCreated;
  expect(feed.status, String(feed.lastError)).toBe('ok');
  return { id: feed.id, url };
}

/** The feed now says this: refreshed at once through the consumer's code path. */
async function republish(
  feed: { id: number; url: string },
  title: string,
  items: FeedItem[],
  settings = refreshSettings(env),
) {
  await scriptResponses(feed.url, [feedBody(rss(title, items))]);
  const outcome = await refreshFeed(env.DB, feed.id, Date.now(), settings);
  expect(outcome.kind).toBe('refreshed');
}

async function search(query: string, extra = ''): Promise<SearchResults> {
  const res = await callApp(`/api/search?q=${encodeURIComponent(query)}${extra}`);
  expect(res.status, `${query}: ${res.status === 200 ? '' : await res.clone().text()}`).toBe(200);
  return (await res.json()) as SearchResults;
}

const titles = async (query: string, extra = '') => (await search(query, extra)).items.map((i) => i.title);

const HARBOUR: FeedItem[] = [
  {
    guid: 'h1',
    title: 'Tide tables for the spring',
    description: 'The harbour master publishes new tables every month.',
    day: 1,
  },
  { guid: 'h2', title: 'Harbour lights relit', description: 'Lamps along the quay shine again after repairs.', day: 2 },
  { guid: 'h3', title: 'Ferry notes', description: 'The tables turned at the tide meeting: the ferry stays.', day: 3 },
  { guid: 'h4', title: 'The harbourmaster retires', description: 'Forty years on the quay.', day: 4 },
  { guid: 'h5', title: 'Lantern festival', description: 'Paper lanterns on the water this weekend.', day: 5 },
];
const KITCHEN: FeedItem[] = [
  { guid: 'k1', title: 'Slow soup', description: 'A soup for cold evenings by the harbour.', day: 2 },
  { guid: 'k2', title: 'Bread twice', description: 'Identical twins of a recipe.', day: 1 },
  { guid: 'k3', title: 'Bread twice', description: 'Identical twins of a recipe.', day: 6 },
];

beforeEach(async () => {
  await resetDatabase();
  await setMeta(env.DB, SEEDED_KEY, '1');
  await setMeta(env.DB, 'last_refresh_at', String(Date.now()));
});

describe('query translation', () => {
  it.each([
    ['harbour', '"harbour"'],
    ['Tide  TABLES', '"Tide" "TABLES"'],
    ['"tide tables" ferry', '"tide tables" "ferry"'],
    ['harb*', '"harb"*'],
    ['"spring tide"*', '"spring tide"*'],
    ['harbour AND tide OR NOT ferry', '"harbour" "tide" "ferry"'],
    ['NEAR(harbour tide, 5)', '"harbour" "tide" "5"'],
    ['title:harbour -ferry ^lights {title}: x', '"title harbour" "ferry" "lights" "title" "x"'],
    ['don\'t "say ""it"""', '"don t" "say" "it"'],
  ])('%s → %s', (query, match) => {
    expect(parseSearchQuery(query)).toEqual({ match, source: null });
  });

  it('reads source: as a feed number or a title, bare or quoted', () => {
    expect(parseSearchQuery('source:12 tide').source).toEqual({ kind: 'id', id: 12 });
    expect(parseSearchQuery('tide source:"Slow Kitchen"').source).toEqual({ kind: 'title', title: 'Slow Kitchen' });
    expect(parseSearchQuery('SOURCE:kitchen tide')).toEqual({
      match: '"tide"',
      source: { kind: 'title', title: 'kitchen' },
    });
  });

  it('turns only whole marker pairs into marks', () => {
    expect(snippetParts('a \ue000tide\ue001 b \ue001c\ue000')).toEqual([
      { text: 'a ', marked: false },
      { text: 'tide', marked: true },
      { text: ' b c', marked: false },
    ]);
  });
});

describe('GET /api/search', () => {
  it('ranks title matches first, then by bm25, the newest first among equals', async () => {
    await subscribeFeed('harbour', 'Harbour Notes', HARBOUR);
    await subscribeFeed('kitchen', 'Slow Kitchen', KITCHEN);
    // "harbour" in the title beats "harbour" in the summary only.
    const harbour = await titles('harbour');
    expect(harbour).toEqual(['Harbour lights relit', 'Slow soup', 'Tide tables for the spring']);
    // Two identical items score the same: the newer (day 6) first.
    const bread = await search('bread');
    expect(bread.items.map((i) => i.publishedAt)).toEqual([
      new Date(BASE + 6 * DAY).toISOString(),
      new Date(BASE + DAY).toISOString(),
    ]);
    const soup = (await search('soup')).items[0]!;
    expect(soup).toMatchObject({
      title: 'Slow soup',
      url: `${origin}/search-fixture/k1.html`,
      summary: 'A soup for cold evenings by the harbour.',
    });
    expect(soup.snippetHtml).toContain('<mark>soup</mark>');
  });

  it('finds phrases only with their words together and in order', async () => {
    await subscribeFeed('harbour', 'Harbour Notes', HARBOUR);
    expect(await titles('tables tide')).toEqual(expect.arrayContaining(['Tide tables for the spring', 'Ferry notes']));
    expect(await titles('"tide tables"')).toEqual(['Tide tables for the spring']);
    expect(await titles('"tables turned"')).toEqual(['Ferry notes']);
  });

  it('finds words by their beginning with a trailing *, and only then', async () => {
    await subscribeFeed('harbour', 'Harbour Notes', HARBOUR);
    expect((await titles('harbo*')).sort()).toEqual([
      'Harbour lights relit',
      'The harbourmaster retires',
      'Tide tables for the spring',
    ]);
    expect(await titles('harbo')).toEqual([]);
    expect(await titles('harbourm*')).toEqual(['The harbourmaster retires']);
    expect((await titles('lant*')).sort()).toEqual(['Lantern festival']);
  });

  it('filters by source:, by number or title, in any case', async () => {
    const harbour = await subscribeFeed('harbour', 'Harbour Notes', HARBOUR);
    const kitchen = await subscribeFeed('kitchen', 'Slow Kitchen', KITCHEN);
    expect(await titles(`harbour source:${kitchen.id}`)).toEqual(['Slow soup']);
    expect(await titles('source:"slow kitchen" harbour')).toEqual(['Slow soup']);
    expect((await search(`harbour source:${harbour.id}`)).items.every((i) => i.feedId === harbour.id)).toBe(true);
    expect((await search(`harbour source:${harbour.id}`)).items).toHaveLength(2);
    expect(await titles('harbour source:"No Such Source"')).toEqual([]);
  });

  it('costs one D1 statement (the page two, at once: the results and the sources)', async () => {
    await subscribeFeed('harbour', 'Harbour Notes', HARBOUR);
    for (const [path, statements] of [
      ['/api/search?q=harbour', 1],
      ['/api/search?q=harb*%20source:1', 1],
      ['/search?q=harbour', 2],
    ] as const) {
      const meter = invocationMeter(env);
      const res = await meter.measure((e) => callApp(path, {}, e));
      expect(res.status, path).toBe(200);
      expect(meter.counts.statements, path).toBe(statements);
      expect(meter.counts.rowsWritten, path).toBe(0);
    }
  });

  it('pages with next and before: every match once, in the same order as one long page', async () => {
    const many: FeedItem[] = Array.from({ length: 7 }, (_, n) => ({
      guid: `m${n}`,
      title: `Quay report ${n}`,
      description: `${'quay '.repeat(n % 3)}weather and boats.`,
      day: n,
    }));
    await subscribeFeed('many', 'Quay Reports', many);
    const whole = (await search('quay', '&limit=50')).items.map((i) => i.id);
    expect(whole).toHaveLength(7);
    const paged: string[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const page: SearchResults = await search('quay', `&limit=3${next ? `&before=${next}` : ''}`);
      paged.push(...page.items.map((i) => i.id));
      next = page.next;
      pages += 1;
    } while (next && pages < 10);
    expect(pages).toBe(3);
    expect(paged).toEqual(whole);
  });

  it('answers which of the items given (among=) match, for a page comparing hits; refuses a list it cannot read', async () => {
    await subscribeFeed('harbour', 'Harbour Notes', HARBOUR);
    const kitchen = await subscribeFeed('kitchen', 'Slow Kitchen', KITCHEN);
    const harbour = (await search('harbour', '&limit=50')).items;
    expect(harbour.length).toBeGreaterThan(2);
    const [first, , third] = harbour;
    const notMatching = (await callApp(`/api/items?feed=${kitchen.id}`).then((r) => r.json())) as ItemsPage;
    const other = notMatching.items.find((item) => !harbour.some((hit) => hit.id === item.id))!;
    const among = [third!.id, other.id, first!.id, 'ffffffffffffffff'].join(',');
    const found = await search('harbour', `&among=${among}`);
    expect(found.items.map((i) => i.id)).toEqual([first!.id, third!.id]);
    expect(found.next).toBeNull();
    expect((await search('harbour', '&among=')).items).toEqual([]);
    for (const bad of ['not-an-id', Array.from({ length: 51 }, () => first!.id).join(',')]) {
      const res = await callApp(`/api/search?q=harbour&among=${bad}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as ApiError).error.message).toMatch(/at most 50 item ids/);
    }
  });

  it('follows an item changed by its feed, and items pruned or unsubscribed', async () => {
    const feed = await subscribeFeed('harbour', 'Harbour Notes', HARBOUR);
    expect(await titles('lantern')).toEqual(['Lantern festival']);
    const changed = HARBOUR.map((i) =>
      i.guid === 'h5' ? { ...i, title: 'Kite festival', description: 'Kites over the water.' } : i,
    );
    await republish(feed, 'Harbour Notes', changed);
    expect(await titles('lantern')).toEqual([]);
    expect(await titles('kites')).toEqual(['Kite festival']);
    // Two newer items and a retention of five: the two oldest are pruned, and leave the index.
    const newer = [
      ...changed,
      { guid: 'h6', title: 'Regatta', description: 'Sails.', day: 6 },
      { guid: 'h7', title: 'Regatta again', description: 'Sails.', day: 7 },
    ];
    await republish(feed, 'Harbour Notes', newer, { ...refreshSettings(env), retention: 5 });
    expect(await titles('tide')).toEqual(['Ferry notes']);
    expect(await titles('"lights relit"')).toEqual([]);
    const res = await callApp(`/api/feeds/${feed.id}`, { method: 'DELETE', headers: adminHeaders });
    expect(res.status).toBeLessThan(300);
    expect(await titles('regatta')).toEqual([]);
    const { rows } = (await env.DB.prepare('SELECT COUNT(*) AS rows FROM item_search').first<{ rows: number }>())!;
    expect(rows).toBe(0);
  });

  it('writes the index only when the title or summary changes', async () => {
    await subscribeFeed('harbour', 'Harbour Notes', HARBOUR);
    // As a refresh writes an item whose other fields changed: title and summary set again to what they were.
    const other = await env.DB.prepare(
      "UPDATE items SET title = title, summary = summary, content_hash = 'x', updated_at = 1 WHERE guid = 'h1'",
    ).run();
    expect(other.meta.rows_written).toBe(1);
    const title = await env.DB.prepare("UPDATE items SET title = 'Tide tables for the summer' WHERE guid = 'h1'").run();
    expect(title.meta.rows_written).toBeGreaterThan(1);
    expect(await titles('summer')).toEqual(['Tide tables for the summer']);
  });

  it('is built for an existing database by its migration: items, and their articles as text', async () => {
    const feed = await subscribeFeed('harbour', 'Harbour Notes', HARBOUR);
    // The database as it was before migration 0005, with an article stored.
    await env.DB.batch(
      ['item_search_insert', 'item_search_update', 'item_search_delete'].map((t) =>
        env.DB.prepare(`DROP TRIGGER ${t}`),
      ),
    );
    await env.DB.prepare('DROP TABLE item_search').run();
    const item = (await env.DB.prepare("SELECT id FROM items WHERE guid = 'h2'").first<{ id: string }>())!;
    await env.DB.prepare(
      `INSERT INTO articles (id, item_id, version, title, content_html, word_count, images, source, etag, extracted_at)
       VALUES (?1, ?1, 'v', 't', '<p class="ornate">The <a href="https://example.com/quixotic">albatross</a> &amp; the gull</p>', 4, '[]', 'page', 'e', 0)`,
    )
      .bind(item.id)
      .run();
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0005'))!;
    await env.DB.batch(migration.queries.map((sql) => env.DB.prepare(sql)));
    expect(await titles('harbour')).toEqual(['Harbour lights relit', 'Tide tables for the spring']);
    const [hit] = (await search('albatross')).items;
    expect(hit?.title).toBe('Harbour lights relit');
    expect(hit?.snippetHtml).toMatch(/<mark>albatross<\/mark>\s+&amp; the gull/);
    expect(await titles('ornate')).toEqual([]);
    expect(await titles('quixotic')).toEqual([]);
    // And the triggers are back: an unsubscribe empties it.
    await callApp(`/api/feeds/${feed.id}`, { method: 'DELETE', headers: adminHeaders });
    expect(await titles('harbour')).toEqual([]);
  });

  it('searches the text of an extracted article, without its markup', async () => {
    const link = `${origin}/search-fixture/pages/lighthouse.html`;
    const words = 'The keeper climbed the spiral stairs at dusk and lit the great lamp over the bay. '.repeat(12);
    const page = `<!doctype html><html><head><title>The lighthouse keeper</title></head><body><article><h1>The lighthouse keeper</h1>
      <p>${words}</p><p class="zanzibarclass">The <a href="https://example.com/quixotic">albatross</a> returned to the cliffs.</p>
      <p>${words}</p></article></body></html>`;
    await subscribeFeed('light', 'Light Notes', [
      { guid: 'l1', title: 'Keeper', description: 'A short note.', day: 1, link },
    ]);
    expect(await titles('albatross')).toEqual([]);
    await scriptResponses(link, [{ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page }]);
    const res = await callApp(`/api/items`);
    const { items } = (await res.json()) as { items: Array<{ id: string }> };
    const article = await callApp(`/api/articles/${items[0]!.id}`);
    expect(article.status).toBe(200);
    expect(((await article.json()) as ArticleView).source).toBe('page');
    const hit = (await search('albatross')).items;
    expect(hit.map((i) => i.title)).toEqual(['Keeper']);
    expect(hit[0]!.snippetHtml).toContain('<mark>albatross</mark>');
    expect(hit[0]!.snippetHtml).not.toMatch(/href|<a|<p/);
    expect(await titles('zanzibarclass')).toEqual([]);
    expect(await titles('quixotic')).toEqual([]);
  });

  it('shows hostile feed markup as text in snippets: only <mark> is markup', async () => {
    const hostile = 'harbour <img src=x onerror=alert(1)> <script>alert(2)</script> \ue001 <b>bold</b> & \ue000';
    // Twice escaped in the feed, so the reader stores it as text with the angle brackets in it.
    await subscribeFeed('hostile', 'Hostile', [
      { guid: 'x1', title: 'Harbour <i>title</i>', description: xml(hostile), day: 1 },
    ]);
    const items = (await (await callApp('/api/items')).json()) as { items: Array<{ summary: string }> };
    expect(items.items[0]!.summary).toContain('<img src=x onerror=alert(1)>');
    for (const query of ['harbour', 'alert', 'img', 'bold']) {
      const { items: hits } = await search(query);
      expect(hits, query).toHaveLength(1);
      const tags = hits[0]!.snippetHtml.match(/<[^>]*>/g) ?? [];
      expect(tags.length, query).toBeGreaterThan(0);
      expect(
        tags.every((tag) => tag === '<mark>' || tag === '</mark>'),
        `${query}: ${hits[0]!.snippetHtml}`,
      ).toBe(true);
      expect(hits[0]!.snippetHtml).not.toMatch(/[\ue000\ue001]/);
    }
    const page = await (await callApp('/search?q=alert')).text();
    expect(page).toContain('&lt;img src=x onerror=<mark>alert</mark>(1)&gt;');
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<script>alert');
  });

  it.each([
    ['empty', ''],
    ['spaces only', '   '],
    ['unbalanced quotes', '"tide tables'],
    ['operators only', 'AND OR NOT'],
    ['punctuation only', '!!! ... ---'],
    ['a source and no word', 'source:3'],
    ['2,000 characters', 'tide '.repeat(400)],
    ['a control character', 'tide\u0007tables'],
    ['a newline', 'tide\ntables'],
    ['too many words', Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ')],
  ])('refuses %s with a 400 that says why', async (_what, query) => {
    const res = await callApp(`/api/search?q=${encodeURIComponent(query)}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ApiError;
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message.length).toBeGreaterThan(15);
  });

  it('refuses a missing q and a cursor it did not give out; FTS5 syntax in words is searched as words', async () => {
    await subscribeFeed('harbour', 'Harbour Notes', HARBOUR);
    expect((await callApp('/api/search')).status).toBe(400);
    expect((await callApp('/api/search?q=tide&before=bm90LWEtY3Vyc29y')).status).toBe(400);
    for (const query of [
      'tide OR',
      '(tide',
      'NEAR(tide',
      'tide*)',
      '{title}:tide',
      'tide -',
      '^tide',
      '"tide"*"',
      'title:tide',
      '*',
      '"" tide',
    ]) {
      const res = await callApp(`/api/search?q=${encodeURIComponent(query)}`);
      expect(res.status, query).toBeLessThan(500);
    }
    expect(await titles('(tide')).toEqual(expect.arrayContaining(['Tide tables for the spring', 'Ferry notes']));
  });
});

describe('GET /search', () => {
  it('works without JavaScript: the form, marked snippets linking to /read/:id, paging, under the page CSP', async () => {
    await subscribeFeed('harbour', 'Harbour Notes', HARBOUR);
    const res = await callApp('/search?q=quay');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<form method="get" action="/search"');
    expect(html).toMatch(/<a href="\/read\/[0-9a-f]{16}">Harbour lights relit<\/a>/);
    expect(html).toContain('<mark>quay</mark>');
    expect(html).toContain('Harbour Notes');
    expect(html).not.toMatch(/<script(?![^>]*src="\/app\.js")/);
    expect(html).not.toMatch(/style=/);
  });

  it('pages on with a link, and filters by the source chosen in the form', async () => {
    await subscribeFeed('harbour', 'Harbour Notes', HARBOUR);
    const kitchen = await subscribeFeed('kitchen', 'Slow Kitchen', KITCHEN);
    const filtered = await (await callApp(`/search?q=harbour&source=${kitchen.id}`)).text();
    expect(filtered).toContain('Slow soup');
    expect(filtered).not.toContain('Harbour lights relit');
    expect(filtered).toMatch(new RegExp(`<option value="${kitchen.id}" selected`));
    const many: FeedItem[] = Array.from({ length: 23 }, (_, n) => ({
      guid: `p${n}`,
      title: `Pier ${n}`,
      description: 'pier news',
      day: n,
    }));
    await subscribeFeed('pier', 'Pier', many);
    const first = await (await callApp('/search?q=pier')).text();
    const more = /<a href="([^"]+)" rel="next">More results<\/a>/.exec(first);
    expect(more).not.toBeNull();
    const second = await (await callApp(more![1]!.replace(/&amp;/g, '&'))).text();
    expect(second.match(/class="item search-hit"/g)).toHaveLength(3);
  });

  it('shows a bad query in the form with what to change, as a 400 page', async () => {
    const res = await callApp(`/search?q=${encodeURIComponent('"tide tables')}`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('is not closed');
    expect(html).toContain('value="&quot;tide tables"');
    expect((await callApp('/search')).status).toBe(200);
  });

  it('is offered in every page header', async () => {
    const html = await (await callApp('/sources')).text();
    expect(html).toMatch(
      /<form method="get" action="\/search" class="site-search" role="search" aria-label="Site search">/,
    );
  });
});
