// GET /: the latest items from every source, filtered by source, a page at a time, with honest empty states.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FeedsResponse, ItemsPage } from '../../contract/http.ts';
import { SEEDED_KEY } from '../../worker-edge/jobs/seed-default-feeds.ts';
import { addFeeds, getFeedByUrl } from '../../worker-edge/store/feeds-store.ts';
import { setMeta } from '../../worker-edge/store/meta-store.ts';
import { callApp } from '../support/call-app.ts';
import { expectLandmarks, expectStrictPage, loadPage } from '../support/page-checks.ts';
import { refreshFeed, refreshSettings } from '../support/refresh-one.ts';
import { resetDatabase } from '../support/reset-database.ts';
import { allItems, subscribeSampleFeeds } from '../support/sample-site.ts';

async function apiItems(query = ''): Promise<ItemsPage> {
  return (await (await callApp(`/api/items?limit=20${query}`)).json()) as ItemsPage;
}

describe('with no sources', () => {
  it('says there are no sources yet and leads to adding one', async () => {
    await resetDatabase();
    await setMeta(env.DB, SEEDED_KEY, '1');
    await setMeta(env.DB, 'last_refresh_at', String(Date.now()));
    const page = await loadPage('/');
    expectStrictPage(page);
    expectLandmarks(page.document);
    expect(page.text).toMatch(/No sources yet: add one/);
    expect(page.document.querySelector('main a[href="/sources"]')).not.toBeNull();
    expect(page.document.querySelector('.items')).toBeNull();
    expect(page.document.querySelector('form.source-filter')).toBeNull();
  });
});

describe('with sources that could not be reached', () => {
  it('says they could not be reached and why, never that they published nothing', async () => {
    await resetDatabase();
    await setMeta(env.DB, SEEDED_KEY, '1');
    await setMeta(env.DB, 'last_refresh_at', String(Date.now()));
    const url = `${env.FIXTURE_ORIGIN}/local/refresh/three-items.rss?status=500`;
    await addFeeds(env.DB, [{ url }], Date.now());
    const feed = (await getFeedByUrl(env.DB, url))!;
    expect((await refreshFeed(env.DB, feed.id, Date.now(), refreshSettings(env))).kind).toBe('failed');
    const page = await loadPage('/');
    expect(page.text).toMatch(/We could not reach this source \(.*500.*\)\. We keep trying on our own/);
    expect(page.text).not.toMatch(/published nothing/);
    const filtered = await loadPage(`/?feed=${feed.id}`);
    expect(filtered.text).toMatch(/We could not reach this source/);
  });
});

