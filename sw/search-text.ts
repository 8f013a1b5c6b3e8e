// Text for the search on the device: an article's sanitised HTML → plain text (no DOM in a service worker; the text
// is only matched and shown escaped, so tags need not be parsed, only removed), and text → words, folded as FTS5's
// unicode61 tokenizer folds them (case, and diacritics: "Café" is found by "cafe").
import { WORD } from '../contract/search-grammar.ts';

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, name: string) => {
    if (name[0] !== '#') return NAMED[name.toLowerCase()] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : ' ';
  });
}

/** The words of an HTML fragment, blocks apart, in one line of text. */
export function plainText(html: string): string {
  return decodeEntities(
    html
      .replace(/<(script|style|template)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<[^>]*>/g, ' '),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

/** A word as the index keeps it: lower case, without diacritics. */
export function foldWord(word: string): string {
  // Most words are plain ASCII: decomposing them would change nothing, and costs most of the time a text takes.
  return /[^0-9A-Za-z]/.test(word) ? word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase() : word.toLowerCase();
}

export interface TextWord {
  word: string;
  start: number;
  end: number;
}

/** The words of a text (the first `limit` of them), folded, with where each stands (for phrases and snippets). */
export function wordsOf(text: string, limit = Number.POSITIVE_INFINITY): TextWord[] {
  const words: TextWord[] = [];
  for (const match of text.matchAll(WORD)) {
    if (words.length >= limit) break;
    const word = foldWord(match[0]);
    if (word) words.push({ word, start: match.index, end: match.index + match[0].length });
  }
  return words;
}
