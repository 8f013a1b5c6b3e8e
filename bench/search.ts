// Search on the real reader (wrangler dev, local D1) holding 20,000 items (100 feeds × 200, the most a feed keeps),
// 2,000 of them with an extracted article's text: p50 / p95 of GET /api/search for a common word, a rare word, a
// phrase and a prefix against GET /api/items in the same run (requests one at a time, taken in turns, so both meet
// the same machine), and what the index costs per item (FTS5's shadow tables, read with dbstat).
// Seeding is SQL through `wrangler d1 execute --local`: the same INSERTs a refresh makes, so the same triggers fill
// the index, in seconds; 100 fixture feeds refreshed through the queue would take minutes and measure the refresh.
// Run: npm run bench -- search   (or: npm exec -- node bench/search.ts)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { applyMigrations, repoRoot, startReader } from '../scripts/reader-process.ts';
import { freePort } from '../scripts/free-port.ts';
import { format, type BenchRow } from './bench-table.ts';

const FEEDS = 100;
const ITEMS_PER_FEED = 200;
const ITEMS = FEEDS * ITEMS_PER_FEED;
const ARTICLE_EVERY = 10;
const ROUNDS = 150;
const WARMUP_ROUNDS = 10;
const DAY = 86_400_000;

/** Deterministic, so every run searches the same corpus. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 6,000 made-up words drawn with Zipf's law (word n about 1/n as often as the first), a few named for the queries. */
function vocabulary(rand: () => number) {
  const syllables = [
    'ka',
    'lo',
    'mi',
    'ne',
    'ru',
    'sa',
    'ti',
    'vo',
    'ze',
    'po',
    'da',
    'fe',
    'gu',
    'ho',
    'ji',
    'be',
    'wa',
  ];
  const words = new Set<string>();
  while (words.size < 6_000) {
    const n = 2 + Math.floor(rand() * 3);
    words.add(Array.from({ length: n }, () => syllables[Math.floor(rand() * syllables.length)]).join(''));
  }
  const list = [...words];
  // Placed by rank: a common word, a rare one, and three that begin with "ferr".
  Object.assign(list, { 9: 'harbour', 2999: 'lighthouse', 29: 'ferry', 199: 'ferris', 799: 'ferrule' });
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= list.length; rank++) cumulative.push((total += 1 / rank));
  return () => {
    const x = rand() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return list[lo] as string;
  };
}

