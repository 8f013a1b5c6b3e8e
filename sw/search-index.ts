// The index behind the search on the device: one record per article this device can show offline (the library's
// ready entries, kept or prefetched), with its plain text and its distinct words under a multiEntry index, so a
// query reads the ids of the articles holding a word without reading any article. It lives in a database of its
// own: it is derived from the library and the cached copies, so it can be dropped and rebuilt at any time, and its
// versions never wait on the library's. `syncSearchIndex` brings it in step: new ready articles are read from
// their cached JSON (once each), articles gone from the library leave it.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ArticleView } from '../contract/http.ts';
import { articleJsonUrl, readUrl } from '../contract/paths.ts';
import { CACHES } from './cache-names.ts';
import { openReaderDb, type ArticleRecord } from './reader-db.ts';
import { plainText, wordsOf } from './search-text.ts';

export interface IndexedArticle {
  itemId: string;
  title: string;
  /** The source as the article's page names it (its feed's title), else the site's name or address. */
  source: string;
  publishedAt: string | null;
  /** The article's text, plain. */
  text: string;
  /** Distinct words of the title and the text, folded (sw/search-text.ts). */
  words: string[];
  /** How many words the title and the text hold, for ranking. */
  length: number;
}

interface SearchIndexSchema extends DBSchema {
  articles: { key: string; value: IndexedArticle; indexes: { 'by-word': string } };
  /** When each indexed article became ready: a newer copy is indexed again. */
  stamps: { key: string; value: number };
}

export type SearchIndexDb = IDBPDatabase<SearchIndexSchema>;

export const SEARCH_INDEX_DB = 'offline-reader-search';
const VERSION = 1;

let opened: Promise<SearchIndexDb> | null = null;

export function openSearchIndex(): Promise<SearchIndexDb> {
  opened ??= openDB<SearchIndexSchema>(SEARCH_INDEX_DB, VERSION, {
    upgrade(db) {
      db.createObjectStore('articles', { keyPath: 'itemId' }).createIndex('by-word', 'words', { multiEntry: true });
      db.createObjectStore('stamps');
    },
    blocking() {
      void opened?.then((db) => db.close());
      opened = null;
    },
    terminated() {
      opened = null;
    },
  });
  return opened;
}

const copyIn = async (url: string): Promise<Response | undefined> => {
  for (const name of [CACHES.saved, CACHES.prefetched, CACHES.articles]) {
    const copy = await (await caches.open(name)).match(url);
    if (copy) return copy;
  }
  return undefined;
};

const pathOf = (url: string) => new URL(url, self.location.origin).pathname;

/** The feed's title as the kept page shows it (worker-edge/pages/read-page.tsx), escaped there, decoded here. */
async function feedTitleOnPage(pageUrl: string): Promise<string | null> {
  const page = await copyIn(pageUrl);
  const match = page ? /<span class="feed-name">([^<]{1,300})<\/span>/.exec(await page.text()) : null;
  return match?.[1] ? plainText(match[1]) : null;
}

/** An article's index record, from its cached copies; null when its JSON copy is not on this device. */
export async function indexRecordFor(record: ArticleRecord): Promise<IndexedArticle | null> {
  const json =
    record.cachedUrls.find((url) => pathOf(url).startsWith('/api/articles')) ?? articleJsonUrl(record.itemId);
  const page = record.cachedUrls.find((url) => /^\/(read|share)\b/.test(pathOf(url))) ?? readUrl(record.itemId);
  const copy = await copyIn(json);
  if (!copy) return null;
  let article: ArticleView;
  try {
    article = (await copy.json()) as ArticleView;
  } catch {
    return null;
  }
  const title = article.title || record.title;
  const text = plainText(article.contentHtml ?? '');
  const host = article.url ? (URL.parse(article.url)?.host ?? null) : null;
  const words = [...wordsOf(title), ...wordsOf(text)].map((w) => w.word);
  return {
    itemId: record.itemId,
    title,
    source: (await feedTitleOnPage(page)) ?? article.siteName ?? host ?? 'Saved page',
    publishedAt: article.publishedAt ?? record.publishedAt,
    text,
    words: [...new Set(words)],
    length: words.length,
  };
}

const stampOf = (record: ArticleRecord) => record.readyAt ?? record.updatedAt;

async function syncOnce(): Promise<{ added: number; removed: number }> {
  const ready = await (await openReaderDb()).getAllFromIndex('articles', 'by-state', 'ready');
  const index = await openSearchIndex();
  const stamps = new Map<string, number>();
  {
    const tx = index.transaction('stamps');
    for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue())
      stamps.set(cursor.key, cursor.value);
    await tx.done;
  }
  const readyIds = new Set(ready.map((record) => record.itemId));
  const gone = [...stamps.keys()].filter((id) => !readyIds.has(id));
  const due = ready.filter((record) => stamps.get(record.itemId) !== stampOf(record));
  // Read every copy first, then write in one transaction: IndexedDB closes a transaction that waits on a cache.
  const fresh: Array<{ record: ArticleRecord; indexed: IndexedArticle | null }> = [];
  for (const record of due) fresh.push({ record, indexed: await indexRecordFor(record) });
  if (gone.length === 0 && fresh.length === 0) return { added: 0, removed: 0 };
  const tx = index.transaction(['articles', 'stamps'], 'readwrite');
  const articles = tx.objectStore('articles');
  const stampStore = tx.objectStore('stamps');
  for (const id of gone) {
    void articles.delete(id);
    void stampStore.delete(id);
  }
  let added = 0;
  for (const { record, indexed } of fresh) {
    // A ready article whose copy is missing is left out and tried again next time.
    if (!indexed) continue;
    void articles.put(indexed);
    void stampStore.put(stampOf(record), record.itemId);
    added += 1;
  }
  await tx.done;
  return { added, removed: gone.length };
}

let syncing: Promise<{ added: number; removed: number }> | null = null;

/** Brings the index in step with the library; one run at a time, a call during a run shares it. */
export function syncSearchIndex(): Promise<{ added: number; removed: number }> {
  syncing ??= syncOnce().finally(() => {
    syncing = null;
  });
  return syncing;
}

/** Ids of the indexed articles holding a word (or, for a prefix, a word that begins so). */
export async function idsWithWord(word: string, prefix: boolean): Promise<string[]> {
  const range = prefix ? IDBKeyRange.bound(word, `${word}\uffff`) : IDBKeyRange.only(word);
  const ids = await (await openSearchIndex()).getAllKeysFromIndex('articles', 'by-word', range);
  // A prefix matches several words of one article: each id once.
  return prefix ? [...new Set(ids)] : ids;
}

export async function indexedArticles(ids: string[]): Promise<IndexedArticle[]> {
  const tx = (await openSearchIndex()).transaction('articles');
  const found = await Promise.all(ids.map((id) => tx.store.get(id)));
  await tx.done;
  return found.filter((article): article is IndexedArticle => article !== undefined);
}

export async function indexedCount(): Promise<number> {
  return (await openSearchIndex()).count('articles');
}
