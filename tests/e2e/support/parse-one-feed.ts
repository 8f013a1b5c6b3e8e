// Child process of feed-memory.test.ts: parses one body (a hostile family, or a realistic feed of N items) the way
// a refresh consumer does (decodeFeedBytes → parseFeed) and prints one JSON line with the outcome. Run under
// `node --max-old-space-size=<MB>`, it dies with "JavaScript heap out of memory" when parsing needs more.
// Usage: node parse-one-feed.ts <family> <bytes> | node parse-one-feed.ts realistic <items>
import { decodeFeedBytes } from '../../../worker-edge/feeds/decode-feed-bytes.ts';
import { parseFeed } from '../../../worker-edge/feeds/parse-feed.ts';
import { HOSTILE_FAMILIES } from '../../fixture-origin/hostile-bodies.ts';
import { realisticFeed } from './realistic-feed.ts';

const [name = '', size = '0'] = process.argv.slice(2);
const family = HOSTILE_FAMILIES[name];
const text = name === 'realistic' ? realisticFeed(Number(size)) : family?.make(Number(size));
if (text === undefined) throw new Error(`no such family: ${name}`);
const contentType = family?.contentType ?? 'application/rss+xml';
const bytes = new TextEncoder().encode(text);
const started = performance.now();
const outcome = await parseFeed(decodeFeedBytes(bytes, contentType), 'https://feeds.example.net/feed').then(
  (feed) => ({ parsed: feed.items.length, titles: feed.items.slice(0, 3).map((item) => item.title) }),
  (error: unknown) => ({ refused: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
);
const ms = Math.round(performance.now() - started);
console.log(
  JSON.stringify({
    name,
    bytes: bytes.length,
    ms,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...outcome,
  }),
);
