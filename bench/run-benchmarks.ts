// `npm run bench`: every benchmark in one run, printed as one Markdown table (each figure beside the baseline
// measured in the same run, and their ratio), headed by the machine it ran on. `npm run bench -- load sync` runs a
// subset. The raw figures of every benchmark go to bench/results.json (not committed) for anyone comparing runs.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { articlesRows, benchArticles } from './articles.ts';
import { markdownTable, type BenchRow } from './bench-table.ts';
import { benchLoad, loadRows } from './load.ts';
import { benchParseFeeds, parseFeedsRows } from './parse-feeds.ts';
import { benchRefresh, refreshRows } from './refresh-feeds.ts';
import { benchScale, scaleRows } from './scale.ts';
import { benchSearch, searchRows } from './search.ts';
import { benchSiteWeight, siteWeightRows } from './site-weight.ts';
import { benchSync, syncRows } from './sync.ts';

interface Bench<T> {
  run: () => Promise<T>;
  rows: (figures: T) => BenchRow[];
}
const bench = <T>(run: () => Promise<T>, rows: (figures: T) => BenchRow[]): Bench<unknown> =>
  ({ run, rows }) as Bench<unknown>;

const benches: Record<string, Bench<unknown>> = {
  parse: bench(benchParseFeeds, parseFeedsRows),
  refresh: bench(benchRefresh, refreshRows),
  scale: bench(() => benchScale(), scaleRows),
  articles: bench(benchArticles, articlesRows),
  load: bench(benchLoad, loadRows),
  sync: bench(benchSync, syncRows),
  site: bench(benchSiteWeight, siteWeightRows),
  search: bench(benchSearch, searchRows),
};

const only = process.argv.slice(2);
const unknown = only.filter((name) => !(name in benches));
if (unknown.length)
  throw new Error(`no benchmark named ${unknown.join(', ')}; there are: ${Object.keys(benches).join(', ')}`);

const rows: BenchRow[] = [];
const raw: Record<string, unknown> = {};
for (const [name, { run, rows: toRows }] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue;
  console.error(`running ${name}...`);
  const started = performance.now();
  raw[name] = await run();
  rows.push(...toRows(raw[name]));
  console.error(`  ${name} took ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(raw, null, 2)}\n`);

const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
console.log(
  `\nMachine: ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`,
);
console.log(markdownTable(rows));
