// GET /offline: the page the service worker precaches and shows for any navigation it cannot serve offline.
import { describe, expect, it } from 'vitest';
import { expectLandmarks, expectStrictPage, loadPage } from '../support/page-checks.ts';

describe('GET /offline', () => {
  it('is a strict page that says the reader is offline and what still works', async () => {
    const page = await loadPage('/offline');
    expectStrictPage(page);
    expectLandmarks(page.document);
    expect(page.document.querySelector('h1')?.textContent).toBe('You are offline');
    expect(page.document.body.getAttribute('data-page')).toBe('offline');
    expect(page.document.querySelector('a[href="/saved"]')).not.toBeNull();
  });

  it('carries the hidden "Get it when I\'m back online" control the client module shows for an article', async () => {
    const { document } = await loadPage('/offline');
    const request = document.querySelector('[data-offline-request]');
    expect(request?.hasAttribute('hidden')).toBe(true);
    const control = request?.querySelector('[data-item-id] [data-save-offline]');
    expect(control?.textContent?.trim()).toBe("Get it when I'm back online");
  });

  it('is always revalidated: the service worker precaches it by revision, so browsers should not keep their own copy', async () => {
    const { res } = await loadPage('/offline?__WB_REVISION__=abc');
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });
});
