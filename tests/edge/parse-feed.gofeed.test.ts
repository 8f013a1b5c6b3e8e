// gofeed's test corpus (mmcdole/gofeed, MIT): every input next to the output gofeed expects. We parse each input
// and compare the fields that map to our model. translator/ and extensions/ hold gofeed's normalised shape (close
// to ours); parser/ holds format-specific shapes (RSS items, Atom entries) that keep the feed's raw strings.
//
// Where our rules deliberately differ from gofeed's, the difference is a rule in the comparison below, the same for
// every file, never an exception for one:
//   R1 text: titles are compared as text (entities decoded, tags stripped, whitespace collapsed, on both sides): we
//      return plain text, gofeed keeps the markup, escaped once or twice depending on how the feed wrote it.
//   R2 missing title: an item without one gets a snippet of its own text, so where gofeed has no title ours is
//      empty or the start of our summary. A feed without a title has an empty one.
//   R3 links: several candidate links (RSS <link> twice, Atom alternates) – gofeed takes the last, we take the
//      first usable one; ours must be one of gofeed's. Without any, RSS 2.0 permalink guids and rdf:about stand in
//      for the link, so ours is then null or the guid. URLs compare in WHATWG-normalised form, relative ones
//      resolved against the feed URL, because we only hand out absolute URLs.
//   R4 ids are opaque: we trim them but never resolve them against xml:base as gofeed's parser does. RSS 1.0
//      items carry no guid element; rdf:about names them, so it is their id (gofeed has none).
//   R5 dates: gofeed's published date, else its updated date; ours is the same instant, or null when that lies
//      more than two days ahead (a feed bug, not a post).
//   R6 authors: names only. Where gofeed has nothing but an e-mail address, we have no author. Several authors
//      (dc:creator twice) are all named, gofeed names the first. The parser/ shapes keep RSS's raw
//      "email (Name)" strings, so authors are compared on the normalised shapes only.
//   R7 images: gofeed's item image must be ours; where gofeed has none, so do we.
//   R8 strictness: gofeed reads documents with mismatched tags leniently and treats <rss> without <channel> as an
//      empty feed; we refuse both with a FeedParseError ("Malformed XML at line n", "has no <channel>").
import { decodeHTML } from 'entities';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from '../../worker-edge/feeds/decode-feed-bytes.ts';
import type { NormalisedFeed, NormalisedItem } from '../../worker-edge/model/feed.ts';
import { FeedParseError, parseFeed } from '../../worker-edge/feeds/parse-feed.ts';
import { fixtureBody, fixtureList } from './feed-fixtures.ts';

const ROOT = 'shared/gofeed/testdata';
const FEED_URL = 'https://feeds.example.net/path/feed';
const FUTURE_TOLERANCE_MS = 2 * 24 * 60 * 60 * 1000;

type Json = Record<string, unknown>;

interface ExpectedItem {
  title: string | null;
  /** gofeed's choice of link, and every link it saw. */
  link: string | null;
  links: string[];
  guid: string | null;
  published: string | null;
  author: string | null | undefined;
  image: string | null | undefined;
}

interface ExpectedFeed {
  title: string | null;
  link: string | null;
  links: string[];
  items: ExpectedItem[];
}

interface Case {
  input: string;
  expected: string;
}

/** Inputs paired with their expected output: X.xml + X.json, or X.json + X_expected.json. */
function pairCases(files: string[], dir: string): Case[] {
  const present = new Set(files);
  return files.flatMap((file) => {
    if (file.endsWith('_expected.json')) return [];
    const stem = file.replace(/\.(xml|json)$/, '');
    const expected = file.endsWith('.xml') ? `${stem}.json` : `${stem}_expected.json`;
    return present.has(expected) ? [{ input: `${dir}/${file}`, expected: `${dir}/${expected}` }] : [];
  });
}

const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** R1: independent of the code under test: decode entities, strip tags, twice (markup may be escaped twice). */
function looseText(value: string | null): string {
  let text = value ?? '';
  for (let round = 0; round < 2; round++) text = decodeHTML(text.replace(/<[^>]*>/g, ' '));
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
}

function normalisedUrl(value: string): string {
  try {
    return new URL(value.trim(), FEED_URL).href;
  } catch {
    return value.trim();
  }
}

/** gofeed's normalised shape (translator/, extensions/, translator/json). */
function fromTranslatorShape(expected: Json): ExpectedFeed {
  return {
    title: str(expected.title),
    link: str(expected.link),
    links: [str(expected.link), ...arr(expected.links).map(str)].filter((link): link is string => link !== null),
    items: arr(expected.items).map((raw) => {
      const item = obj(raw);
      const authors = arr(item.authors).length ? arr(item.authors) : item.author ? [item.author] : [];
      const names = authors.map((author) => str(obj(author).name)).filter((name): name is string => name !== null);
      return {
        title: str(item.title),
        link: str(item.link),
        links: [str(item.link), ...arr(item.links).map(str)].filter((link): link is string => link !== null),
        guid: str(item.guid),
        published: str(item.publishedParsed) ?? str(item.updatedParsed),
        author: names.length ? names.join(', ') : null,
        image: str(obj(item.image).url),
      };
    }),
  };
}

