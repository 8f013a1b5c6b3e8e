// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) → FeedDraft. Written by hand: the format is small, and
// the only hard part is distrust. Any field may have the wrong type, so each is read through a checker and a wrong
// type counts as absent. Titles are plain text by the spec; content_html is HTML, content_text and summary are not.
import type { FeedDraft, FeedText, ItemDraft } from './feed-draft.ts';
import { FeedParseError } from './feed-parse-error.ts';

type JsonObject = Record<string, unknown>;

export function parseJsonFeed(text: string, feedUrl: string): FeedDraft {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new FeedParseError(`Malformed JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const feed = asObject(document);
  const version = string(feed?.version) ?? '';
  const items = feed?.items;
  // The spec's version is a jsonfeed.org URL; some generators write a bare "1.1". An items array is the real tell.
  if (!feed || (!version.includes('jsonfeed.org') && !Array.isArray(items))) {
    throw new FeedParseError('Not a feed: JSON without a JSON Feed version or items');
  }
  const feedAuthors = authorNames(feed);
  return {
    format: 'json',
    baseUrl: feedUrl,
    title: plain(string(feed.title), feedUrl),
    siteUrls: [string(feed.home_page_url)].filter(isString),
    hints: { ttlMinutes: null, updatePeriod: null, updateFrequency: null },
    items: (Array.isArray(items) ? items : [])
      .map(asObject)
      .filter(isObject)
      .map((item) => itemDraft(item, feedUrl, feedAuthors)),
  };
}

function itemDraft(item: JsonObject, baseUrl: string, feedAuthors: string[]): ItemDraft {
  const ownAuthors = authorNames(item);
  const id = item.id;
  return {
    // Ids should be strings; numbers are common enough to honour.
    guid: typeof id === 'number' && Number.isFinite(id) ? String(id) : string(id)?.trim() || null,
    baseUrl,
    links: [string(item.url), string(item.external_url)].filter(isString),
    title: plain(string(item.title), baseUrl),
    // 1.1: an item without authors has the feed's.
    authors: ownAuthors.length ? ownAuthors : feedAuthors,
    dates: [string(item.date_published), string(item.date_modified)].filter(isString),
    contents: [html(string(item.content_html), baseUrl), plain(string(item.content_text), baseUrl)].filter(isText),
    summaries: [plain(string(item.summary), baseUrl)].filter(isText),
    images: [string(item.image), string(item.banner_image)].filter(isString),
  };
}

/** `authors` (1.1) or the deprecated `author` (1.0): names only. */
function authorNames(holder: JsonObject): string[] {
  const authors = Array.isArray(holder.authors) ? holder.authors : [holder.author];
  return authors.map((author) => string(asObject(author)?.name)?.trim() ?? '').filter(Boolean);
}

function asObject(value: unknown): JsonObject | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : null;
}

function isObject(value: JsonObject | null): value is JsonObject {
  return value !== null;
}

function string(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function isString(value: string | null): value is string {
  return value !== null && value.trim() !== '';
}

function isText(value: FeedText | null): value is FeedText {
  return value !== null;
}

function plain(value: string | null, baseUrl: string): FeedText | null {
  return value?.trim() ? { value, isHtml: false, baseUrl } : null;
}

function html(value: string | null, baseUrl: string): FeedText | null {
  return value?.trim() ? { value, isHtml: true, baseUrl } : null;
}
