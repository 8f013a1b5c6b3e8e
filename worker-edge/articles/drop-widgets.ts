// Rating, share and newsletter widgets sit inside or right after an article's body, so Readability often keeps them
// ("★★★★★ 4.8 from 37 votes" under a recipe). They go before extraction: by what the markup calls them, and, for
// small blocks only, by what they say. A block with a real paragraph's worth of text is never dropped.
import type { PageDocument, PageElement } from './page-document.ts';

/** A widget says so in a class or id word: `rating-widget`, `sharedaddy`, `post-share-buttons`, `newsletter-inline`. */
const WIDGET_NAME =
  /(?:^|[-_\s])(?:ratings?|star-?rating|stars|votes?|share|sharing|sharedaddy|share-?buttons?|social(?:-?share)?|newsletter|subscribe|subscription|signup|mailchimp|mc4wp)(?:$|[-_\s])/i;

/** What a small widget says, all of it: a score with its votes, a "Share on …" row, a newsletter invitation. */
const WIDGET_TEXT = [
  /^[★☆✩✪✫✬✭✮✯⭐\s]*\d+(?:[.,]\d+)?\s*(?:\/\s*5|out of 5|stars?)?\s*(?:from|based on|\()?\s*[\d,]+\s*(?:votes?|ratings?|reviews?)\)?\.?$/i,
  /^[★☆✩✪✫✬✭✮✯⭐\s]{3,}$/,
  /^share(?: this(?: article| post| story| recipe| page)?| it| on| via| to)?[\s:]*(?:(?:facebook|twitter|x|linkedin|e-?mail|pinterest|whatsapp|reddit|print|mastodon|bluesky|threads|copy link)[\s,|·]*)*$/i,
  /^(?:subscribe|sign up)\b.{0,80}\b(?:newsletter|emails?|inbox|updates|mailing list)\b.{0,60}$/i,
  /^(?:get|receive)\b.{0,40}\b(?:by|in your|to your) (?:email|inbox)\b.{0,60}$/i,
];

/** Longer than this is text someone wrote to be read, whatever it is called. */
const MAX_WIDGET_CHARS = 300;

const textOf = (element: PageElement) => (element.textContent ?? '').replace(/\s+/g, ' ').trim();

function isNamedWidget(element: PageElement): boolean {
  const names = `${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`;
  if (
    element.tagName === 'BODY' ||
    element.tagName === 'HTML' ||
    element.tagName === 'ARTICLE' ||
    element.tagName === 'MAIN'
  )
    return false;
  return (
    WIDGET_NAME.test(names) ||
    element.getAttribute('role') === 'dialog' ||
    element.getAttribute('aria-modal') === 'true'
  );
}

export function dropWidgets(document: PageDocument): void {
  for (const element of document.querySelectorAll('[class], [id], [role], [aria-modal]')) {
    if (isNamedWidget(element) && textOf(element).length <= MAX_WIDGET_CHARS) element.remove();
  }
  for (const element of document.querySelectorAll('p, div, section, aside, footer, ul, span, h2, h3, h4, h5, h6')) {
    const text = textOf(element);
    if (text.length > 0 && text.length <= 160 && WIDGET_TEXT.some((pattern) => pattern.test(text))) element.remove();
  }
}
