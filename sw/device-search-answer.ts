// The page's question for the search page online (contract/messages.ts, 'search-device'): what else this device holds
// for the search box's text. Read with the same grammar as every search; the source the page's form chose (a feed's
// number, which only the edge knows) comes by its name; the hits the page already shows are left out.
import type { DeviceSearchResults, Requests } from '../contract/messages.ts';
import { parseSearchText, type ParsedSearch } from '../contract/search-grammar.ts';
import { searchDevice } from './device-search.ts';

const MAX_EXCLUDED = 200;
const MAX_LIMIT = 50;

type Question = Requests['search-device']['request'];

function read(question: Question): { parsed: ParsedSearch; exclude: Set<string>; limit: number } {
  if (typeof question?.query !== 'string') throw new Error('A search is needed.');
  const exclude = question.exclude;
  if (!Array.isArray(exclude) || exclude.length > MAX_EXCLUDED || !exclude.every((id) => typeof id === 'string'))
    throw new Error(`A list of at most ${MAX_EXCLUDED} item ids to leave out is needed.`);
  const limit = Number.isSafeInteger(question.limit) ? Math.min(MAX_LIMIT, Math.max(1, question.limit)) : MAX_LIMIT;
  const parsed = parseSearchText(question.query);
  const title = typeof question.sourceTitle === 'string' ? question.sourceTitle.trim() : '';
  if (parsed.source?.kind === 'id' || (!parsed.source && title)) {
    if (!title) throw new Error('On this device a source is known by its name.');
    parsed.source = { kind: 'title', title };
  }
  return { parsed, exclude: new Set(exclude), limit };
}

export async function answerDeviceSearch(question: Question): Promise<DeviceSearchResults> {
  const { parsed, exclude, limit } = read(question);
  const results = await searchDevice(parsed, { limit, exclude });
  return {
    hits: results.hits.map(({ article, snippet }) => ({
      itemId: article.itemId,
      title: article.title,
      source: article.source,
      publishedAt: article.publishedAt,
      snippet,
    })),
    matched: results.matched,
    searched: results.searched,
  };
}
