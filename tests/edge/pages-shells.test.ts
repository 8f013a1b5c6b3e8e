// /saved, /settings and /share: the server sends the frame (the data lives in the browser) and says what needs
// JavaScript; unknown page addresses get a friendly HTML 404 while the API keeps its JSON errors.
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import type { ArticleView } from '../../contract/http.ts';
import { callApp } from '../support/call-app.ts';
import { expectLandmarks, expectStrictPage, loadPage } from '../support/page-checks.ts';
import { siteUrl } from '../support/sample-site.ts';

describe('/saved', () => {
  it('has the ready and waiting lists, storage figures and how offline reading works, under the strict CSP', async () => {
    const page = await loadPage('/saved');
    expectStrictPage(page);
    expectLandmarks(page.document);
    for (const id of [
      'offline-ready',
      'offline-waiting',
      'storage-used',
      'storage-quota',
      'storage-persistent',
      'how-offline-works',
    ]) {
      expect(page.document.getElementById(id), id).not.toBeNull();
    }
    // The offline policy lives in this browser: its summary waits for the client module.
    expect(page.document.getElementById('offline-policy')?.hasAttribute('hidden')).toBe(true);
    expect(page.document.querySelector('[data-js-note]')?.textContent).toMatch(/needs JavaScript/);
    expect(page.text).toMatch(/Background Sync/);
    expect(page.document.querySelector('[aria-current="page"]')?.getAttribute('href')).toBe('/saved');
  });
});

describe('/settings', () => {
  it('sends every setting labelled, hidden and disabled until the client module has read the current values', async () => {
    const page = await loadPage('/settings');
    expectStrictPage(page);
    expectLandmarks(page.document);
    expect(page.document.querySelector('fieldset#settings-fields')?.hasAttribute('disabled')).toBe(true);
    // Without JavaScript the page says it needs it, and shows no control with a value it does not have.
    expect(page.document.querySelector('[data-js-note]')?.textContent).toMatch(/need JavaScript/);
    for (const id of ['settings-form', 'activity-section', 'clear-section'])
      expect(page.document.getElementById(id)?.hasAttribute('hidden'), id).toBe(true);
    const controls = [...page.document.querySelectorAll('#settings-fields input, #settings-fields select')];
    expect(controls.map((c) => c.getAttribute('name'))).toEqual([
      'notifications',
      'notifyNewArticles',
      'backgroundRefresh',
      'refreshIntervalHours',
      'keepNewest',
      'keepDays',
      'budgetMb',
      'unmeteredOnly',
    ]);
    expect(page.document.querySelector('#setting-keep option[value="0"]')?.textContent).toBe('None');
    for (const control of controls)
      expect(page.document.querySelector(`label[for="${control.id}"]`), control.id).not.toBeNull();
    expect(page.document.getElementById('clear-offline-data')?.hasAttribute('disabled')).toBe(true);
    expect(page.document.getElementById('activity-log')).not.toBeNull();
    expect(page.text).toMatch(/Add to Home Screen/);
  });
});

describe('/share', () => {
  it('names the shared page and links to it for readers without JavaScript', async () => {
    const page = await loadPage(`/share?url=${encodeURIComponent('https://example.com/story')}&title=A%20story`);
    expectStrictPage(page);
    const box = page.document.querySelector('[data-share-url]');
    expect(box?.getAttribute('data-share-url')).toBe('https://example.com/story');
    expect(box?.getAttribute('data-share-title')).toBe('A story');
    expect(page.text).toContain('A story');
    expect(page.document.querySelector('[data-js-note] a[href="https://example.com/story"]')).not.toBeNull();
  });

  it.each([
    ['none', true],
    ['same-origin', true],
    ['cross-site', false],
    ['same-site', false],
    [null, false],
  ])('with Sec-Fetch-Site %s, saves at once: %s (otherwise the page waits for a tap)', async (site, atOnce) => {
    const res = await callApp(
      `/share?url=${encodeURIComponent('https://example.com/story')}&title=Prize`,
      site ? { headers: { 'Sec-Fetch-Site': site } } : {},
    );
    expect(res.status).toBe(200);
    const { document } = parseHTML(await res.text());
    expect(document.querySelector('[data-share-url]')?.hasAttribute('data-share-at-once')).toBe(atOnce);
    expect(document.getElementById('share-status')?.textContent?.trim()).toBe(atOnce ? 'Saving…' : 'Not saved yet.');
  });

  it('finds the address in the shared text, where Android puts it', async () => {
    const page = await loadPage(
      `/share?title=T&text=${encodeURIComponent('Look at this https://example.org/a?b=1 so good')}`,
    );
    expect(page.document.querySelector('[data-share-url]')?.getAttribute('data-share-url')).toBe(
      'https://example.org/a?b=1',
    );
  });

  it('makes a page saved by its address readable at /read/<its id>, and its JSON at /api/articles/<its id>', async () => {
    const url = siteUrl('europa/lisbon-cafes.html');
    const res = await callApp(`/api/articles?url=${encodeURIComponent(url)}`);
    expect(res.status).toBe(200);
    const view = (await res.json()) as ArticleView;
    const page = await loadPage(`/read/${view.id}`);
    expectStrictPage(page);
    expect(page.document.querySelector('h1')?.textContent).toBe(view.title);
    expect(
      page.document.querySelector('[data-save-offline]')?.closest('[data-item-id]')?.getAttribute('data-item-id'),
    ).toBe(view.id);
    const json = await callApp(`/api/articles/${view.id}`);
    expect(json.status).toBe(200);
    expect(((await json.json()) as ArticleView).title).toBe(view.title);
  });

  it('says there is nothing to save when no web address was shared', async () => {
    for (const query of ['', '?text=hello', '?url=javascript%3Aalert(1)', '?url=ftp%3A%2F%2Fexample.com%2F']) {
      const page = await loadPage(`/share${query}`, 400);
      expectStrictPage(page);
      expect(page.text).toMatch(/Nothing to save/);
      expect(page.document.querySelector('[data-share-url]')).toBeNull();
    }
  });
});

describe('an address that leads nowhere', () => {
  it('is a friendly HTML page with ways on, under the strict CSP', async () => {
    for (const path of ['/nope', '/read', '/saved/extra', '/settings/x/y']) {
      const page = await loadPage(path, 404);
      expectStrictPage(page);
      expectLandmarks(page.document);
      expect(page.text).toMatch(/This page is not here/);
      expect(page.document.querySelector('main a[href="/"]')).not.toBeNull();
    }
  });

  it('stays a JSON error under /api, /img and /healthz', async () => {
    for (const path of ['/api/nope', '/api/feeds/1/x', '/healthz/x']) {
      const res = await callApp(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
  });
});
