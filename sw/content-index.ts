// The Content Index API (Chromium on Android) lists articles readable offline in the browser's own "articles for
// you" surface. Where it is missing or refuses one (it checks the page really opens offline), nothing else changes.
import { readUrl } from '../contract/paths.ts';

declare const self: ServiceWorkerGlobalScope;

const contentId = (itemId: string) => `article:${itemId}`;

export async function addToContentIndex(article: {
  itemId: string;
  title: string;
  description: string;
}): Promise<void> {
  if (!self.registration.index) return;
  try {
    await self.registration.index.add({
      id: contentId(article.itemId),
      title: article.title,
      description: article.description,
      category: 'article',
      icons: [],
      url: readUrl(article.itemId),
    });
  } catch {
    // Refused (e.g. the browser's offline check failed): the article is still cached and listed on /saved.
  }
}

export async function forgetInContentIndex(itemId: string): Promise<void> {
  await self.registration.index?.delete(contentId(itemId)).catch(() => undefined);
}
