// Folders over HTTP: PATCH /api/feeds/:id files a feed (admin only, names validated), GET /api/feeds shows it,
// GET /api/items?folder= and /?folder= show one folder's items, /sources groups the sources by folder.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiError,
  type FeedsResponse,
  type FeedUpdated,
  type FeedView,
  type ItemsPage,
  NO_FOLDER_FILTER,
} from '../../contract/http.ts';
import { folderPageUrl, itemsUrl } from '../../contract/paths.ts';
import { adminHeaders, callApp } from '../support/call-app.ts';
import { expectLandmarks, expectStrictPage, loadPage } from '../support/page-checks.ts';
import { resetDatabase } from '../support/reset-database.ts';
import { subscribeSampleFeeds } from '../support/sample-site.ts';

let feeds: FeedView[];

const patch = (
  id: number | string,
  body: unknown,
  headers: Record<string, string> = adminHeaders,
  bindings: Env = env,
) =>
  callApp(
    `/api/feeds/${id}`,
    { method: 'PATCH', headers, body: typeof body === 'string' ? body : JSON.stringify(body) },
    bindings,
  );

async function fileIn(id: number, folder: string | null): Promise<FeedView> {
  const res = await patch(id, { folder });
  expect(res.status).toBe(200);
  return ((await res.json()) as FeedUpdated).feed;
}

async function listFeeds(): Promise<FeedView[]> {
  return ((await (await callApp('/api/feeds')).json()) as FeedsResponse).feeds;
}

async function snapshot(): Promise<string> {
  return JSON.stringify((await env.DB.prepare('SELECT id, folder FROM feeds ORDER BY id').all()).results);
}

beforeAll(async () => {
  await resetDatabase();
  await subscribeSampleFeeds();
  feeds = await listFeeds();
  expect(feeds).toHaveLength(6);
  expect(feeds.every((f) => f.folder === null)).toBe(true);
});