describe('with the sample feeds', () => {
  beforeAll(async () => {
    await resetDatabase();
    await subscribeSampleFeeds();
  });

  it('lists the newest items in API order, each with title link, source, time, summary and its offline hook', async () => {
    const { items } = await apiItems();
    const { feeds } = (await (await callApp('/api/feeds')).json()) as FeedsResponse;
    const page = await loadPage('/');
    expectStrictPage(page);
    expectLandmarks(page.document);
    const cards = [...page.document.querySelectorAll('.items > li.item')];
    expect(cards.map((card) => card.getAttribute('data-item-id'))).toEqual(items.map((item) => item.id));
    for (const [i, card] of cards.entries()) {
      const item = items[i]!;
      expect(card.querySelector('h2 a')?.getAttribute('href')).toBe(`/read/${item.id}`);
      expect(card.querySelector('.item-source')?.textContent).toBe(feeds.find((f) => f.id === item.feedId)?.title);
      if (item.publishedAt) expect(card.querySelector('time')?.getAttribute('datetime')).toBe(item.publishedAt);
      if (item.summary) expect(card.querySelector('.item-summary')?.textContent?.length).toBeGreaterThan(0);
      expect(card.querySelector('[data-offline-mark]')).not.toBeNull();
    }
    expect(page.document.querySelector('[aria-current="page"]')?.getAttribute('href')).toBe('/');
  });

  it('shows pictures through the image proxy with their size in the markup, so nothing shifts as they load', async () => {
    const items = await allItems();
    expect(items.some((item) => item.imageUrl)).toBe(true);
    let seen = 0;
    let next: string | null = '';
    for (let pages = 0; next !== null && pages < 50; pages++) {
      const page = await loadPage(next ? `/?before=${next}` : '/');
      for (const img of page.document.querySelectorAll('img')) {
        expect(img.getAttribute('src')).toMatch(/^\/img\?u=https?%3A/);
        expect(Number(img.getAttribute('width'))).toBeGreaterThan(0);
        expect(Number(img.getAttribute('height'))).toBeGreaterThan(0);
        expect(img.getAttribute('alt')).toBe('');
        seen++;
      }
      next = new URLSearchParams(
        page.document.querySelector('a[rel="next"]')?.getAttribute('href')?.split('?')[1] ?? '',
      ).get('before');
    }
    expect(seen).toBe(items.filter((item) => item.imageUrl).length);
    const proxied = await callApp(`/img?u=${encodeURIComponent(items.find((item) => item.imageUrl)!.imageUrl!)}`);
    expect(proxied.headers.get('content-type')).toMatch(/^image\//);
  });

  it('pages with ?before= exactly as the API does, with a way back to the newest', async () => {
    const first = await apiItems();
    expect(first.next).not.toBeNull();
    const page = await loadPage('/');
    const older = page.document.querySelector('.paging a[rel="next"]')?.getAttribute('href');
    expect(older).toBe(`/?before=${first.next}`);
    const second = await loadPage(older!);
    const expected = await apiItems(`&before=${first.next}`);
    expect([...second.document.querySelectorAll('.item')].map((li) => li.getAttribute('data-item-id'))).toEqual(
      expected.items.map((i) => i.id),
    );
    expect(second.document.querySelector('.paging a[href="/"]')?.textContent).toBe('Newest');
  });

  it('filters by source with a form that works without JavaScript, and keeps the filter while paging', async () => {
    const { feeds } = (await (await callApp('/api/feeds')).json()) as FeedsResponse;
    const feed = [...feeds].sort((a, b) => b.itemCount - a.itemCount)[0]!;
    const page = await loadPage(`/?feed=${feed.id}`);
    const form = page.document.querySelector('form.source-filter');
    expect(form?.getAttribute('method')).toBe('get');
    expect(form?.querySelector('select[name="feed"] option[selected]')?.getAttribute('value')).toBe(String(feed.id));
    expect(form?.querySelector('label[for="source-filter"]')).not.toBeNull();
    expect(page.document.querySelector('h1')?.textContent).toBe(feed.title);
    const expected = await apiItems(`&feed=${feed.id}`);
    expect([...page.document.querySelectorAll('.item')].map((li) => li.getAttribute('data-item-id'))).toEqual(
      expected.items.map((i) => i.id),
    );
    const older = page.document.querySelector('.paging a[rel="next"]')?.getAttribute('href');
    if (expected.next) expect(older).toBe(`/?feed=${feed.id}&before=${expected.next}`);
  });

  it('leaves read state to the device: its controls wait hidden for the page script, and the note says they need JavaScript', async () => {
    const { feeds } = (await (await callApp('/api/feeds')).json()) as FeedsResponse;
    const feed = feeds[0]!;
    for (const [path, label] of [
      ['/', 'Mark all as read'],
      [`/?feed=${feed.id}`, `Mark all from ${feed.title} as read`],
    ] as const) {
      const page = await loadPage(path);
      const tools = page.document.querySelector('[data-read-tools]');
      expect(tools?.querySelector('[data-js-note]')?.textContent, path).toMatch(/unread-only view .* need JavaScript/);
      expect(tools?.querySelector('#mark-all-read')?.hasAttribute('hidden'), path).toBe(true);
      expect(tools?.querySelector('#mark-all-read')?.textContent?.trim(), path).toBe(label);
      expect(tools?.querySelector('#unread-only[aria-pressed="false"]')?.hasAttribute('hidden'), path).toBe(true);
      expect(page.document.querySelector('.unread-dot'), path).toBeNull();
    }
  });

  it('answers an unknown source with the friendly 404 page, and a foreign cursor with the newest items', async () => {
    const missing = await loadPage('/?feed=99999', 404);
    expect(missing.text).toMatch(/not here/i);
    const foreign = await loadPage('/?before=not-a-cursor');
    expect(foreign.document.querySelectorAll('.item').length).toBe((await apiItems()).items.length);
  });

  it('stays small: under 6 KB of compressed HTML for a page of 20 items', async () => {
    const page = await loadPage('/');
    expect(page.document.querySelectorAll('.item')).toHaveLength(20);
    const gzipped = await new Response(
      new Blob([page.html]).stream().pipeThrough(new CompressionStream('gzip')),
    ).arrayBuffer();
    expect(gzipped.byteLength).toBeLessThan(6 * 1024);
    expect(page.res.headers.get('cache-control')).toBe('no-cache');
  });
});
