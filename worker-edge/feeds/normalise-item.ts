// ItemDraft → NormalisedItem: the one place where feed items, whatever their format, become what we store.
import { truncateAtWord } from '../../markup/truncate-at-word.ts';
import { collapseWhitespace } from '../html/plain-text.ts';
import { escapeHtml, htmlToText, sanitizeHtml } from '../html/sanitize-html.ts';
import { CappedImageSet } from '../images/capped-image-set.ts';
import { authorNames } from './author-name.ts';
import type { FeedText, ItemDraft } from './feed-draft.ts';
import type { NormalisedItem } from '../model/feed.ts';
import { parseFeedDate } from './parse-feed-date.ts';
import { resolveHttpUrl } from './resolve-url.ts';

const SUMMARY_MAX_CHARS = 300;
const TITLE_FROM_TEXT_MAX_CHARS = 100;
/** Clocks and time zones drift; a date further ahead than this is a feed bug, not a scheduled post. */
const FUTURE_TOLERANCE_MS = 2 * 24 * 60 * 60 * 1000;
/** D1 stores at most 2 MB a row: content larger than this is replaced by the summary (the page stays a link away). */
export const MAX_CONTENT_HTML_BYTES = 500_000;

export function normaliseItem(draft: ItemDraft, now: number): NormalisedItem {
  const content = draft.contents[0] ?? draft.summaries[0];
  const summaryText = firstText([...draft.summaries, ...draft.contents]);
  const summary = truncateAtWord(summaryText, SUMMARY_MAX_CHARS);
  const leadImage = firstHttpUrl(draft.images, draft.baseUrl);
  // Sanitised once, here: the picture sources the sanitiser resolves are what the image proxy may serve. The lead
  // picture counts against the cap first; content pictures past it are left out of the stored HTML.
  let pictures = withLead(leadImage);
  let contentHtml = content
    ? sanitizeHtml(asHtml(content), {
        baseUrl: content.baseUrl,
        rewriteImageUrl: (url) => (pictures.admit(url) ? url : undefined),
      })
    : '';
  if (utf8LengthOver(contentHtml, MAX_CONTENT_HTML_BYTES)) {
    contentHtml = summary ? `<p>${escapeHtml(summary)}</p>` : '';
    pictures = withLead(leadImage);
  }
  const title = draft.title ? plainText(draft.title) : '';
  const imageUrl = leadImage ?? firstContentImage(contentHtml);
  return {
    guid: draft.guid?.trim() || null,
    url: firstHttpUrl(draft.links, draft.baseUrl),
    title: title || truncateAtWord(summaryText, TITLE_FROM_TEXT_MAX_CHARS),
    author: authorNames(draft.authors),
    publishedAt: publishedAt(draft.dates, now),
    summary,
    contentHtml,
    imageUrl,
    imageSources: pictures.urls,
  };
}

function withLead(leadImage: string | null): CappedImageSet {
  const pictures = new CappedImageSet();
  if (leadImage) pictures.admit(leadImage);
  return pictures;
}

function utf8LengthOver(text: string, limit: number): boolean {
  // A UTF-16 unit is at most 3 UTF-8 bytes: most content is decided without encoding it.
  if (text.length * 3 <= limit) return false;
  return text.length > limit || new TextEncoder().encode(text).byteLength > limit;
}

export function plainText(text: FeedText): string {
  return text.isHtml ? htmlToText(text.value) : collapseWhitespace(text.value);
}

export function firstHttpUrl(candidates: string[], baseUrl: string): string | null {
  for (const candidate of candidates) {
    const url = resolveHttpUrl(candidate, baseUrl);
    if (url) return url;
  }
  return null;
}

/** The plain text of the first of `texts` that has some; the others are never converted (each may be megabytes). */
function firstText(texts: FeedText[]): string {
  for (const text of texts) {
    const plain = plainText(text);
    if (plain) return plain;
  }
  return '';
}

/** Plain text shown as HTML: escaped, blank lines become paragraphs and line breaks stay line breaks. */
function asHtml(text: FeedText): string {
  if (text.isHtml) return text.value;
  const escaped = escapeHtml(text.value.trim());
  return escaped
    .split(/\n\s*\n/)
    .map((paragraph) => `<p>${paragraph.trim().replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** The first date that parses, unless it lies in the future beyond clock skew. */
function publishedAt(dates: string[], now: number): number | null {
  for (const date of dates) {
    const instant = parseFeedDate(date);
    if (instant !== null) return instant <= now + FUTURE_TOLERANCE_MS ? instant : null;
  }
  return null;
}

/**
 * The first real picture in sanitised content. sanitize-html writes attributes as name="value" with entities
 * escaped, so simple patterns read its output reliably. Tracking pixels (1×1) are not pictures.
 */
function firstContentImage(contentHtml: string): string | null {
  for (const [tag] of contentHtml.matchAll(/<img\s[^>]*>/g)) {
    const attribute = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
    const isPixel = [attribute('width'), attribute('height')].some(
      (size) => size !== undefined && Number.parseInt(size, 10) <= 1,
    );
    const src = attribute('src')?.replace(/&amp;/g, '&');
    if (src && !isPixel) return src;
  }
  return null;
}
