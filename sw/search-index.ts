// The index behind the search on the device, one entry per article this device can show offline (the library's
// ready entries, kept or prefetched), in four stores so a query reads only what it needs: `words` holds each
// article's distinct words under a multiEntry index (a query reads the ids holding a word, never a record),
// `articles` what ranking and the page need (title, source, date, how often each word occurs), `folded` its words
// folded (read to check phrases), `texts` the text itself (read for the hits shown). It lives in a database of its own: it is derived from
// the library and the cached copies, so it can be dropped and rebuilt at any time, and its versions never wait on
// the library's. `syncSearchIndex` brings it in step: new ready articles are read from their cached JSON (once
// each), articles gone from the library leave it.
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
  /** How often each word (folded, sw/search-text.ts) occurs in the text: words are ranked without the text. */
  textCounts: Record<string, number>;
  /** How many words the title and the text hold, for ranking. */
  length: number;
}

export interface IndexedText {
  /** The article's text, plain, as shown in snippets. */
  text: string;
  /** Its words folded, one space apart: a phrase is found in it as a string. */
  folded: string;
}

interface SearchIndexSchema extends DBSchema {
  words: { key: string; value: { itemId: string; words: string[] }; indexes: { 'by-word': string } };
  articles: { key: string; value: IndexedArticle };
  folded: { key: string; value: string };
  texts: { key: string; value: string };
}

export type SearchIndexDb = IDBPDatabase<SearchIndexSchema>;

export const SEARCH_INDEX_DB = 'offline-reader-search';
const VERSION = 1;
const STORES = ['words', 'articles', 'folded', 'texts'] as const;
/** Copies read at once while indexing: caches answer in parallel, one by one is slow for hundreds. */
const READ_AT_ONCE = 8;

let opened: Promise<SearchIndexDb> | null = null;