describe('PATCH /api/feeds/:id { folder }', () => {
  it('files a feed in a folder, trimmed, and GET /api/feeds shows it; null takes it out again', async () => {
    const feed = feeds[0]!;
    expect((await fileIn(feed.id, '  Local   news ')).folder).toBe('Local news');
    expect((await listFeeds()).find((f) => f.id === feed.id)?.folder).toBe('Local news');
    expect((await fileIn(feed.id, 'x'.repeat(100))).folder).toBe('x'.repeat(100));
    expect((await fileIn(feed.id, 'Café 🚀 / Ünïcödé')).folder).toBe('Café 🚀 / Ünïcödé');
    expect((await fileIn(feed.id, null)).folder).toBeNull();
    expect((await listFeeds()).find((f) => f.id === feed.id)?.folder).toBeNull();
  });

  it.each([
    ['an empty name', { folder: '' }],
    ['a name of spaces', { folder: '   ' }],
    ['a name over 100 characters', { folder: 'x'.repeat(101) }],
    ['a tab', { folder: 'a\tb' }],
    ['a line break', { folder: 'a\nb' }],
    ['a bell', { folder: 'a\u0007b' }],
    ['DEL', { folder: 'a\u007fb' }],
    ['a number', { folder: 42 }],
    ['an array', { folder: ['News'] }],
    ['no folder field', { name: 'News' }],
    ['not JSON', '{"folder": '],
  ])('refuses %s with 400 bad_request, changing nothing', async (_, body) => {
    const before = await snapshot();
    const res = await patch(feeds[1]!.id, body);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ApiError;
    expect(error.code).toBe('bad_request');
    expect(error.message).toMatch(/^[A-Z`].{10,}/);
    expect(await snapshot()).toBe(before);
  });

  it('is admin only: 401 without the token or with a wrong one, 403 when the server has none; 404 for an unknown feed', async () => {
    const before = await snapshot();
    const id = feeds[1]!.id;
    expect((await patch(id, { folder: 'News' }, { 'content-type': 'application/json' })).status).toBe(401);
    expect((await patch(id, { folder: 'News' }, { ...adminHeaders, Authorization: 'Bearer wrong' })).status).toBe(401);
    const closed = await patch(id, { folder: 'News' }, adminHeaders, { ...env, ADMIN_TOKEN: '' } as Env);
    expect(closed.status).toBe(403);
    expect(((await closed.json()) as ApiError).error.code).toBe('forbidden');
    expect(await snapshot()).toBe(before);
    expect((await patch(999999, { folder: 'News' })).status).toBe(404);
    expect((await patch('abc', { folder: 'News' })).status).toBe(404);
  });
});

describe('one folder at a time', () => {
  let news: FeedView[];

  beforeAll(async () => {
    const byItems = [...feeds].sort((a, b) => b.itemCount - a.itemCount);
    news = [byItems[0]!, byItems[2]!];
    for (const feed of news) await fileIn(feed.id, 'News');
    await fileIn(byItems[1]!.id, 'Food / Kitchen');
    await fileIn(byItems[3]!.id, 'arts');
  });

  it("GET /api/items?folder= lists only the items of that folder's feeds, paged", async () => {
    const ids = new Set(news.map((f) => f.id));
    const expectedCount = news.reduce((sum, f) => sum + f.itemCount, 0);
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const res = await callApp(`/api/items?folder=News&limit=7${next ? `&before=${next}` : ''}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as ItemsPage;
      for (const item of page.items) expect(ids.has(item.feedId)).toBe(true);
      seen.push(...page.items.map((i) => i.id));
      next = page.next;
    } while (next);
    expect(seen).toHaveLength(expectedCount);
    const nested = (await (await callApp(itemsUrl({ folder: 'Food / Kitchen' }))).json()) as ItemsPage;
    expect(nested.items.length).toBeGreaterThan(0);
    // Beside feed=: both apply.
    const both = (await (await callApp(itemsUrl({ folder: 'News', feed: news[1]!.id }))).json()) as ItemsPage;
    expect(both.items.length).toBe(Math.min(news[1]!.itemCount, 30));
    expect(both.items.every((i) => i.feedId === news[1]!.id)).toBe(true);
    const neither = (await (await callApp(`/api/items?folder=arts&feed=${news[1]!.id}`)).json()) as ItemsPage;
    expect(neither.items).toEqual([]);
  });

  it('GET /api/items?folder= for a folder nobody uses is empty (like an unknown feed); a name no folder can have is 400', async () => {
    expect(((await (await callApp('/api/items?folder=Nowhere')).json()) as ItemsPage).items).toEqual([]);
    // Names match exactly: a folder is not found by a part of its path or in another case.
    expect(((await (await callApp('/api/items?folder=Food')).json()) as ItemsPage).items).toEqual([]);
    expect(((await (await callApp('/api/items?folder=news')).json()) as ItemsPage).items).toEqual([]);
    for (const bad of ['%20%20', 'a%0Ab', 'x'.repeat(101)]) {
      const res = await callApp(`/api/items?folder=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(((await res.json()) as ApiError).error.code).toBe('bad_request');
    }
  });

  it("/?folder= shows that folder's items under its name, offers every folder in the filter, and pages within it", async () => {
    const page = await loadPage(folderPageUrl('News'));
    expectStrictPage(page);
    expectLandmarks(page.document);
    expect(page.document.querySelector('h1')?.textContent).toBe('News');
    const expected = (await (await callApp('/api/items?folder=News&limit=20')).json()) as ItemsPage;
    expect([...page.document.querySelectorAll('.item')].map((li) => li.getAttribute('data-item-id'))).toEqual(
      expected.items.map((i) => i.id),
    );
    const select = page.document.querySelector('form.source-filter select[name="folder"]');
    expect(page.document.querySelector('form.source-filter label[for="folder-filter"]')).not.toBeNull();
    expect([...select!.querySelectorAll('option')].map((o) => o.getAttribute('value'))).toEqual([
      '',
      'arts',
      'Food / Kitchen',
      'News',
      NO_FOLDER_FILTER,
    ]);
    expect(select?.querySelector('option[selected]')?.getAttribute('value')).toBe('News');
    expect(page.document.querySelector('form.source-filter select[name="feed"] option[selected]')).toBeNull();
    // A later page of the folder (its sources have fewer than 20 items: the cursor after the first) keeps the filter.
    const first = (await (await callApp('/api/items?folder=News&limit=1')).json()) as ItemsPage;
    const later = await loadPage(`/?folder=News&before=${first.next}`);
    expect(later.document.querySelectorAll('.item')).toHaveLength(expected.items.length - 1);
    expect(later.document.querySelector('.paging a')?.getAttribute('href')).toBe('/?folder=News');
    const nested = await loadPage(folderPageUrl('Food / Kitchen'));
    expect(nested.document.querySelector('h1')?.textContent).toBe('Food / Kitchen');
    expect(nested.document.querySelectorAll('.item').length).toBeGreaterThan(0);
  });

  it('/?folder=%20 shows the items of the sources in no folder, and a folder really called "No folder" is its own', async () => {
    const unfiled = (await listFeeds()).filter((f) => f.folder === null).map((f) => f.id);
    expect(unfiled.length).toBeGreaterThan(1);
    // A folder may be called "No folder" (an OPML file may have one): it is a folder like any other.
    const [named, ...loose] = unfiled;
    expect((await fileIn(named!, 'No folder')).folder).toBe('No folder');
    try {
      const none = (await (await callApp(itemsUrl({ folder: NO_FOLDER_FILTER, limit: 20 }))).json()) as ItemsPage;
      expect(none.items.length).toBeGreaterThan(0);
      expect(none.items.every((item) => loose.includes(item.feedId))).toBe(true);
      const folder = (await (await callApp(itemsUrl({ folder: 'No folder', limit: 20 }))).json()) as ItemsPage;
      expect(folder.items.length).toBeGreaterThan(0);
      expect(folder.items.every((item) => item.feedId === named)).toBe(true);

      for (const [value, expected] of [
        [NO_FOLDER_FILTER, none],
        ['No folder', folder],
      ] as const) {
        const page = await loadPage(folderPageUrl(value));
        expectStrictPage(page);
        expect(page.document.querySelector('h1')?.textContent).toBe('No folder');
        expect([...page.document.querySelectorAll('.item')].map((li) => li.getAttribute('data-item-id'))).toEqual(
          expected.items.map((i) => i.id),
        );
        const select = page.document.querySelector('form.source-filter select[name="folder"]');
        expect(select?.querySelector('option[selected]')?.getAttribute('value')).toBe(value);
        // Both are offered, each under its own value; the sources in no folder last, as on /sources.
        const options = [...select!.querySelectorAll('option')].map((o) => [o.getAttribute('value'), o.textContent]);
        expect(options).toContainEqual(['No folder', 'No folder']);
        expect(options.at(-1)).toEqual([NO_FOLDER_FILTER, 'No folder']);
      }
      // The filter's value is no folder's name: PATCH refuses a blank one.
      expect((await patch(named!, { folder: NO_FOLDER_FILTER })).status).toBe(400);
    } finally {
      await fileIn(named!, null);
    }
  });

  it('/?folder= answers a folder nobody uses, or a name no folder can have, with the friendly 404 page', async () => {
    for (const path of ['/?folder=Nowhere', '/?folder=news', '/?folder=%07', `/?folder=${'x'.repeat(101)}`]) {
      const missing = await loadPage(path, 404);
      expectStrictPage(missing);
      expect(missing.text).toMatch(/not here/i);
      expect(missing.res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('/sources groups the sources under a heading per folder, sorted, "No folder" last, each with a move form', async () => {
    const page = await loadPage('/sources');
    expectStrictPage(page);
    expectLandmarks(page.document);
    const sections = [...page.document.querySelectorAll('#feed-list section.folder')];
    expect(sections.map((s) => s.querySelector('h2')?.textContent)).toEqual([
      'arts',
      'Food / Kitchen',
      'News',
      'No folder',
    ]);
    expect(sections.map((s) => s.getAttribute('aria-labelledby'))).toEqual(
      sections.map((s) => s.querySelector('h2')?.id),
    );
    const current = await listFeeds();
    for (const section of sections) {
      const folder = section.getAttribute('data-folder') || null;
      const listed = [...section.querySelectorAll('li.source')].map((li) => Number(li.getAttribute('data-feed-id')));
      expect(listed).toEqual(current.filter((f) => f.folder === folder).map((f) => f.id));
      // A folder's heading leads to its items.
      if (folder) expect(section.querySelector('h2 a')?.getAttribute('href')).toBe(folderPageUrl(folder));
      // A named folder can be renamed (the client module shows the form to an admin); "No folder" cannot.
      const rename = section.querySelector('form[data-rename-folder]');
      expect(rename?.getAttribute('data-rename-folder') ?? null).toBe(folder);
      if (rename) expect(rename.hasAttribute('hidden')).toBe(true);
    }
    expect(page.document.querySelectorAll('li.source')).toHaveLength(6);
    for (const feed of current) {
      const form = page.document.querySelector(
        `li.source[data-feed-id="${feed.id}"] form[data-move-feed="${feed.id}"]`,
      )!;
      expect(form.hasAttribute('hidden')).toBe(true);
      const input = form.querySelector('input[name="folder"]')!;
      expect(input.getAttribute('value')).toBe(feed.folder ?? '');
      expect(input.getAttribute('maxlength')).toBe('100');
      expect(form.querySelector(`label[for="${input.id}"]`)).not.toBeNull();
    }
    expect(
      [...page.document.querySelectorAll('datalist#folder-names option')].map((o) => o.getAttribute('value')),
    ).toEqual(['arts', 'Food / Kitchen', 'News']);
  });
});
