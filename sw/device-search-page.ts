// The search page as the service worker answers it offline: the edge's markup (worker-edge/pages/search-page.tsx,
// same classes), inside the site's own document, taken from the precached /offline page so the header, styles and
// script are the ones the edge serves. Every piece of article text is escaped here: it came from feeds and pages.
import { readUrl } from '../contract/paths.ts';
import { formatDateTime } from '../markup/page-dates.ts';
import type { DeviceHit, SnippetPart } from './device-search.ts';

export interface DeviceSearchView {
  query: string;
  /** What is wrong with the query, when it cannot be run. */
  problem: string | null;
  /** null when the query was not run. */
  hits: DeviceHit[] | null;
  /** How many articles were looked through. */
  searched: number;
  /** The address of the next page of hits, if there is one. */
  nextHref: string | null;
  /** Why the edge's search could not be used: the device is offline, or the site is not answering. */
  reason: 'offline' | 'unavailable';
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

/** As the edge prints dates ("3 Nov 2026, 14:05 UTC"); the page script rewrites them into the reader's zone. */
function when(iso: string | null): string {
  const printed = formatDateTime(iso);
  return iso && printed ? `<time datetime="${escapeHtml(iso)}">${printed}</time>` : '';
}

const snippetHtml = (parts: SnippetPart[]) =>
  parts.map((p) => (p.marked ? `<mark>${escapeHtml(p.text)}</mark>` : escapeHtml(p.text))).join('');

const articles = (n: number) => (n === 1 ? '1 article' : `${n} articles`);

/** In one voice with the edge's page: what was searched, and why only this. */
export function searchedNote(view: Pick<DeviceSearchView, 'searched' | 'reason'>): string {
  const why = view.reason === 'offline' ? 'you are offline' : 'the site is not answering';
  return view.searched === 0
    ? `No articles are saved on this device yet, so there is nothing to search while ${why}.`
    : `Searched the ${articles(view.searched)} on this device; ${why}.`;
}

function form(view: DeviceSearchView): string {
  const describedBy = view.problem ? 'search-problem search-help' : 'search-help';
  return `<form method="get" action="/search" class="search-form" role="search" aria-label="Search articles">
<label for="search-query">Search titles and articles on this device</label>
<div class="input-row"><input type="search" id="search-query" name="q" value="${escapeHtml(view.query)}" maxlength="500" aria-describedby="${describedBy}"${view.problem ? ' aria-invalid="true"' : ''}><button type="submit">Search</button></div>
${view.problem ? `<p id="search-problem" class="search-problem" role="alert">${escapeHtml(view.problem)}</p>` : ''}
<p id="search-help" class="help">All words must match. <code>"tide tables"</code> finds a phrase, <code>harb*</code> words that begin so, <code>source:"Harbour Courier"</code> one source, by its name.</p>
</form>`;
}

function hitCard({ article, snippet }: DeviceHit): string {
  // Every hit opens offline (`data-on-device`): the page script words its mark, kept or for now (offline-marks.ts).
  return `<li class="item search-hit" data-item-id="${escapeHtml(article.itemId)}" data-on-device>
<h2 class="item-title"><a href="${escapeHtml(readUrl(article.itemId))}">${escapeHtml(article.title || 'Untitled')}</a></h2>
<p class="item-meta"><span class="item-source">${escapeHtml(article.source)}</span>${when(article.publishedAt)}<span class="offline-mark" data-offline-mark></span></p>
<p class="item-summary search-snippet">${snippetHtml(snippet)}</p>
</li>`;
}

/** The inside of <main>. */
export function deviceSearchMain(view: DeviceSearchView): string {
  const results =
    view.hits === null
      ? ''
      : view.hits.length === 0
        ? `<section class="empty-state"><h2>Nothing matches</h2><p>No article on this device has all of those words. Try fewer words, or a word's beginning with *; back online, the search looks through every source.</p></section>`
        : `<ol class="items" aria-label="Results on this device">${view.hits.map(hitCard).join('')}</ol>`;
  const more = view.nextHref
    ? `<nav class="paging" aria-label="More results"><a href="${escapeHtml(view.nextHref)}" rel="next">More results</a></nav>`
    : '';
  return `<div class="page-head"><h1>Search</h1>${form(view)}</div>
<p class="notice device-search-note" data-device-search>${escapeHtml(searchedNote(view))}</p>
${results}${more}`;
}

const MAIN = /(<main\b[^>]*>)[\s\S]*<\/main>/;

/** The page: `shell` is a document of the site (the precached /offline page), its <main> replaced. */
export function deviceSearchDocument(shell: string, view: DeviceSearchView): string {
  const title = view.hits !== null && view.query ? `Search: ${view.query}` : 'Search';
  return shell
    .replace(/<title>[^<]*<\/title>/, () => `<title>${escapeHtml(title)} · Offline Reader</title>`)
    .replace(/<body([^>]*) data-page="[^"]*"/, (_whole, before: string) => `<body${before} data-page="search"`)
    .replace(MAIN, (_whole, open: string) => `${open}${deviceSearchMain(view)}</main>`);
}
