// The reading site's pages as the browser tests and the screenshots visit them, with one article that has a picture.
import type { ItemsPage } from '../../../contract/http.ts';

export interface SitePage {
  name: string;
  path: string;
  /** A page that answers 404 on purpose. */
  status: number;
}

const longestWord = (text: string) =>
  [...(text.match(/[\p{L}\p{N}]+/gu) ?? ['news'])].sort((a, b) => b.length - a.length)[0] ?? 'news';

export async function sitePages(site: string): Promise<SitePage[]> {
  const { items } = (await (await fetch(`${site}/api/items?limit=30`)).json()) as ItemsPage;
  const article = items.find((item) => item.imageUrl && item.url?.endsWith('.html')) ?? items[0];
  if (!article) throw new Error('the reader has no items to show');
  return [
    { name: 'latest', path: '/', status: 200 },
    { name: 'read', path: `/read/${article.id}`, status: 200 },
    { name: 'saved', path: '/saved', status: 200 },
    { name: 'sources', path: '/sources', status: 200 },
    { name: 'settings', path: '/settings', status: 200 },
    { name: 'offline', path: '/offline', status: 200 },
    {
      name: 'share',
      path: `/share?url=${encodeURIComponent(article.url ?? '')}&title=${encodeURIComponent(article.title)}`,
      status: 200,
    },
    // The search page with results: its longest word is in the article's title, which the edge's index holds.
    { name: 'search', path: `/search?q=${encodeURIComponent(longestWord(article.title))}`, status: 200 },
    { name: 'not-found', path: '/no-such-page', status: 404 },
  ];
}
