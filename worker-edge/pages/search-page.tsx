// GET /search: the search form (query syntax explained), the results with the matched words marked, and paging.
// Readable without JavaScript; a query the reader must fix comes back in the form with what to change.
import type { FeedView, SearchHit } from '../../contract/http.ts';
import { readUrl } from '../../contract/paths.ts';
import type { SnippetPart } from '../search/snippet.ts';
import { formatDateTime } from '../../markup/page-dates.ts';
import { ReaderDocument } from '../../markup/reader-document.tsx';

export interface SearchPageProps {
  feeds: FeedView[];
  /** The query as typed ('' before the first search). */
  query: string;
  /** The source chosen in the form, if any. */
  sourceId: number | null;
  /** What is wrong with the query, when it cannot be run. */
  problem: string | null;
  /** null before the first search (or when the query has a problem). */
  hits: Array<{ hit: SearchHit; snippet: SnippetPart[] }> | null;
  /** The address of the next page of results, if there is one. */
  nextHref: string | null;
}

function SearchForm(props: { feeds: FeedView[]; query: string; sourceId: number | null; problem: string | null }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is too new for some of the browsers readers use; the role is understood by all.
    <form method="get" action="/search" class="search-form" role="search" aria-label="Search articles">
      <label for="search-query">Search titles, summaries and articles</label>
      <div class="input-row">
        <input
          type="search"
          id="search-query"
          name="q"
          value={props.query}
          maxlength={500}
          aria-describedby={props.problem ? 'search-problem search-help' : 'search-help'}
          aria-invalid={props.problem ? 'true' : undefined}
        />
        {props.feeds.length > 0 && (
          <select name="source" aria-label="Source">
            <option value="">All sources</option>
            {props.feeds.map((feed) => (
              <option value={String(feed.id)} selected={feed.id === props.sourceId}>
                {feed.title}
              </option>
            ))}
          </select>
        )}
        <button type="submit">Search</button>
      </div>
      {props.problem && (
        <p id="search-problem" class="search-problem" role="alert">
          {props.problem}
        </p>
      )}
      <p id="search-help" class="help">
        All words must match. <code>"tide tables"</code> finds a phrase, <code>harb*</code> words that begin so,{' '}
        <code>source:"Harbour Courier"</code> (or a source's number) one source.
      </p>
    </form>
  );
}

function HitCard(props: { hit: SearchHit; snippet: SnippetPart[]; feedTitle: string }) {
  const { hit } = props;
  const when = formatDateTime(hit.publishedAt);
  return (
    <li class="item search-hit" data-item-id={hit.id}>
      <h2 class="item-title">
        <a href={readUrl(hit.id)}>{hit.title || 'Untitled'}</a>
      </h2>
      <p class="item-meta">
        <a href={`/?feed=${hit.feedId}`} class="item-source">
          {props.feedTitle}
        </a>
        {when && hit.publishedAt && <time datetime={hit.publishedAt}>{when}</time>}
        {/* Worded by the page script when the article opens offline on this device (web/pages/offline-marks.ts). */}
        <span class="offline-mark" data-offline-mark></span>
      </p>
      <p class="item-summary search-snippet">
        {props.snippet.map((part) => (part.marked ? <mark>{part.text}</mark> : part.text))}
      </p>
    </li>
  );
}

export function SearchPage(props: SearchPageProps) {
  const titles = new Map(props.feeds.map((f) => [f.id, f.title]));
  const heading = props.hits && props.query ? `Search: ${props.query}` : 'Search';
  return (
    <ReaderDocument title={heading} page="search">
      <div class="page-head">
        <h1>Search</h1>
        <SearchForm feeds={props.feeds} query={props.query} sourceId={props.sourceId} problem={props.problem} />
      </div>
      {props.hits && (
        // The edge's results, whole: the page script adds the device's own matches after them (web/pages/search-page.ts).
        <div class="search-results" data-edge-results data-more={props.nextHref ? '' : undefined}>
          {props.hits.length === 0 && (
            <section class="empty-state">
              <h2>Nothing matches</h2>
              <p>No article we keep has all of those words. Try fewer words, or a word's beginning with *.</p>
            </section>
          )}
          {props.hits.length > 0 && (
            <ol class="items" aria-label="Results">
              {props.hits.map(({ hit, snippet }) => (
                <HitCard hit={hit} snippet={snippet} feedTitle={titles.get(hit.feedId) ?? 'Unknown source'} />
              ))}
            </ol>
          )}
          {props.nextHref && (
            <nav class="paging" aria-label="More results">
              <a href={props.nextHref} rel="next">
                More results
              </a>
            </nav>
          )}
        </div>
      )}
    </ReaderDocument>
  );
}