export function openSearchIndex(): Promise<SearchIndexDb> {
  opened ??= openDB<SearchIndexSchema>(SEARCH_INDEX_DB, VERSION, {
    upgrade(db) {
      db.createObjectStore('words', { keyPath: 'itemId' }).createIndex('by-word', 'words', { multiEntry: true });
      db.createObjectStore('articles', { keyPath: 'itemId' });
      db.createObjectStore('folded');
      db.createObjectStore('texts');
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

/** The copy in the first of the article caches that has one (asked together: most copies are in one). */
const copyIn = async (url: string): Promise<Response | undefined> => {
  const names = [CACHES.saved, CACHES.prefetched, CACHES.articles];
  const copies = await Promise.all(names.map(async (name) => (await caches.open(name)).match(url)));
  return copies.find((copy) => copy !== undefined);
};

const pathOf = (url: string) => new URL(url, self.location.origin).pathname;

/** The feed's title as the kept page shows it (worker-edge/pages/read-page.tsx), escaped there, decoded here. */
async function feedTitleOnPage(pageUrl: string): Promise<string | null> {
  const page = await copyIn(pageUrl);
  const match = page ? /<span class="feed-name">([^<]{1,300})<\/span>/.exec(await page.text()) : null;
  return match?.[1] ? plainText(match[1]) : null;
}

interface Entry {
  article: IndexedArticle;
  words: string[];
  text: IndexedText;
}

/** An article's entry, from its cached copies; null when its JSON copy is not on this device. */
async function entryFor(record: ArticleRecord): Promise<Entry | null> {
  const json =
    record.cachedUrls.find((url) => pathOf(url).startsWith('/api/articles')) ?? articleJsonUrl(record.itemId);
  const page = record.cachedUrls.find((url) => /^\/(read|share)\b/.test(pathOf(url))) ?? readUrl(record.itemId);
  const copy = await copyIn(json);
  if (!copy) return null;
  let view: ArticleView;
  try {
    view = (await copy.json()) as ArticleView;
  } catch {
    return null;
  }
  const title = view.title || record.title;
  const text = plainText(view.contentHtml ?? '');
  const host = view.url ? (URL.parse(view.url)?.host ?? null) : null;
  const textWords = wordsOf(text).map((w) => w.word);
  const titleWords = wordsOf(title).map((w) => w.word);
  const textCounts: Record<string, number> = {};
  for (const word of textWords) textCounts[word] = (textCounts[word] ?? 0) + 1;
  return {
    article: {
      itemId: record.itemId,
      title,
      source: (await feedTitleOnPage(page)) ?? view.siteName ?? host ?? 'Saved page',
      publishedAt: view.publishedAt ?? record.publishedAt,
      textCounts,
      length: titleWords.length + textWords.length,
    },
    words: [...new Set([...titleWords, ...textWords])],
    text: { text, folded: textWords.join(' ') },
  };
}

async function syncOnce(): Promise<{ added: number; removed: number }> {
  const library = await openReaderDb();
  // A ready article's text does not change (it is fetched once), so its id says whether it is indexed.
  const ready = new Set(await library.getAllKeysFromIndex('articles', 'by-state', 'ready'));
  const index = await openSearchIndex();
  const indexed = new Set(await index.getAllKeys('articles'));
  const gone = [...indexed].filter((id) => !ready.has(id));
  const dueIds = [...ready].filter((id) => !indexed.has(id));
  // Read every copy first, then write in one transaction: IndexedDB closes a transaction that waits on a cache.
  const entries: Entry[] = [];
  for (let i = 0; i < dueIds.length; i += READ_AT_ONCE) {
    const records = await Promise.all(dueIds.slice(i, i + READ_AT_ONCE).map((id) => library.get('articles', id)));
    const made = await Promise.all(records.map((record) => (record ? entryFor(record) : null)));
    // A ready article whose copy is missing is left out and tried again next time.
    entries.push(...made.filter((entry): entry is Entry => entry !== null));
  }
  if (gone.length === 0 && entries.length === 0) return { added: 0, removed: 0 };
  const tx = index.transaction(STORES, 'readwrite');
  for (const id of gone) for (const store of STORES) void tx.objectStore(store).delete(id);
  for (const { article, words, text } of entries) {
    void tx.objectStore('words').put({ itemId: article.itemId, words });
    void tx.objectStore('articles').put(article);
    void tx.objectStore('folded').put(text.folded, article.itemId);
    void tx.objectStore('texts').put(text.text, article.itemId);
  }
  await tx.done;
  return { added: entries.length, removed: gone.length };
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
  const ids = await (await openSearchIndex()).getAllKeysFromIndex('words', 'by-word', range);
  // A prefix matches several words of one article: each id once.
  return prefix ? [...new Set(ids)] : ids;
}

async function getMany<S extends 'articles' | 'folded' | 'texts'>(
  store: S,
  ids: string[],
): Promise<Array<SearchIndexSchema[S]['value'] | undefined>> {
  const tx = (await openSearchIndex()).transaction(store);
  const found = await Promise.all(ids.map((id) => tx.store.get(id)));
  await tx.done;
  return found;
}

export async function indexedArticles(ids: string[]): Promise<IndexedArticle[]> {
  return (await getMany('articles', ids)).filter((article) => article !== undefined);
}

/** The folded words of these articles, by id: enough to check phrases. */
export async function indexedFolded(ids: string[]): Promise<Map<string, string>> {
  const folded = await getMany('folded', ids);
  return new Map(ids.flatMap((id, i) => (folded[i] !== undefined ? [[id, folded[i]] as const] : [])));
}

/** The texts of these articles and their folded words, by id: what their snippets are made from. */
export async function indexedTexts(ids: string[]): Promise<Map<string, IndexedText>> {
  const [folded, texts] = await Promise.all([indexedFolded(ids), getMany('texts', ids)]);
  return new Map(
    ids.flatMap((id, i) => {
      const text = texts[i];
      return text !== undefined ? [[id, { text, folded: folded.get(id) ?? '' }] as const] : [];
    }),
  );
}

export async function indexedCount(): Promise<number> {
  return (await openSearchIndex()).count('articles');
}
