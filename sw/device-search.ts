// The search on the device: the same grammar as the edge's (contract/search-grammar.ts), run over the articles this
// device holds (sw/search-index.ts). Every term must match (a phrase: its words in a row, in the title or in the
// text; a prefix: a word that begins so). Ranked like the edge's bm25, title words weighing as the edge weighs
// them, the newest first among equals; each hit with a snippet of its text, the matched words marked.
import type { SnippetPart } from '../contract/messages.ts';
import type { ParsedSearch, SearchTerm } from '../contract/search-grammar.ts';
import {
  idsWithWord,
  indexedArticles,
  indexedFolded,
  indexedCount,
  indexedTexts,
  syncSearchIndex,
  type IndexedArticle,
  type IndexedText,
} from './search-index.ts';
import { foldWord, wordsOf, type TextWord } from './search-text.ts';

export type { SnippetPart };

export interface DeviceHit {
  article: IndexedArticle;
  score: number;
  snippet: SnippetPart[];
}

export interface DeviceResults {
  hits: DeviceHit[];
  /** How many articles the search looked through: every article this device can show. */
  searched: number;
  /** How many of them match, those excluded left out (the hits are one page of these). */
  matched: number;
  /** Milliseconds per step, in order (the page's Server-Timing): index in step, ids, records, ranking, snippets. */
  ms: Record<string, number>;
}

/** As the edge weighs a title word against a word of the text (worker-edge/store/search-store.ts). */
const TITLE_WEIGHT = 10;
const K1 = 1.2;
const B = 0.75;
const SNIPPET_WORDS = 24;
/** As many as the edge's page shows. */
export const HITS_PER_PAGE = 20;

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
}

const isPhrase = (term: FoldedTerm) => term.words.length > 1;

/** How often a one-word term occurs in the text, from the counts the index keeps (a prefix: every word it begins). */
function textCount(term: FoldedTerm, counts: Record<string, number>): number {
  const [word] = term.words as [string];
  if (!term.prefix) return counts[word] ?? 0;
  let sum = 0;
  for (const [known, count] of Object.entries(counts)) if (known.startsWith(word)) sum += count;
  return sum;
}

/** Where a term stands in folded words one space apart (character offsets): a string search, word boundaries checked. */
function offsetsIn(folded: string, term: FoldedTerm, first = false): number[] {
  const needle = term.words.join(' ');
  const found: number[] = [];
  for (let at = folded.indexOf(needle); at >= 0; at = folded.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    if ((at === 0 || folded[at - 1] === ' ') && (term.prefix || end === folded.length || folded[end] === ' ')) {
      found.push(at);
      if (first) break;
    }
  }
  return found;
}

const countIn = (folded: string, term: FoldedTerm) => offsetsIn(folded, term).length;

/** How often each term occurs in the title and the text; null when one is missing (a phrase not in a row). */
function match(article: IndexedArticle, terms: FoldedTerm[], folded: string | undefined): Scored | null {
  const title = wordsOf(article.title)
    .map((w) => w.word)
    .join(' ');
  const counts: Scored['counts'] = [];
  for (const term of terms) {
    const inTitle = countIn(title, term);
    const inText = isPhrase(term) ? countIn(folded ?? '', term) : textCount(term, article.textCounts);
    if (inTitle + inText === 0) return null;
    counts.push({ title: inTitle, text: inText });
  }
  return { article, counts };
}

/**
 * The snippet of a hit shown: its text around the first match, or its title when only the title matched. The first
 * match is found in the folded text, so only the words up to the end of the snippet are read.
 */
