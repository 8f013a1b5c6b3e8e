// GET /read/:id as a reader sees it: the article, or a page that says what went wrong and what happens next.
import type { ArticleView } from '../../contract/http.ts';
import { readUrl } from '../../contract/paths.ts';
import type { ItemForArticle } from '../model/article.ts';
import type { NeighbourItem } from '../store/items-store.ts';
import { ReaderDocument } from '../../markup/reader-document.tsx';
import { formatDate, readingMinutes } from './reading-time.ts';

const isWebLink = (url: string | null): url is string => url !== null && /^https?:\/\//i.test(url);
const hostOf = (url: string) => URL.parse(url)?.host ?? url;

function Byline(props: {
  feedTitle: string;
  byline: string | null;
  publishedAt: string | null;
  wordCount: number | null;
}) {
  const date = formatDate(props.publishedAt);
  return (
    <p class="byline">
      <span class="feed-name">{props.feedTitle}</span>
      {props.byline && <span>by {props.byline}</span>}
      {date && props.publishedAt && <time datetime={props.publishedAt}>{date}</time>}
      {props.wordCount !== null && <span>{readingMinutes(props.wordCount)} min read</span>}
    </p>
  );
}

function OriginalLink(props: { url: string | null }) {
  if (!isWebLink(props.url)) return null;
  return (
    <p class="original">
      <a href={props.url} rel="noopener noreferrer">
        Read the original at {hostOf(props.url)}
      </a>
    </p>
  );
}

export interface Neighbours {
  newer: NeighbourItem | null;
  older: NeighbourItem | null;
}

export const NO_NEIGHBOURS: Neighbours = { newer: null, older: null };

/** Newer and older articles, in the order of the latest list: reading on without going back to it. */
function ArticleNav(props: { neighbours: Neighbours }) {
  const { newer, older } = props.neighbours;
  if (!newer && !older) return null;
  return (
    <nav class="article-nav" aria-label="Newer and older articles">
      {newer && (
        <a href={readUrl(newer.id)} rel="prev" class="article-nav-newer">
          <span class="article-nav-label">Newer</span> {newer.title || 'Untitled'}
        </a>
      )}
      {older && (
        <a href={readUrl(older.id)} rel="next" class="article-nav-older">
          <span class="article-nav-label">Older</span> {older.title || 'Untitled'}
        </a>
      )}
    </nav>
  );
}

/**
 * The save-for-offline control, near the top of the article and again at its end. Without JavaScript it is a link to
 * how offline reading works (saving needs the service worker); the client module (web/offline/save-controls.ts)
 * turns it into a button that saves, keeps or tries again, with the mark beside it saying where the article stands,
 * and keeps `data-offline-state` on the box current.
 */
function SaveOffline(props: { itemId: string; title: string; place: 'top' | 'end' }) {
  return (
    <div class={`save-offline save-offline-${props.place}`} data-item-id={props.itemId} data-title={props.title}>
      <a href="/saved#how-offline-works" class="button" data-save-offline>
        Save for offline
      </a>{' '}
      <span class="offline-mark" data-offline-mark></span>
    </div>
  );
}

/** `sourceName`: the feed's title, or for a page saved by its address (shared to the app), the site's name. */
export function ReadPage(props: { sourceName: string; article: ArticleView; neighbours: Neighbours }) {
  const { article } = props;
  return (
    <ReaderDocument
      title={article.title}
      page="read"
      description={`${article.title}, from ${props.sourceName}: the article to read here, online or offline.`}
    >
      <article class="reader" data-article-id={article.id} data-article-source={article.source}>
        <header>
          <h1>{article.title}</h1>
          <Byline
            feedTitle={props.sourceName}
            byline={article.byline}
            publishedAt={article.publishedAt}
            wordCount={article.wordCount}
          />
          <SaveOffline itemId={article.id} title={article.title} place="top" />
          {article.source === 'feed' && (
            <p class="notice">The page itself had little to read, so this is the text the feed carries.</p>
          )}
        </header>
        <div class="content" dangerouslySetInnerHTML={{ __html: article.contentHtml }} />
        <footer>
          <SaveOffline itemId={article.id} title={article.title} place="end" />
          <OriginalLink url={article.url} />
        </footer>
      </article>
      <ArticleNav neighbours={props.neighbours} />
    </ReaderDocument>
  );
}

/**
 * What /read/:id shows for an article, made once for the page route and for a batch of articles (which the service
 * worker keeps for reading offline: the same HTML online and offline). `feedTitle`: the item's feed; a page saved by
 * its address has none and is named after its site.
 */
export function ArticlePage(props: { article: ArticleView; feedTitle: string | null; neighbours: Neighbours }) {
  const { article } = props;
  const sourceName =
    props.feedTitle ?? article.siteName ?? (article.url ? URL.parse(article.url)?.host : null) ?? 'Saved page';
  return <ReadPage sourceName={sourceName} article={article} neighbours={props.neighbours} />;
}

export function MissingArticlePage() {
  return (
    <ReaderDocument title="Article not found">
      <section class="reader notice-page">
        <h1>This article is not here</h1>
        <p>
          There is no article at this address. It may have dropped out of its feed (older items are removed as new ones
          arrive), or the link may be mistyped.
        </p>
        <p>
          <a href="/">See the latest articles</a>
        </p>
      </section>
    </ReaderDocument>
  );
}

export interface UnavailableArticle {
  item: ItemForArticle;
  /** 'gone': the publisher removed the page; 'upstream': the site failed this time. */
  reason: 'gone' | 'upstream';
  message: string;
  retryAfterSeconds: number | null;
  /** The feed's own copy, sanitised, when it has one. */
  feedContentHtml: string | null;
  neighbours: Neighbours;
}

function whatNext(props: UnavailableArticle): string {
  if (props.reason === 'gone')
    return 'The publisher has taken this page down, so it will not be fetched again unless the feed changes it.';
  const wait =
    props.retryAfterSeconds && props.retryAfterSeconds > 90
      ? `${Math.ceil(props.retryAfterSeconds / 60)} minutes`
      : 'a minute';
  return `This is usually brief. Reload this page in ${wait}; the latest articles are also fetched again in the background.`;
}

export function UnavailableArticlePage(props: UnavailableArticle) {
  const { item } = props;
  return (
    <ReaderDocument title={item.title || 'Article unavailable'} page="read">
      <article class="reader" data-article-id={item.id}>
        <header>
          <h1>{item.title || 'Untitled'}</h1>
          <Byline feedTitle={item.feedTitle} byline={item.author} publishedAt={item.publishedAt} wordCount={null} />
        </header>
        <section class="notice" role="status">
          <h2>
            {props.reason === 'gone' ? 'The original page is gone' : 'The original page could not be fetched just now'}
          </h2>
          <p>{props.message}</p>
          <p>{whatNext(props)}</p>
        </section>
        {props.feedContentHtml ? (
          <>
            <p class="notice">Here is what the feed itself carries:</p>
            <div class="content" dangerouslySetInnerHTML={{ __html: props.feedContentHtml }} />
          </>
        ) : (
          <p>The feed carries no text for this article.</p>
        )}
        <footer>
          <OriginalLink url={item.url} />
        </footer>
      </article>
      <ArticleNav neighbours={props.neighbours} />
    </ReaderDocument>
  );
}
