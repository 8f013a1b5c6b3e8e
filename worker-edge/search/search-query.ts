// The reader's search box → an FTS5 query we wrote ourselves. The grammar is the contract's (shared with the
// search on the device); here every word and phrase becomes a quoted string and a prefix gets its *, so user text
// never reaches MATCH as syntax.
import { parseSearchText } from '../../contract/search-grammar.ts';
import type { SearchSource } from '../model/search.ts';

export { MAX_QUERY_CHARS, MAX_QUERY_TERMS, SearchQueryError } from '../../contract/search-grammar.ts';

export interface SearchQuery {
  /** For `item_search MATCH ?`: quoted strings and prefixes, all of which must match. */
  match: string;
  source: SearchSource | null;
}

export function parseSearchQuery(raw: string): SearchQuery {
  const { terms, source } = parseSearchText(raw);
  return { match: terms.map((t) => `"${t.words.join(' ')}"${t.prefix ? '*' : ''}`).join(' '), source };
}
