// Feed parsing throughput over the shared fixture corpus (gofeed's RSS / Atom / JSON inputs, the JSON Feed
// examples), read from disk as bytes. Two passes over the same corpus, each for a fixed time:
//   full  decodeFeedBytes → parseFeed (repair, the sax tree or JSON, normalise, sanitise): what a refresh does;
//   bare  TextDecoder + rss-parser's parseString (JSON.parse for JSON Feeds): the parsing alone.
// ratio = full time per feed / bare time per feed: what our repair, normalisation and sanitising cost on top.
// Run: npm exec -- node bench/parse-feeds.ts
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Parser from 'rss-parser';
import { decodeFeedBytes } from '../worker-edge/feeds/decode-feed-bytes.ts';
import { FeedParseError, parseFeed } from '../worker-edge/feeds/parse-feed.ts';
import { format, type BenchRow } from './bench-table.ts';

const FIXTURES = fileURLToPath(new URL('../../shared/fixtures/', import.meta.url));
const CORPUS_DIRS = [
  'gofeed/testdata/translator',
  'gofeed/testdata/parser',
  'gofeed/testdata/extensions',
  'jsonfeed/examples',
];
const WARM_UP_MS = 1_000;
const MEASURE_MS = 8_000;

interface CorpusFile {
  path: string;
  bytes: Uint8Array;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Feed inputs only: gofeed's expected outputs (X.json next to X.xml, X_expected.json) are not feeds. */
function loadCorpus(): CorpusFile[] {
  const paths = CORPUS_DIRS.flatMap((dir) => filesUnder(join(FIXTURES, dir)));
  const present = new Set(paths);
  return paths
    .filter(
      (path) =>
        path.endsWith('.xml') ||
        (path.endsWith('.json') && !path.endsWith('_expected.json') && !present.has(path.replace(/\.json$/, '.xml'))),
    )
    .map((path) => ({ path: relative(FIXTURES, path), bytes: new Uint8Array(readFileSync(path)) }));
}

async function fullPipeline(file: CorpusFile): Promise<void> {
  try {
    await parseFeed(decodeFeedBytes(file.bytes, null), 'https://feeds.example.net/feed');
  } catch (error) {
    if (!(error instanceof FeedParseError)) throw error;
  }
}

async function bareParse(file: CorpusFile): Promise<void> {
  const text = new TextDecoder().decode(file.bytes);
  if (/^\s*[{[]/.test(text)) {
    try {
      JSON.parse(text);
    } catch {
      // Malformed JSON costs the same to reject either way.
    }
    return;
  }
  await new Parser().parseString(text).catch(() => undefined);
}

interface Pass {
  feeds: number;
  bytes: number;
  ms: number;
}

/** Runs `work` over the corpus, round after round, until `durationMs` has passed; always whole rounds. */
async function timedPass(
  corpus: CorpusFile[],
  work: (file: CorpusFile) => Promise<void>,
  durationMs: number,
): Promise<Pass> {
  const pass: Pass = { feeds: 0, bytes: 0, ms: 0 };
  const started = performance.now();
  while (performance.now() - started < durationMs) {
    for (const file of corpus) await work(file);
    pass.feeds += corpus.length;
    pass.bytes += corpus.reduce((sum, file) => sum + file.bytes.length, 0);
  }
  pass.ms = performance.now() - started;
  return pass;
}

export async function benchParseFeeds(): Promise<Record<string, number>> {
  const corpus = loadCorpus();
  if (corpus.length === 0) throw new Error(`no feeds found under ${FIXTURES}`);
  await timedPass(corpus, fullPipeline, WARM_UP_MS);
  await timedPass(corpus, bareParse, WARM_UP_MS);
  const full = await timedPass(corpus, fullPipeline, MEASURE_MS);
  const bare = await timedPass(corpus, bareParse, MEASURE_MS);
  const perSecond = (count: number, pass: Pass) => count / (pass.ms / 1000);
  return {
    corpusFeeds: corpus.length,
    corpusKiB: Number((corpus.reduce((sum, file) => sum + file.bytes.length, 0) / 1024).toFixed(1)),
    fullFeedsPerSecond: Math.round(perSecond(full.feeds, full)),
    fullMiBPerSecond: Number((perSecond(full.bytes, full) / 2 ** 20).toFixed(2)),
    bareFeedsPerSecond: Math.round(perSecond(bare.feeds, bare)),
    bareMiBPerSecond: Number((perSecond(bare.bytes, bare) / 2 ** 20).toFixed(2)),
    ratioFullToBare: Number((full.ms / full.feeds / (bare.ms / bare.feeds)).toFixed(2)),
  };
}

export function parseFeedsRows(f: Awaited<ReturnType<typeof benchParseFeeds>>): BenchRow[] {
  return [
    {
      bench: 'parse',
      figure: `feeds/s through decode → parse → normalise → sanitise (${f.corpusFeeds} fixture feeds, ${f.corpusKiB} KiB)`,
      value: `${format.count(f.fullFeedsPerSecond!)} (${f.fullMiBPerSecond} MiB/s)`,
      baseline: `${format.count(f.bareFeedsPerSecond!)} bare TextDecoder + rss-parser`,
      ratio: `${format.times(f.ratioFullToBare!)} the time per feed`,
    },
  ];
}

if (import.meta.main) {
  const figures = await benchParseFeeds();
  console.log('feed parsing over the shared fixture corpus: full pipeline vs bare TextDecoder + rss-parser');
  console.table(figures);
}
