// GET /sources: every feed with its health in words, the admin tools explained, OPML export, an empty state.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FeedsResponse } from '../../contract/http.ts';
import { SEEDED_KEY } from '../../worker-edge/jobs/seed-default-feeds.ts';
import { setMeta } from '../../worker-edge/store/meta-store.ts';
import { callApp } from '../support/call-app.ts';
import { expectLandmarks, expectStrictPage, loadPage } from '../support/page-checks.ts';
import { resetDatabase } from '../support/reset-database.ts';
import { subscribeSampleFeeds } from '../support/sample-site.ts';

describe('the sources page', () => {
  beforeAll(async () => {
    await resetDatabase();
    await subscribeSampleFeeds();
  });

  it('lists every feed with its status, fetch times, article count and address', async () => {
    const { feeds } = (await (await callApp('/api/feeds')).json()) as FeedsResponse;
    const page = await loadPage('/sources');
    expectStrictPage(page);
    expectLandmarks(page.document);
    const entries = [...page.document.querySelectorAll('li.source')];
    expect(entries.map((li) => li.getAttribute('data-feed-id'))).toEqual(feeds.map((f) => String(f.id)));
    for (const [i, entry] of entries.entries()) {
      const feed = feeds[i]!;
      expect(entry.querySelector('h3')?.textContent).toBe(feed.title);
      expect(entry.querySelector('.source-url')?.textContent).toBe(feed.url);
      expect(entry.querySelector('.status')?.textContent).toBe('Working');
      expect(entry.querySelector('time[datetime]')?.getAttribute('datetime')).toBe(feed.lastFetchedAt);
      expect(entry.textContent).toMatch(/just now|minute/);
      // The server cannot know what this reader has read: it says how many articles there are, the page script how many unread.
      expect(entry.querySelector(`a[href="/?feed=${feed.id}"]`)?.textContent).toBe(`${feed.itemCount} articles`);
    }
    expect(page.document.querySelector('[aria-current="page"]')?.getAttribute('href')).toBe('/sources');
  });

  it('puts the last error in words, and says a failing feed is retried', async () => {
    const { feeds } = (await (await callApp('/api/feeds')).json()) as FeedsResponse;
    const feed = feeds[0]!;
    await env.DB.prepare(`UPDATE feeds SET status = 'error', last_error = ?, error_count = 2 WHERE id = ?`)
      .bind('The site answered 503 (Service Unavailable).', feed.id)
      .run();
    const page = await loadPage('/sources');
    const entry = page.document.querySelector(`li.source[data-feed-id="${feed.id}"]`)!;
    expect(entry.querySelector('.status')?.textContent).toMatch(/Failing/);
    expect(entry.querySelector('.source-error')?.textContent).toMatch(/Last error: The site answered 503.*keep trying/);
    expect(page.text).toMatch(/6 sources, 1 with problems/);
  });

  it('offers OPML export and explains the admin token; the admin forms wait for the client module', async () => {
    const page = await loadPage('/sources');
    expect(page.document.querySelector('a[href="/api/opml"]')?.hasAttribute('download')).toBe(true);
    expect(page.text).toMatch(/ADMIN_TOKEN/);
    expect(page.text).toMatch(/wrangler secret put ADMIN_TOKEN/);
    expect(page.document.querySelector('[data-js-note]')?.textContent).toMatch(/need JavaScript/);
    for (const id of ['admin-token-form', 'add-feed-form', 'import-opml-form']) {
      const form = page.document.getElementById(id);
      expect(form, id).not.toBeNull();
      expect(form?.hasAttribute('hidden')).toBe(true);
      for (const input of form!.querySelectorAll('input'))
        expect(form!.querySelector(`label[for="${input.id}"]`), input.id).not.toBeNull();
    }
    expect(page.document.querySelectorAll('[data-remove-feed][hidden][aria-label^="Remove "]')).toHaveLength(6);
  });
});

describe('with no sources', () => {
  it('says so and points at the add form', async () => {
    await resetDatabase();
    await setMeta(env.DB, SEEDED_KEY, '1');
    await setMeta(env.DB, 'last_refresh_at', String(Date.now()));
    const page = await loadPage('/sources');
    expectStrictPage(page);
    expect(page.text).toMatch(/No sources yet: add one below/);
    expect(page.document.querySelectorAll('li.source')).toHaveLength(0);
  });
});
