// The article page's reading aids: newer / older in the order of the latest list, and the save-for-offline control
// that without JavaScript leads to how offline reading works.
import { beforeAll, expect, it } from 'vitest';
import { callApp } from '../support/call-app.ts';
import { loadPage } from '../support/page-checks.ts';
import { allItems, subscribeSampleFeeds } from '../support/sample-site.ts';

beforeAll(async () => {
  await subscribeSampleFeeds(['feeds/harbour-courier.rss', 'feeds/field-notes.atom']);
});

it('links to the newer and older items either side, in the order of the latest list', async () => {
  const items = await allItems();
  const middle = items[2]!;
  const page = await loadPage(`/read/${middle.id}`);
  const nav = page.document.querySelector('nav.article-nav');
  expect(nav?.getAttribute('aria-label')).toBeTruthy();
  expect(nav?.querySelector('a[rel="prev"]')?.getAttribute('href')).toBe(`/read/${items[1]!.id}`);
  expect(nav?.querySelector('a[rel="prev"]')?.textContent).toContain(items[1]!.title);
  expect(nav?.querySelector('a[rel="next"]')?.getAttribute('href')).toBe(`/read/${items[3]!.id}`);
});

it('has no newer link on the newest item and no older link on the oldest', async () => {
  const items = await allItems();
  const newest = await loadPage(`/read/${items[0]!.id}`);
  expect(newest.document.querySelector('a[rel="prev"]')).toBeNull();
  expect(newest.document.querySelector('a[rel="next"]')?.getAttribute('href')).toBe(`/read/${items[1]!.id}`);
  // The oldest item may link to a front page rather than an article (the page may then say it could not be read).
  const oldestPath = `/read/${items.at(-1)!.id}`;
  const oldest = await loadPage(oldestPath, (await callApp(oldestPath)).status);
  expect(oldest.document.querySelector('a[rel="next"]')).toBeNull();
  expect(oldest.document.querySelector('a[rel="prev"]')?.getAttribute('href')).toBe(`/read/${items.at(-2)!.id}`);
});

it('shows the save control as a link to how offline reading works, inside the box that carries the item id', async () => {
  const item = (await allItems())[0]!;
  const page = await loadPage(`/read/${item.id}`);
  const control = page.document.querySelector('[data-save-offline]');
  expect(control?.tagName).toBe('A');
  expect(control?.getAttribute('href')).toBe('/saved#how-offline-works');
  expect(control?.hasAttribute('hidden')).toBe(false);
  expect(control?.textContent).toMatch(/Save for offline/);
  expect(control?.closest('[data-item-id]')?.getAttribute('data-item-id')).toBe(item.id);
  expect(page.document.body.getAttribute('data-page')).toBe('read');
  // Near the top, before the text, and again at its end; each beside the mark that says where the article stands.
  const controls = [...page.document.querySelectorAll('article [data-save-offline]')];
  expect(controls.map((c) => c.closest('header, footer')?.tagName)).toEqual(['HEADER', 'FOOTER']);
  for (const c of controls) expect(c.closest('[data-item-id]')?.querySelector('[data-offline-mark]')).not.toBeNull();
});