const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`;

export function seedSql(): string {
  const rand = random(13);
  const word = vocabulary(rand);
  const words = (n: number) => Array.from({ length: n }, word).join(' ');
  const now = Date.now();
  const lines = [
    `INSERT INTO meta (key, value) VALUES ('seeded_at', '${now}'), ('last_refresh_at', '${now + 365 * DAY}');`,
  ];
  for (let f = 1; f <= FEEDS; f++) {
    lines.push(`INSERT INTO feeds (id, url, title, status, next_fetch_at, created_at) VALUES
      (${f}, 'https://feeds.example/${f}.xml', 'Bench feed ${f}', 'ok', ${now + 365 * DAY}, ${now});`);
  }
  const articles: string[] = [];
  for (let f = 1; f <= FEEDS; f++) {
    const rows: string[] = [];
    for (let n = 0; n < ITEMS_PER_FEED; n++) {
      const index = (f - 1) * ITEMS_PER_FEED + n;
      const id = index.toString(16).padStart(16, '0');
      const at = now - index * 60_000;
      // A phrase that occurs in 3 % of summaries.
      const summary = `${words(18)}${rand() < 0.03 ? ' tide tables ' : ' '}${words(18)}`;
      rows.push(`(${sqlText(id)}, ${f}, ${sqlText(`https://site.example/${id}`)}, ${sqlText(`https://site.example/${id}`)},
        ${sqlText(words(8))}, ${at}, ${at}, ${sqlText(summary)}, ${sqlText(`<p>${summary}</p>`)}, 'h', ${at}, ${at})`);
      if (index % ARTICLE_EVERY === 0) {
        articles.push(
          `UPDATE item_search SET body = ${sqlText(words(600))} WHERE rowid = (SELECT rowid FROM items WHERE id = ${sqlText(id)});`,
        );
      }
    }
    for (let at = 0; at < rows.length; at += 50) {
      lines.push(`INSERT INTO items (id, feed_id, guid, url, title, published_at, sort_at, summary, content_html, content_hash,
        first_seen_at, updated_at) VALUES ${rows.slice(at, at + 50).join(',\n')};`);
    }
  }
  return [...lines, ...articles].join('\n');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

interface Latency {
  p50Ms: number;
  p95Ms: number;
  matches: number;
}

const QUERIES: Record<string, string> = {
  'common word': 'harbour',
  'rare word': 'lighthouse',
  phrase: '"tide tables"',
  prefix: 'ferr*',
};

export interface SearchFigures {
  items: number;
  articles: number;
  latency: Record<string, Latency>;
  mix: Latency;
  itemsApi: Latency;
  indexBytesPerItem: number;
  contentBytesPerItem: number;
  itemsTableBytesPerItem: number;
}

function sqliteFile(dir: string): string {
  const found = readdirSync(dir, { recursive: true, encoding: 'utf8' }).find(
    (f) => f.endsWith('.sqlite') && !f.includes('metadata'),
  );
  if (!found) throw new Error(`no D1 database under ${dir}`);
  return join(dir, found);
}

export async function benchSearch(): Promise<SearchFigures> {
  const state = mkdtempSync(join(tmpdir(), 'bench-search-'));
  try {
    applyMigrations(state, false);
    const seed = join(state, 'seed.sql');
    writeFileSync(seed, seedSql());
    const wrangler = resolve(repoRoot, 'node_modules/.bin/wrangler');
    execFileSync(wrangler, ['d1', 'execute', 'DB', '--local', '--persist-to', state, '--file', seed, '--yes'], {
      cwd: repoRoot,
      stdio: 'pipe',
      env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    });

    const reader = await startReader({ port: await freePort(), persistTo: state, vars: { PLAN: 'paid' } });
    const times: Record<string, number[]> = {
      items: [],
      ...Object.fromEntries(Object.keys(QUERIES).map((k) => [k, []])),
    };
    try {
      const timed = async (path: string) => {
        const started = performance.now();
        const res = await fetch(`${reader.url}${path}`);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        return performance.now() - started;
      };
      for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
        const took = [await timed('/api/items?limit=20')];
        for (const query of Object.values(QUERIES))
          took.push(await timed(`/api/search?limit=20&q=${encodeURIComponent(query)}`));
        if (round < WARMUP_ROUNDS) continue;
        (times.items as number[]).push(took[0] as number);
        for (const [i, name] of Object.keys(QUERIES).entries()) (times[name] as number[]).push(took[i + 1] as number);
      }
    } finally {
      await reader.stop();
    }

    const db = new DatabaseSync(sqliteFile(state), { readOnly: true });
    const count = (match: string) =>
      (db.prepare('SELECT COUNT(*) AS n FROM item_search WHERE item_search MATCH ?').get(match) as { n: number }).n;
    const bytes = (where: string) =>
      (db.prepare(`SELECT COALESCE(SUM(pgsize), 0) AS b FROM dbstat WHERE ${where}`).get() as { b: number }).b;
    const latencyOf = (samples: number[], matches: number): Latency => {
      const sorted = [...samples].sort((a, b) => a - b);
      return { p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), matches };
    };
    const latency = Object.fromEntries(
      Object.entries(QUERIES).map(([name, query]) => {
        const match = query.endsWith('*') ? `"${query.slice(0, -1)}"*` : query.startsWith('"') ? query : `"${query}"`;
        return [name, latencyOf(times[name] as number[], count(match))];
      }),
    );
    const figures: SearchFigures = {
      items: ITEMS,
      articles: ITEMS / ARTICLE_EVERY,
      latency,
      mix: latencyOf(
        Object.keys(QUERIES).flatMap((name) => times[name] as number[]),
        0,
      ),
      itemsApi: latencyOf(times.items as number[], ITEMS),
      indexBytesPerItem:
        bytes("name IN ('item_search_data', 'item_search_idx', 'item_search_docsize', 'item_search_config')") / ITEMS,
      contentBytesPerItem: bytes("name = 'item_search_content'") / ITEMS,
      itemsTableBytesPerItem:
        bytes("name = 'items' OR name LIKE 'items_%' OR name LIKE 'sqlite_autoindex_items%'") / ITEMS,
    };
    db.close();
    return figures;
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}

export function searchRows(f: SearchFigures): BenchRow[] {
  const base = f.itemsApi;
  const row = (name: string, l: Latency): BenchRow => ({
    bench: 'search',
    figure: `GET /api/search, ${name}${l.matches ? ` (${format.count(l.matches)} matches)` : ''}: p50 / p95`,
    value: `${format.ms(l.p50Ms)} / ${format.ms(l.p95Ms)}`,
    baseline: `${format.ms(base.p50Ms)} / ${format.ms(base.p95Ms)} GET /api/items`,
    ratio: `${format.times(l.p95Ms / base.p95Ms)} at p95`,
  });
  return [
    row('the mix of four', f.mix),
    ...Object.entries(f.latency).map(([name, l]) => row(name, l)),
    {
      bench: 'search',
      figure: `index per item (${format.count(f.items)} items, ${format.count(f.articles)} with article text): FTS5 index / its copy of the text`,
      value: `${format.bytes(f.indexBytesPerItem)} / ${format.bytes(f.contentBytesPerItem)}`,
      baseline: `${format.bytes(f.itemsTableBytesPerItem)} the items table and its indexes`,
    },
  ];
}

if (import.meta.main) {
  console.log(JSON.stringify(await benchSearch(), null, 2));
}
