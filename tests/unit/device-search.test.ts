// The search on the device, over a real IndexedDB (fake-indexeddb) and the worker's caches as the refresh fills
// them: the edge's grammar (every word, "phrases" in a row, prefixes*, source:"name"), its ranking (title first,
// then the newest among equals), snippets with the matches marked, and hostile article text escaped on the page.
import { deleteDB } from 'idb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ArticleView } from '../../contract/http.ts';
import { articleJsonUrl } from '../../contract/paths.ts';
import { parseSearchText } from '../../contract/search-grammar.ts';
import { CACHES } from '../../sw/cache-names.ts';
import { searchDevice } from '../../sw/device-search.ts';
import { answerDeviceSearch } from '../../sw/device-search-answer.ts';
import { deviceSearchMain } from '../../sw/device-search-page.ts';
import { addPrefetched, removeArticle } from '../../sw/library.ts';
import { SEARCH_INDEX_DB } from '../../sw/search-index.ts';
import { ORIGIN } from './support/worker-globals.ts';

beforeEach(async () => {
  await deleteDB(SEARCH_INDEX_DB);
});

async function keep(id: string, article: Partial<ArticleView> & { title: string; contentHtml: string }) {
  const json = `${ORIGIN}${articleJsonUrl(id)}`;
  const view: ArticleView = {
    id,
    url: `https://harbour.example/${id}`,
    byline: null,
    siteName: 'Harbour Town Courier',
    publishedAt: '2026-03-01T08:00:00Z',
    wordCount: 0,
    images: [],
    source: 'page',
    ...article,
  };
  await (await caches.open(CACHES.prefetched)).put(json, Response.json(view));
  await addPrefetched({
    itemId: id,
    title: view.title,
    publishedAt: view.publishedAt,
    bytes: 100,
    cachedUrls: [json],
    missingImages: [],
    imagesDueAt: null,
  });
}

/** `count` articles that all mention a lantern, a minute apart: `${prefix}0` the oldest. */
async function keepLanternReports(prefix: string, count: number) {
  for (let n = 0; n < count; n += 1)
    await keep(`${prefix}${n}`, {
      title: `Report ${n}`,
      contentHtml: '<p>lantern</p>',
      publishedAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    });
}

const search = async (q: string) => (await searchDevice(parseSearchText(q))).hits.map((h) => h.article.itemId);