/** gofeed's RSS parser shape: raw strings, guid as { value }. */
function fromRssShape(expected: Json): ExpectedFeed {
  return {
    title: str(expected.title),
    link: str(expected.link),
    links: [str(expected.link), ...arr(expected.links).map(str)].filter((link): link is string => link !== null),
    items: arr(expected.items).map((raw) => {
      const item = obj(raw);
      return {
        title: str(item.title) ?? str(obj(item.dublinCoreExt).title),
        link: str(item.link),
        links: [str(item.link), ...arr(item.links).map(str)].filter((link): link is string => link !== null),
        guid: str(item.guid) ?? str(obj(item.guid).value),
        published: str(item.pubDateParsed),
        author: undefined,
        image: undefined,
      };
    }),
  };
}

/** gofeed's Atom parser shape: entries, links as { href, rel }. */
function fromAtomShape(expected: Json): ExpectedFeed {
  const hrefs = (links: unknown) =>
    arr(links)
      .map((link) => str(obj(link).href))
      .filter((href): href is string => href !== null);
  const alternate = (links: unknown) =>
    hrefs(arr(links).filter((link) => [null, 'alternate'].includes(str(obj(link).rel))))[0] ?? null;
  return {
    title: str(expected.title),
    link: alternate(expected.links),
    links: hrefs(expected.links),
    items: arr(expected.entries).map((raw) => {
      const entry = obj(raw);
      return {
        title: str(entry.title),
        link: alternate(entry.links),
        links: hrefs(entry.links),
        guid: str(entry.id),
        published: str(entry.publishedParsed) ?? str(entry.updatedParsed),
        author: undefined,
        image: undefined,
      };
    }),
  };
}

function expectedShape(expected: Json): ExpectedFeed {
  if ('feedType' in expected) return fromTranslatorShape(expected);
  if ('entries' in expected) return fromAtomShape(expected);
  return fromRssShape(expected);
}

/** Every difference between ours and gofeed's, under rules R1–R7; empty when they agree. */
function differences(ours: NormalisedFeed, expected: ExpectedFeed): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string, theirs: unknown, mine: unknown) => {
    if (!ok) problems.push(`${what}: gofeed ${JSON.stringify(theirs)}, ours ${JSON.stringify(mine)}`);
  };
  check(looseText(expected.title) === looseText(ours.title), 'feed title', expected.title, ours.title);
  const siteLinks = expected.links.map(normalisedUrl);
  check(
    expected.link === null ? ours.siteUrl === null : ours.siteUrl !== null && siteLinks.includes(ours.siteUrl),
    'site url',
    expected.links,
    ours.siteUrl,
  );
  check(ours.items.length === expected.items.length, 'item count', expected.items.length, ours.items.length);
  expected.items.forEach((theirs, index) => {
    const mine = ours.items[index];
    if (mine) problems.push(...itemDifferences(mine, theirs, ours.format).map((problem) => `item ${index} ${problem}`));
  });
  return problems;
}

function itemDifferences(mine: NormalisedItem, theirs: ExpectedItem, format: NormalisedFeed['format']): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string, expected: unknown, actual: unknown) => {
    if (!ok) problems.push(`${what}: gofeed ${JSON.stringify(expected)}, ours ${JSON.stringify(actual)}`);
  };
  // R1, R2
  if (theirs.title !== null)
    check(looseText(theirs.title) === looseText(mine.title), 'title', theirs.title, mine.title);
  else
    check(
      mine.title === '' || mine.summary.startsWith(mine.title.replace(/…$/, '')),
      'title fallback',
      null,
      mine.title,
    );
  // R3
  const links = theirs.links.map(normalisedUrl);
  if (theirs.link !== null) check(mine.url !== null && links.includes(mine.url), 'link', theirs.links, mine.url);
  else
    check(
      mine.url === null || (mine.guid !== null && mine.url === normalisedUrl(mine.guid)),
      'link',
      theirs.links,
      mine.url,
    );
  // R4
  const guidMatches =
    theirs.guid === null
      ? mine.guid === null || (format === 'rdf' && /^https?:\/\//.test(mine.guid))
      : mine.guid === theirs.guid.trim() || (mine.guid !== null && theirs.guid.endsWith(mine.guid));
  check(guidMatches, 'guid', theirs.guid, mine.guid);
  // R5
  const published = theirs.published === null ? null : Date.parse(theirs.published);
  const expectedPublished = published !== null && published > Date.now() + FUTURE_TOLERANCE_MS ? null : published;
  check(
    mine.publishedAt === expectedPublished,
    'published',
    theirs.published,
    mine.publishedAt === null ? null : new Date(mine.publishedAt).toISOString(),
  );
  // R6, R7
  if (theirs.author !== undefined) {
    const named =
      theirs.author === null
        ? mine.author === null
        : mine.author === theirs.author || Boolean(mine.author?.startsWith(`${theirs.author}, `));
    check(named, 'author', theirs.author, mine.author);
  }
  if (theirs.image !== undefined)
    check(mine.imageUrl === (theirs.image && normalisedUrl(theirs.image)), 'image', theirs.image, mine.imageUrl);
  return problems;
}

