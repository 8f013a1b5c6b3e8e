// The readable article for an item or a URL: the stored one while it is current, otherwise extracted now and stored.
// Failures are remembered: a gone page is not fetched again for a day (or until the item changes), and the cron
// leaves a failing site alone until its retry time.
import { Coalescer } from '../net/coalesce.ts';
import { sha256Hex, stableId } from '../store/stable-id.ts';
import {
  getArticle,
  getArticleByUrl,
  getItemForArticle,
  saveArticle,
  type StoredArticle,
} from '../store/articles-store.ts';
import { getArticleFailure, recordArticleFailure } from '../store/article-failures-store.ts';
import { checkFetchableUrl } from '../net/address-guard.ts';
import { FetchFailure } from '../net/fetch-failure.ts';
import { ArticleFailure, fromFetchFailure } from '../articles/article-failure.ts';
import { buildItemArticle, buildPageArticle, type BuiltArticle } from '../articles/build-article.ts';
import type { PageFetchSettings } from '../articles/fetch-article-page.ts';
import { PAGE_BUDGET, pageStoredBytes } from '../articles/page-budget.ts';
import { htmlToText } from '../html/sanitize-html.ts';

/** Bump when extraction or sanitising changes in a way stored articles should get: they are redone as they are read. */
const EXTRACTOR_REVISION = 2;
const GONE_RECHECK_MS = 24 * 60 * 60 * 1000;
/** The cron's pause for a failing site; readers asking in person are not held to it. */
const UPSTREAM_RECHECK_MS = 30 * 60 * 1000;
/** A page asked for by URL (no feed to say it changed) is extracted again after this long. */
const PAGE_ARTICLE_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** A reader asking in person is not held to the cron's pause, but for up to this long after a failure gets that failure. */
const IN_PERSON_RECHECK_MS = 60 * 1000;

/** The same article asked for at once (eight readers, or one impatient one) is fetched and stored once. */
const extractions = new Coalescer<StoredArticle>();

/** An item's article version is this prefix and the item's content_hash. */
export const ITEM_ARTICLE_VERSION_PREFIX = `${EXTRACTOR_REVISION}:`;
export const itemArticleVersion = (contentHash: string) => `${ITEM_ARTICLE_VERSION_PREFIX}${contentHash}`;
const pageArticleVersion = `${EXTRACTOR_REVISION}:page`;

interface ArticleKey {
  id: string;
  itemId: string | null;
  requestedUrl: string | null;
  version: string;
}

async function articleEtag(built: BuiltArticle): Promise<string> {
  return `"${(await sha256Hex(JSON.stringify(built.article))).slice(0, 32)}"`;
}

function extractAndStore(
  db: D1Database,
  key: ArticleKey,
  build: () => Promise<BuiltArticle>,
  now: number,
): Promise<StoredArticle> {
  return extractions.run(`${key.id} ${key.version}`, () => extractAndStoreOnce(db, key, build, now));
}

async function extractAndStoreOnce(
  db: D1Database,
  key: ArticleKey,
  build: () => Promise<BuiltArticle>,
  now: number,
): Promise<StoredArticle> {
  const failure = await getArticleFailure(db, key.id);
  if (failure?.version === key.version && failure.retryAt > now) {
    if (failure.kind === 'gone') throw new ArticleFailure('gone', failure.message);
    // A site that just failed is not asked again on every view: until it said to come back (a minute at most),
    // readers get the same answer.
    if (failure.heldUntil > now) throw new ArticleFailure('upstream', failure.message, failure.heldUntil - now);
  }
  let built: BuiltArticle;
  try {
    built = await build();
  } catch (error) {
    if (error instanceof ArticleFailure && (error.reason === 'gone' || error.reason === 'upstream')) {
      const pause = error.reason === 'gone' ? GONE_RECHECK_MS : Math.max(UPSTREAM_RECHECK_MS, error.retryAfterMs ?? 0);
      await recordArticleFailure(db, key.id, {
        version: key.version,
        kind: error.reason,
        message: error.message,
        retryAt: now + pause,
        failedAt: now,
        heldUntil:
          error.reason === 'upstream'
            ? now + Math.min(IN_PERSON_RECHECK_MS, error.retryAfterMs ?? IN_PERSON_RECHECK_MS)
            : 0,
      });
    }
    throw error;
  }
  const etag = await articleEtag(built);
  const isPage = key.itemId === null;
  await saveArticle(
    db,
    {
      ...built,
      itemId: key.itemId,
      requestedUrl: key.requestedUrl,
      version: key.version,
      etag,
      extractedAt: now,
      storedBytes:
        pageStoredBytes({ ...built.article, imageSources: built.imageSources }) + 2 * (key.requestedUrl?.length ?? 0),
      text: isPage ? '' : htmlToText(built.article.contentHtml),
    },
    isPage ? PAGE_BUDGET : undefined,
  );
  return { article: built.article, version: key.version, etag, extractedAt: now };
}

/**
 * null when there is no such item. A failing page falls back to a stored older version when there is one.
 * `knownItem`, `knownStored`: the item and its stored article (null: none), when the caller has just read them.
 */
export async function articleForItem(
  db: D1Database,
  itemId: string,
  settings: PageFetchSettings,
  now: number,
  knownItem?: NonNullable<Awaited<ReturnType<typeof getItemForArticle>>>,
  knownStored?: StoredArticle | null,
): Promise<StoredArticle | null> {
  const [item, stored] = await Promise.all([
    knownItem ?? getItemForArticle(db, itemId),
    knownStored === undefined ? getArticle(db, itemId) : knownStored,
  ]);
  if (!item) return null;
  const version = itemArticleVersion(item.contentHash);
  if (stored?.version === version) return stored;
  const key = { id: item.id, itemId: item.id, requestedUrl: item.url, version };
  try {
    return await extractAndStore(db, key, () => buildItemArticle(item, settings), now);
  } catch (error) {
    if (stored && error instanceof ArticleFailure && error.reason === 'upstream') return stored;
    throw error;
  }
}

/** Any public page, vetted by the address guard before anything (a stored copy included) is served for it. */
export async function articleForUrl(
  db: D1Database,
  rawUrl: string,
  settings: PageFetchSettings,
  now: number,
): Promise<StoredArticle> {
  let url: string;
  try {
    url = checkFetchableUrl(rawUrl, settings).href;
  } catch (error) {
    throw error instanceof FetchFailure ? fromFetchFailure(error) : error;
  }
  const recent = await getArticleByUrl(db, url, now - PAGE_ARTICLE_MAX_AGE_MS);
  if (recent) return recent;
  const id = await stableId('page', url);
  return extractAndStore(
    db,
    { id, itemId: null, requestedUrl: url, version: pageArticleVersion },
    () => buildPageArticle(id, url, settings),
    now,
  );
}