describe('search on the device', () => {
  it('needs every word, and ranks a title match above the text, the newest first among equals', async () => {
    await keep('body', { title: 'Ferry news', contentHtml: '<p>The harbour wall and the tide.</p>' });
    await keep('title', { title: 'Harbour tide tables', contentHtml: '<p>Printed weekly.</p>' });
    await keep('old', {
      title: 'Ferry news',
      contentHtml: '<p>The harbour wall and the tide.</p>',
      publishedAt: '2025-01-01T00:00:00Z',
    });
    await keep('half', { title: 'Harbour only', contentHtml: '<p>No water here.</p>' });
    expect(await search('harbour tide')).toEqual(['title', 'body', 'old']);
    expect(await search('harbour AND tide OR NOT')).toEqual(['title', 'body', 'old']);
  });

  it.each([
    ['"tide tables"', ['row']],
    ['tide tables', ['apart', 'row']],
    ['"spring tide"*', ['apart', 'row']],
    ['"spring tide t"*', ['row']],
    ['tab*', ['apart', 'row']],
    ['tab', []],
  ])(
    'matches a phrase only in a row, and prefixes of words and of a phrase’s last word: %s finds %j',
    async (query, found) => {
      await keep('row', { title: 'A', contentHtml: '<p>Spring tide tables for May.</p>' });
      await keep('apart', { title: 'B', contentHtml: '<p>Tables of the spring tide.</p>' });
      expect((await search(query)).sort()).toEqual(found);
    },
  );

  it.each([
    ['cafe', ['cafe']],
    ['"creme brulee"', ['cafe']],
    ['"the quay"', ['cafe']],
    ['amp', []],
    ['brulee quay', ['cafe']],
  ])(
    'folds case and diacritics as the edge does, and reads the text out of the HTML: %s finds %j',
    async (query, found) => {
      await keep('cafe', {
        title: 'Le Café du Port',
        contentHtml: '<p>Crème &amp; <b>BRÛLÉE</b> by the&nbsp;quay</p>',
      });
      expect(await search(query)).toEqual(found);
    },
  );

  it('filters by a source’s name, in any case', async () => {
    await keep('a', { title: 'Tide', contentHtml: '<p>x</p>' });
    await keep('b', { title: 'Tide', contentHtml: '<p>y</p>', siteName: 'Slow Kitchen' });
    expect(await search('tide source:"slow kitchen"')).toEqual(['b']);
    expect(await search('tide source:nowhere')).toEqual([]);
  });

  it('follows the library: a removed article is no longer found, and the count says what was searched', async () => {
    await keep('a', { title: 'Harbour', contentHtml: '<p>one</p>' });
    await keep('b', { title: 'Harbour', contentHtml: '<p>two</p>' });
    expect((await searchDevice(parseSearchText('harbour'))).searched).toBe(2);
    await removeArticle('a');
    const results = await searchDevice(parseSearchText('harbour'));
    expect(results.searched).toBe(1);
    expect(results.hits.map((h) => h.article.itemId)).toEqual(['b']);
  });

  it('gives the hits a page at a time, the edge’s page size', async () => {
    await keepLanternReports('p', 25);
    const first = await searchDevice(parseSearchText('lantern'));
    expect(first.matched).toBe(25);
    expect(first.hits.map((h) => h.article.itemId).slice(0, 2)).toEqual(['p24', 'p23']);
    expect(first.hits).toHaveLength(20);
    const rest = await searchDevice(parseSearchText('lantern'), { from: 20 });
    expect(rest.hits.map((h) => h.article.itemId)).toEqual(['p4', 'p3', 'p2', 'p1', 'p0']);
  });

  it('leaves out the hits the page shows already, after ranking, so the rest keep their order and count', async () => {
    await keepLanternReports('e', 5);
    const results = await searchDevice(parseSearchText('lantern'), { exclude: new Set(['e4', 'e2']), limit: 2 });
    expect(results.hits.map((h) => h.article.itemId)).toEqual(['e3', 'e1']);
    expect(results.matched).toBe(3);
    expect(results.searched).toBe(5);
  });

  it('answers the page: the form’s source by its name, what the page shows left out; a query to fix is refused', async () => {
    await keep('a', { title: 'Tide', contentHtml: '<p>x</p>' });
    await keep('b', { title: 'Tide', contentHtml: '<p>y</p>', siteName: 'Slow Kitchen' });
    await keep('c', { title: 'Tide', contentHtml: '<p>z</p>', siteName: 'Slow Kitchen' });
    const ask = (query: string, sourceTitle: string | null, exclude: string[] = []) =>
      answerDeviceSearch({ query, sourceTitle, exclude, limit: 20 });
    const all = await ask('tide', null, ['a']);
    expect(all.hits.map((h) => h.itemId).sort()).toEqual(['b', 'c']);
    expect(all.hits[0]).toMatchObject({ title: 'Tide', source: 'Slow Kitchen', publishedAt: '2026-03-01T08:00:00Z' });
    expect(all.hits[0]?.snippet.some((part) => part.marked)).toBe(true);
    expect((await ask('tide', 'slow kitchen', ['c'])).hits.map((h) => h.itemId)).toEqual(['b']);
    expect((await ask('tide source:7', 'Slow Kitchen')).hits).toHaveLength(2);
    await expect(ask('tide source:7', null)).rejects.toThrow(/known by its name/);
    await expect(ask('"tide', null)).rejects.toThrow(/not closed/);
  });

  it('marks the matches in a snippet of the text and escapes hostile text on the page', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    await keep('x', {
      title: '<img src=x onerror=alert(1)>',
      contentHtml: `<p>${long} &lt;script&gt;alert(1)&lt;/script&gt; harbour lights ${long}</p>`,
    });
    const { hits, searched } = await searchDevice(parseSearchText('harbour'));
    const [hit] = hits;
    expect(hit?.snippet.filter((p) => p.marked).map((p) => p.text)).toEqual(['harbour']);
    expect(hit?.snippet[0]?.text.startsWith('…')).toBe(true);
    expect(hit?.snippet.at(-1)?.text.endsWith('…')).toBe(true);
    const html = deviceSearchMain({
      query: '"><b>q',
      problem: null,
      hits,
      searched,
      reason: 'offline',
      nextHref: null,
    });
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; <mark>harbour</mark> lights');
    expect(html).toContain('Searched the 1 article on this device; you are offline.');
  });
});