function snippetFor(article: IndexedArticle, text: IndexedText | undefined, terms: FoldedTerm[]): SnippetPart[] {
  const marked = (words: TextWord[]) => {
    const marks = new Set<number>();
    for (const term of terms)
      for (const place of placesOf(term, words)) for (let k = 0; k < term.words.length; k += 1) marks.add(place + k);
    return marks;
  };
  const folded = text?.folded ?? '';
  const firstAt = Math.min(...terms.map((term) => offsetsIn(folded, term, true)[0] ?? Number.POSITIVE_INFINITY));
  if (text && Number.isFinite(firstAt)) {
    // The folded text has one word per word of the text, one space apart: spaces before the match are its place.
    const place = folded.slice(0, firstAt).split(' ').length - 1;
    const words = wordsOf(text.text, place + SNIPPET_WORDS + 1);
    return snippetOf(text.text, words, marked(words));
  }
  if (!article.title) return snippetOf(text?.text ?? '', wordsOf(text?.text ?? '', SNIPPET_WORDS + 1), new Set());
  const titleWords = wordsOf(article.title);
  return snippetOf(article.title, titleWords, marked(titleWords));
}

const newestFirst = (a: IndexedArticle, b: IndexedArticle) =>
  (Date.parse(b.publishedAt ?? '') || 0) - (Date.parse(a.publishedAt ?? '') || 0);

/**
 * One page of hits, the best first: `from` hits are skipped (the page's "More results"), and the `exclude`d ones
 * (what the page shows already) are left out after ranking, so the scores are the same with or without them.
 */
export async function searchDevice(
  query: ParsedSearch,
  page: { from?: number; limit?: number; exclude?: ReadonlySet<string> } = {},
): Promise<DeviceResults> {
  const from = page.from ?? 0;
  const limit = page.limit ?? HITS_PER_PAGE;
  const ms: Record<string, number> = {};
  let lap = performance.now();
  const step = (name: string) => {
    const now = performance.now();
    ms[name] = now - lap;
    lap = now;
  };
  await syncSearchIndex();
  step('index');
  const done = (hits: DeviceHit[], matched: number): DeviceResults => ({ hits, matched, searched, ms });
  const searched = await indexedCount();
  const terms = query.terms.map(fold).filter((term) => term.words.length > 0);
  if (terms.length === 0 || searched === 0) return done([], 0);

  // Candidates: the articles holding every word of every term; a phrase's order is checked on the candidates only.
  const perTerm = await Promise.all(
    terms.map(async (term) =>
      intersect(
        await Promise.all(term.words.map((word, k) => idsWithWord(word, term.prefix && k === term.words.length - 1))),
      ),
    ),
  );
  step('ids');
  let candidates = await indexedArticles(intersect(perTerm));
  const source = query.source;
  if (source?.kind === 'title') {
    const wanted = source.title.toLocaleLowerCase();
    candidates = candidates.filter((article) => article.source.toLocaleLowerCase() === wanted);
  }
  const phraseTexts = terms.some(isPhrase)
    ? await indexedFolded(candidates.map((a) => a.itemId))
    : new Map<string, string>();
  const matched = candidates
    .map((article) => match(article, terms, phraseTexts.get(article.itemId)))
    .filter((m): m is Scored => m !== null);
  step('records');
  if (matched.length === 0) return done([], 0);

  const averageLength = matched.reduce((sum, m) => sum + m.article.length, 0) / matched.length || 1;
  const idf = perTerm.map((ids) => Math.log((searched - ids.length + 0.5) / (ids.length + 0.5) + 1));
  const scored = matched.map((m) => {
    const norm = K1 * (1 - B + (B * m.article.length) / averageLength);
    const score = m.counts.reduce((sum, { title, text }, i) => {
      const tf = TITLE_WEIGHT * title + text;
      return sum + (idf[i] ?? 0) * ((tf * (K1 + 1)) / (tf + norm));
    }, 0);
    return { article: m.article, score };
  });
  scored.sort((a, b) => b.score - a.score || newestFirst(a.article, b.article));
  const exclude = page.exclude;
  const left = exclude ? scored.filter(({ article }) => !exclude.has(article.itemId)) : scored;
  const shown = left.slice(from, from + limit);
  step('rank');
  const texts = await indexedTexts(shown.map(({ article }) => article.itemId));
  const hits = shown.map(({ article, score }) => ({
    article,
    score,
    snippet: snippetFor(article, texts.get(article.itemId), terms),
  }));
  step('snippets');
  return done(hits, left.length);
}
