// The search box's grammar, read once for both searches: the edge's (FTS5, worker-edge/search/search-query.ts) and
// the device's (sw/device-search.ts). Every word must match; "a phrase" matches its words in a row; a trailing *
// makes a word (or a phrase's last word) a prefix; `source:` (a feed's number or title, bare or quoted) filters by
// source. FTS5's operators (AND, OR, NOT, NEAR), column filters, ^ and parentheses are not syntax: they are dropped
// or read as words, so the reader's text never reaches a query language as anything but words.

export const MAX_QUERY_CHARS = 500;
export const MAX_QUERY_TERMS = 32;

export class SearchQueryError extends Error {}

/** A source filter as the reader wrote it: a feed's number, or its title (any case). */
export type SearchSourceFilter = { kind: 'id'; id: number } | { kind: 'title'; title: string };

/** One thing that must match: a word (one entry in `words`) or a phrase, its last word a prefix when `prefix`. */
export interface SearchTerm {
  words: string[];
  prefix: boolean;
}

export interface ParsedSearch {
  terms: SearchTerm[];
  source: SearchSourceFilter | null;
}

interface Token {
  text: string;
  prefix: boolean;
}

const OPERATOR = /^(AND|OR|NOT|NEAR)$/;
/** What counts as a word's letters: letters, digits and their combining marks (FTS5 unicode61 splits on the rest). */
export const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const SOURCE = /^source:/i;

/** The quoted text from `start` (just after a quote) to the closing quote, or an error when there is none. */
function closingQuote(text: string, start: number): number {
  const end = text.indexOf('"', start);
  if (end < 0)
    throw new SearchQueryError('A quote (") is not closed: put a phrase between two quotes, like "tide tables".');
  return end;
}

function toSource(value: string): SearchSourceFilter {
  const trimmed = value.trim();
  if (!trimmed) throw new SearchQueryError('source: needs a source’s name or number, like source:"Harbour Courier".');
  return /^[1-9][0-9]{0,15}$/.test(trimmed) ? { kind: 'id', id: Number(trimmed) } : { kind: 'title', title: trimmed };
}

export function parseSearchText(raw: string): ParsedSearch {
  if (raw.length > MAX_QUERY_CHARS) throw new SearchQueryError(`A search is at most ${MAX_QUERY_CHARS} characters.`);
  if (/\p{Cc}/u.test(raw))
    throw new SearchQueryError('The search contains control characters; type it again without them.');
  const text = raw.trim();
  if (!text) throw new SearchQueryError('Type a word to search for.');

  const tokens: Token[] = [];
  let source: SearchSourceFilter | null = null;
  let i = 0;
  while (i < text.length) {
    if (/[\s()]/.test(text[i] as string)) {
      i += 1;
      continue;
    }
    if (SOURCE.test(text.slice(i, i + 7))) {
      if (source) throw new SearchQueryError('Search one source at a time.');
      i += 7;
      if (text[i] === '"') {
        const end = closingQuote(text, i + 1);
        source = toSource(text.slice(i + 1, end));
        i = end + 1;
      } else {
        const end = text.slice(i).search(/\s|$/) + i;
        source = toSource(text.slice(i, end));
        i = end;
      }
      continue;
    }
    if (text[i] === '"') {
      const end = closingQuote(text, i + 1);
      const prefix = text[end + 1] === '*';
      tokens.push({ text: text.slice(i + 1, end), prefix });
      i = end + (prefix ? 2 : 1);
      continue;
    }
    // Parentheses (FTS5's grouping, NEAR's arguments) separate words like spaces.
    const end = text.slice(i).search(/[\s"()]|$/) + i;
    const word = text.slice(i, end);
    i = Math.max(end, i + 1);
    if (OPERATOR.test(word)) continue;
    tokens.push({ text: word.replace(/\*+$/, ''), prefix: word.endsWith('*') });
  }

  const terms = tokens.flatMap((token) => {
    const words = token.text.match(WORD);
    return words ? [{ words, prefix: token.prefix }] : [];
  });
  if (terms.length === 0) {
    throw new SearchQueryError(
      source
        ? 'Add a word to search for in that source.'
        : 'Search for words or numbers: operators and punctuation alone match nothing.',
    );
  }
  if (terms.length > MAX_QUERY_TERMS) throw new SearchQueryError(`A search has at most ${MAX_QUERY_TERMS} words.`);
  return { terms, source };
}