interface Outcome {
  compared: number;
  refused: string[];
  mismatches: string[];
}

async function runCases(cases: Case[]): Promise<Outcome> {
  const outcome: Outcome = { compared: 0, refused: [], mismatches: [] };
  for (const { input, expected } of cases) {
    const { bytes, contentType } = await fixtureBody(input);
    const expectation = expectedShape(JSON.parse(decodeFeedBytes((await fixtureBody(expected)).bytes, null)) as Json);
    let feed: NormalisedFeed;
    try {
      feed = await parseFeed(decodeFeedBytes(bytes, contentType), FEED_URL);
    } catch (error) {
      // R8; anything but a FeedParseError is a crash and fails the test right here.
      expect(error, input).toBeInstanceOf(FeedParseError);
      outcome.refused.push(`${input}: ${(error as Error).message}`);
      continue;
    }
    outcome.compared++;
    outcome.mismatches.push(...differences(feed, expectation).map((problem) => `${input}: ${problem}`));
  }
  return outcome;
}

/** R8 allows refusals of exactly two kinds, and never many. */
function expectOnlyStrictnessRefusals(outcome: Outcome, limit: number): void {
  for (const refusal of outcome.refused)
    expect(refusal).toMatch(/: (?:Malformed XML at line \d+|Not a feed: <(?:rss|rdf:RDF)> has no <channel>)/);
  expect(outcome.refused.length, outcome.refused.join('\n')).toBeLessThanOrEqual(limit);
}

describe('gofeed fixtures', () => {
  for (const dir of ['translator/rss', 'translator/atom', 'translator/json', 'extensions']) {
    it(`${dir}: our normalised fields agree with gofeed's normalised output`, async () => {
      const cases = pairCases(await fixtureList(`${ROOT}/${dir}`), `${ROOT}/${dir}`);
      const outcome = await runCases(cases);
      console.info(
        `gofeed ${dir}: ${cases.length} cases, ${outcome.compared} compared, ${outcome.refused.length} refused`,
      );
      expect(cases.length).toBeGreaterThan(0);
      expectOnlyStrictnessRefusals(outcome, 0);
      expect(outcome.mismatches).toEqual([]);
    });
  }

  for (const [dir, refusalLimit] of [
    ['parser/rss', 12],
    ['parser/atom', 6],
  ] as const) {
    it(`${dir}: titles, links, ids and dates agree with gofeed's parser output`, async () => {
      const cases = pairCases(await fixtureList(`${ROOT}/${dir}`), `${ROOT}/${dir}`);
      const outcome = await runCases(cases);
      console.info(
        `gofeed ${dir}: ${cases.length} cases, ${outcome.compared} compared, ${outcome.refused.length} refused`,
      );
      expect(cases.length).toBeGreaterThan(100);
      expectOnlyStrictnessRefusals(outcome, refusalLimit);
      expect(outcome.mismatches).toEqual([]);
    });
  }

  it('parser/universal: feeds parse, the rest fail with a readable FeedParseError', async () => {
    const files = await fixtureList(`${ROOT}/parser/universal`);
    const parsed: string[] = [];
    for (const file of files) {
      const { bytes, contentType } = await fixtureBody(`${ROOT}/parser/universal/${file}`);
      try {
        const feed = await parseFeed(decodeFeedBytes(bytes, contentType), FEED_URL);
        parsed.push(file);
        expect(feed.title, file).toBe(file.endsWith('.json') ? 'title' : 'Feed Title');
      } catch (error) {
        expect(error, file).toBeInstanceOf(FeedParseError);
        expect((error as Error).message, file).toMatch(/^(?:Empty response|Malformed JSON: .+|Not a feed: .+)$/);
      }
    }
    // gofeed names its non-feeds (an empty file, truncated JSON, a <note> document) empty_, invalid, unknown_.
    expect(parsed.sort()).toEqual(files.filter((file) => !/^(?:empty_|invalid|unknown_)/.test(file)).sort());
  });
});
