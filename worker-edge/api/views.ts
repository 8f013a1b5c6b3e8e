// The store's records as the HTTP contract shows them: the one place where model fields become API fields.
import type { Article } from '../model/article.ts';
import type { CountedFeed } from '../store/feeds-store.ts';
import type { ItemRecord } from '../store/items-store.ts';
import type { SearchHitRecord } from '../store/search-store.ts';
import { snippetHtml, snippetParts } from '../search/snippet.ts';
import type { ArticleView, FeedView, ItemDetail, ItemSummary, SearchHit } from '../../contract/http.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toFeedView({ feed, itemCount }: CountedFeed): FeedView {
  return {
    id: feed.id,
    url: feed.url,
    title: feed.title || feed.url,
    siteUrl: feed.site_url,
    status: feed.status,
    lastError: feed.last_error,
    lastFetchedAt: iso(feed.last_fetched_at),
    // A gone feed is not fetched again until someone subscribes to it anew.
    nextFetchAt: feed.status === 'gone' ? null : iso(feed.next_fetch_at),
    itemCount,
    folder: feed.folder,
  };
}

export function toItemSummary(item: ItemRecord): ItemSummary {
  return {
    id: item.id,
    feedId: item.feedId,
    title: item.title,
    url: item.url,
    author: item.author,
    publishedAt: iso(item.publishedAt),
    summary: item.summary,
    imageUrl: item.imageUrl,
  };
}

export function toItemDetail(item: ItemRecord & { contentHtml: string }): ItemDetail {
  return { ...toItemSummary(item), contentHtml: item.contentHtml };
}

export function toArticleView(article: Article): ArticleView {
  return {
    id: article.id,
    url: article.url,
    title: article.title,
    byline: article.byline,
    siteName: article.siteName,
    publishedAt: article.publishedAt,
    contentHtml: article.contentHtml,
    wordCount: article.wordCount,
    images: article.images,
    source: article.source,
  };
}

export function toSearchHit(hit: SearchHitRecord): SearchHit {
  return { ...toItemSummary(hit), snippetHtml: snippetHtml(snippetParts(hit.snippet)) };
}
