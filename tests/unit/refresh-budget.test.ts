// The background refresh plans its downloads in the bytes the policy then holds them in: an article's page, JSON
// and pictures as this device stores them (sw/sizes-on-device.ts), not twice its JSON. Against a scripted edge
// whose articles carry large pictures, a refresh downloads what fits the budget and nothing it then drops.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ArticleBatchRequest, ArticleView, Digest, DigestItem } from '../../contract/http.ts';
import { ARTICLE_BATCH_PATH } from '../../contract/paths.ts';
import { activityLog } from '../../sw/activity-log.ts';
import { prefetchedArticles } from '../../sw/library.ts';
import { DAY_MS, MB } from '../../sw/offline-policy.ts';
import { refreshDigest } from '../../sw/periodic-refresh.ts';
import { offlinePolicyStatus } from '../../sw/prefetch-bounds.ts';
import { getSettings, updateSettings } from '../../sw/settings-store.ts';

const PICTURE_BYTES = 1 * MB;
const NOW = Date.now();

const article = (id: string): ArticleView => ({
  id,
  url: `https://example.com/${id}`,
  title: `Article ${id}`,
  byline: null,
  siteName: null,
  publishedAt: null,
  contentHtml: `<p>${'words '.repeat(2000)}</p>`,
  wordCount: 2000,
  images: [`/img?u=${id}-1`, `/img?u=${id}-2`],
  source: 'page',
});

/** An item published `age` days ago, with its article and two pictures of PICTURE_BYTES each. */
const item = (id: string, age: number): DigestItem => {
  const publishedAt = new Date(NOW - age * DAY_MS).toISOString();
  return {
    id,
    feedId: 1,
    title: `Article ${id}`,
    url: `https://example.com/${id}`,
    author: null,
    publishedAt,
    summary: '',
    imageUrl: null,
    article: { ...article(id), publishedAt },
  };
};

/** The edge: the digest given, each article's page (its text in the site's frame) and every picture; logs pictures. */
function edge(digest: Digest, etag: string): string[] {
  const pictures: string[] = [];
  const articles = new Map(digest.items.map((i) => [i.id, i.article!]));
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    if (url.startsWith('/api/digest')) return new Response(JSON.stringify(digest), { headers: { ETag: etag } });
    if (url === ARTICLE_BATCH_PATH) {
      const { ids } = JSON.parse(String(init.body)) as ArticleBatchRequest;
      const results = ids.map((id) => ({
        id,
        ok: true,
        status: 200,
        article: articles.get(id),
        etag: `"${id}"`,
        pageHtml: `<!doctype html><header>${'nav '.repeat(500)}</header><main>${articles.get(id)?.contentHtml}</main>`,
      }));
      return new Response(JSON.stringify({ results }), { headers: { 'Content-Type': 'application/json' } });
    }
    if (url.startsWith('/img')) {
      pictures.push(url);
      return new Response(new Uint8Array(PICTURE_BYTES), { headers: { 'Content-Type': 'image/png' } });
    }
    return new Response('not found', { status: 404 });
  });
  return pictures;
}

beforeEach(() => {
  vi.stubGlobal('navigator', {});
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the background refresh within the budget', () => {
  it('downloads what the policy keeps in the bytes it keeps them in, and nothing it then drops', async () => {
    await updateSettings({ budgetMb: 5, keepNewest: 10 });
    // A first refresh: the device measures what a page and a picture take here.
    edge({ items: [item('warm', 9)], feeds: [] }, '"v1"');
    expect(await refreshDigest('periodicsync')).toMatchObject({ outcome: 'updated', cached: 1 });

    // Six newer articles of about 2 MB each: the newest two fit in 5 MB, and the one held goes (the oldest).
    const pictures = edge(
      { items: ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'].map((id, i) => item(id, i)), feeds: [] },
      '"v2"',
    );
    expect(await refreshDigest('periodicsync')).toMatchObject({ outcome: 'updated', cached: 2 });
    expect(pictures.sort()).toEqual(['/img?u=n1-1', '/img?u=n1-2', '/img?u=n2-1', '/img?u=n2-2']);
    const held = await prefetchedArticles();
    expect(held.map((r) => r.itemId).sort()).toEqual(['n1', 'n2']);
    const heldBytes = held.reduce((sum, r) => sum + (r.bytes ?? 0), 0);
    expect(heldBytes).toBeLessThanOrEqual(5 * MB);
    expect(heldBytes).toBeGreaterThan(4 * MB);

    // /saved says the same: nothing due to go, and what it holds is what the device stores.
    const status = await offlinePolicyStatus(await getSettings());
    expect(status).toMatchObject({ held: 2, heldBytes, dueAtNextRefresh: 0 });
    expect((await activityLog()).filter((entry) => entry.kind === 'make-room')).toEqual([]);
  });
});
