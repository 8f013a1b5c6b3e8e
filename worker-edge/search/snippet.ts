// A stored snippet (text from feeds and pages, hostile until shown otherwise) with the matched words between
// MATCH_OPEN and MATCH_CLOSE → parts to show as text, each either marked or not. Only whole marker pairs mark;
// any marker character left over (one the feed itself carried) is dropped.
import { escapeHtml } from '../html/sanitize-html.ts';
import { MATCH_CLOSE, MATCH_OPEN } from '../model/search.ts';

export interface SnippetPart {
  text: string;
  marked: boolean;
}

const PAIR = new RegExp(`${MATCH_OPEN}([^${MATCH_OPEN}${MATCH_CLOSE}]*)${MATCH_CLOSE}`, 'gu');
const STRAY = new RegExp(`[${MATCH_OPEN}${MATCH_CLOSE}]`, 'gu');

export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const plain = (text: string) => {
    const clean = text.replace(STRAY, '');
    if (clean) parts.push({ text: clean, marked: false });
  };
  let at = 0;
  for (const match of snippet.matchAll(PAIR)) {
    plain(snippet.slice(at, match.index));
    if (match[1]) parts.push({ text: match[1], marked: true });
    at = match.index + match[0].length;
  }
  plain(snippet.slice(at));
  return parts;
}

/** The parts as HTML: every character of feed text escaped, the matches in <mark>. */
export function snippetHtml(parts: SnippetPart[]): string {
  return parts.map((p) => (p.marked ? `<mark>${escapeHtml(p.text)}</mark>` : escapeHtml(p.text))).join('');
}
