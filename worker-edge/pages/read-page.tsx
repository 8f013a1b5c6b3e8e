// GET /read/:id as a reader sees it: the article, or a page that says what went wrong and what happens next.
import type { ArticleView } from '../api/contract.ts';
import type { ItemForArticle } from '../articles/build-article.ts';
import { ReaderDocument } from './reader-document.tsx';
import { formatDate, readingMinutes } from './reading-time.ts';

const isWebLink = (url: string | null): url is string => url !== null && /^https?:\/\//i.test(url);
const hostOf = (url: string) => URL.parse(url)?.host ?? url;

function Byline(props: { feedTitle: string; byline: string | null; publishedAt: string | null; wordCount: number | null }) {
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

export function ReadPage(props: { item: ItemForArticle; article: ArticleView }) {
  const { item, article } = props;
  return (
    <ReaderDocument title={article.title}>
      <article class="reader" data-article-id={article.id} data-article-source={article.source}>
        <header>
          <h1>{article.title}</h1>
          <Byline feedTitle={item.feedTitle} byline={article.byline} publishedAt={article.publishedAt} wordCount={article.wordCount} />
          {article.source === 'feed' && <p class="notice">The page itself had little to read, so this is the text the feed carries.</p>}
        </header>
        <div class="content" dangerouslySetInnerHTML={{ __html: article.contentHtml }} />
        <footer>
          <button type="button" data-save-offline hidden>
            Save for offline
          </button>
          <OriginalLink url={article.url} />
        </footer>
      </article>
    </ReaderDocument>
  );
}

export function MissingArticlePage() {
  return (
    <ReaderDocument title="Article not found">
      <section class="reader notice-page">
        <h1>This article is not here</h1>
        <p>
          There is no article at this address. It may have dropped out of its feed (older items are removed as new
          ones arrive), or the link may be mistyped.
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
}

function whatNext(props: UnavailableArticle): string {
  if (props.reason === 'gone') return 'The publisher has taken this page down, so it will not be fetched again unless the feed changes it.';
  const wait = props.retryAfterSeconds && props.retryAfterSeconds > 90 ? `${Math.ceil(props.retryAfterSeconds / 60)} minutes` : 'a minute';
  return `This is usually brief. Reload this page in ${wait}; the latest articles are also fetched again in the background.`;
}

export function UnavailableArticlePage(props: UnavailableArticle) {
  const { item } = props;
  return (
    <ReaderDocument title={item.title || 'Article unavailable'}>
      <article class="reader" data-article-id={item.id}>
        <header>
          <h1>{item.title || 'Untitled'}</h1>
          <Byline feedTitle={item.feedTitle} byline={item.author} publishedAt={item.publishedAt} wordCount={null} />
        </header>
        <section class="notice" role="status">
          <h2>{props.reason === 'gone' ? 'The original page is gone' : 'The original page could not be fetched just now'}</h2>
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
    </ReaderDocument>
  );
}
