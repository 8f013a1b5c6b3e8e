// `npm run bench`: every benchmark in one run, printed as one table (figures with their same-run baselines).
// Each benchmark module exports a function that returns its figures; nested results are flattened into rows.
import { cpus, totalmem } from 'node:os';
import { benchArticles } from '../bench/articles.ts';
import { benchLoad } from '../bench/load.ts';
import { benchParseFeeds } from '../bench/parse-feeds.ts';
import { benchRefresh } from '../bench/refresh-feeds.ts';
import { benchSiteWeight } from '../bench/site-weight.ts';
import { benchSync } from '../bench/sync.ts';

type Figures = { [key: string]: number | string | Figures };

const benches: Array<[string, () => Promise<unknown>]> = [
  ['parse', benchParseFeeds],
  ['refresh', benchRefresh],
  ['articles', benchArticles],
  ['load', benchLoad],
  ['sync', benchSync],
  ['site', benchSiteWeight],
];

function flatten(prefix: string, value: unknown, rows: Array<{ figure: string; value: number | string }>): void {
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value as Figures)) flatten(`${prefix} ${key}`, inner, rows);
  } else if (typeof value === 'number' || typeof value === 'string') {
    rows.push({ figure: prefix.trim(), value });
  }
}

const only = process.argv.slice(2);
const rows: Array<{ figure: string; value: number | string }> = [];
for (const [name, run] of benches) {
  if (only.length && !only.includes(name)) continue;
  console.error(`running ${name}...`);
  flatten(name, await run(), rows);
}
const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`\nmachine: ${cpus().length} x ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.table(rows);
