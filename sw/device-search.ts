// The search on the device: the same grammar as the edge's (contract/search-grammar.ts), run over the articles this
// device holds (sw/search-index.ts). Every term must match (a phrase: its words in a row, in the title or in the
// text; a prefix: a word that begins so). Ranked like the edge's bm25, title words weighing as the edge weighs
// them, the newest first among equals; each hit with a snippet of its text, the matched words marked.
import type { ParsedSearch, SearchTerm } from '../contract/search-grammar.ts';
import { idsWithWord, indexedArticles, indexedCount, syncSearchIndex, type IndexedArticle } from './search-index.ts';
import { foldWord, wordsOf, type TextWord } from './search-text.ts';

export interface SnippetPart {
  text: string;
  marked: boolean;
}

export interface DeviceHit {
  article: IndexedArticle;
  score: number;
  snippet: SnippetPart[];
}

export interface DeviceResults {
  hits: DeviceHit[];
  /** How many articles the search looked through: every article this device can show. */
  searched: number;
}

/** As the edge weighs a title word against a word of the text (worker-edge/store/search-store.ts). */
const TITLE_WEIGHT = 10;
const K1 = 1.2;
const B = 0.75;
const SNIPPET_WORDS = 24;

interface FoldedTerm {
  words: string[];
  prefix: boolean;
}

const fold = (term: SearchTerm): FoldedTerm => ({
  words: term.words.map(foldWord).filter((word) => word !== ''),
  prefix: term.prefix,
});

/** Where in `words` the term starts, each place it does. */
function placesOf(term: FoldedTerm, words: TextWord[]): number[] {
  const places: number[] = [];
  const last = term.words.length - 1;
  for (let i = 0; i + last < words.length; i += 1) {
    let all = true;
    for (let k = 0; k <= last && all; k += 1) {
      const word = (words[i + k] as TextWord).word;
      const wanted = term.words[k] as string;
      all = k === last && term.prefix ? word.startsWith(wanted) : word === wanted;
    }
    if (all) places.push(i);
  }
  return places;
}

const intersect = (sets: string[][]): string[] => {
  const [first, ...rest] = [...sets].sort((a, b) => a.length - b.length);
  if (!first) return [];
  const others = rest.map((ids) => new Set(ids));
  return first.filter((id) => others.every((set) => set.has(id)));
};

/** The text around the first match, the words of every match marked, with … where it was cut. */
function snippetOf(text: string, words: TextWord[], marks: Set<number>): SnippetPart[] {
  if (words.length === 0) return text ? [{ text: text.slice(0, 200), marked: false }] : [];
  const first = marks.size > 0 ? Math.min(...marks) : 0;
  const from = Math.max(0, Math.min(first - 6, words.length - SNIPPET_WORDS));
  const to = Math.min(words.length, from + SNIPPET_WORDS) - 1;
  const parts: SnippetPart[] = [];
  const plain = (piece: string) => {
    if (!piece) return;
    const previous = parts.at(-1);
    if (previous && !previous.marked) previous.text += piece;
    else parts.push({ text: piece, marked: false });
  };
  let at = (words[from] as TextWord).start;
  if (from > 0) plain('…');
  for (let i = from; i <= to; i += 1) {
    const word = words[i] as TextWord;
    if (!marks.has(i)) continue;
    plain(text.slice(at, word.start));
    parts.push({ text: text.slice(word.start, word.end), marked: true });
    at = word.end;
  }
  plain(text.slice(at, (words[to] as TextWord).end));
  if (to < words.length - 1) plain('…');
  return parts;
}

interface Scored {
  article: IndexedArticle;
  counts: Array<{ title: number; text: number }>;
  marks: Set<number>;
  textWords: TextWord[];
}

/** Reads the article's words once: which terms it holds where; null when a term is missing (or not in a row). */
function match(article: IndexedArticle, terms: FoldedTerm[]): Scored | null {
  const titleWords = wordsOf(article.title);
  const textWords = wordsOf(article.text);
  const counts: Scored['counts'] = [];
  const marks = new Set<number>();
  for (const term of terms) {
    const inTitle = placesOf(term, titleWords);
    const inText = placesOf(term, textWords);
    if (inTitle.length + inText.length === 0) return null;
    counts.push({ title: inTitle.length, text: inText.length });
    for (const place of inText) for (let k = 0; k < term.words.length; k += 1) marks.add(place + k);
  }
  return { article, counts, marks, textWords };
}

const newestFirst = (a: IndexedArticle, b: IndexedArticle) =>
  (Date.parse(b.publishedAt ?? '') || 0) - (Date.parse(a.publishedAt ?? '') || 0);

export async function searchDevice(query: ParsedSearch, limit = 50): Promise<DeviceResults> {
  await syncSearchIndex();
  const searched = await indexedCount();
  const terms = query.terms.map(fold).filter((term) => term.words.length > 0);
  if (terms.length === 0 || searched === 0) return { hits: [], searched };

  // Candidates: the articles holding every word of every term; a phrase's order is checked on the candidates only.
  const perTerm = await Promise.all(
    terms.map(async (term) =>
      intersect(
        await Promise.all(term.words.map((word, k) => idsWithWord(word, term.prefix && k === term.words.length - 1))),
      ),
    ),
  );
  let candidates = await indexedArticles(intersect(perTerm));
  const source = query.source;
  if (source?.kind === 'title') {
    const wanted = source.title.toLocaleLowerCase();
    candidates = candidates.filter((article) => article.source.toLocaleLowerCase() === wanted);
  }
  const matched = candidates.map((article) => match(article, terms)).filter((m): m is Scored => m !== null);
  if (matched.length === 0) return { hits: [], searched };

  const averageLength = matched.reduce((sum, m) => sum + m.article.length, 0) / matched.length || 1;
  const idf = perTerm.map((ids) => Math.log((searched - ids.length + 0.5) / (ids.length + 0.5) + 1));
  const scored = matched.map((m) => {
    const norm = K1 * (1 - B + (B * m.article.length) / averageLength);
    const score = m.counts.reduce((sum, { title, text }, i) => {
      const tf = TITLE_WEIGHT * title + text;
      return sum + (idf[i] ?? 0) * ((tf * (K1 + 1)) / (tf + norm));
    }, 0);
    return { m, score };
  });
  scored.sort((a, b) => b.score - a.score || newestFirst(a.m.article, b.m.article));
  return {
    searched,
    hits: scored.slice(0, limit).map(({ m, score }) => ({
      article: m.article,
      score,
      snippet: snippetOf(m.article.text, m.textWords, m.marks),
    })),
  };
}
