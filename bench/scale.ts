// The feed engine at scale, through the real reader (wrangler dev, local D1, local Queues): N feeds imported by
// OPML from 100 fixture origins (100 hosts) that answer every feed in 50 ms (the import itself starts their refresh
// with a fan-out message), then ONE cron trigger. Prints the time from the import until every feed was refreshed
// against the ideal for one invocation (feeds × 50 ms ÷ 6 connections), the most
// D1 statements and subrequests any single invocation used (from the Worker's "invocation" log lines), and, on a
// second run where nothing changed, D1 statements and rows written per feed; D1 bytes per feed.
// Run: npm run bench -- scale   (or: npm exec -- node bench/scale.ts 2000)
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeedsResponse } from '../contract/http.ts';
import { startReader } from '../scripts/reader-process.ts';
import { startFixtureOrigin, type FixtureOrigin } from '../tests/fixture-origin/server.ts';
import { freePort } from '../scripts/free-port.ts';
import { format, type BenchRow } from './bench-table.ts';

const HOSTS = 100;
const LATENCY_MS = 50;
const CONNECTIONS = 6;
const ADMIN = 'bench-admin-token';
const SIZES = [2_000, 10_000];

interface Invocation {
  handler: string;
  kinds?: string;
  statements: number;
  rowsWritten: number;
  subrequests: number;
  fetches: number;
}

interface RefreshLog {
  feeds: number;
}

async function emptyOpmlServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/x-opml' });
    res.end('<?xml version="1.0"?><opml version="2.0"><head><title>none</title></head><body></body></opml>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/empty.opml`, server };
}

function directorySize(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    total += entry.isDirectory() ? directorySize(full) : entry.name.includes('sqlite') ? statSync(full).size : 0;
  }
  return total;
}

/**
 * CPU seconds the reader's workerd processes have used (utime + stime from /proc). Local D1 runs inside workerd
 * too, so this overstates the Worker's own CPU: a ceiling for the capacity model, not the bill.
 */
function workerdCpuSeconds(wranglerPid: number): number {
  const pids = execFileSync('pgrep', ['-g', String(wranglerPid), 'workerd'], { encoding: 'utf8' })
    .trim()
    .split('\n');
  const ticks = pids.map((pid) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  });
  return ticks.reduce((a, b) => a + b, 0) / 100;
}

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function benchScaleOnce(feeds: number, origins: FixtureOrigin[]) {
  const seed = await emptyOpmlServer();
  const state = mkdtempSync(join(tmpdir(), 'reader-scale-'));
  const invocations: Invocation[] = [];
  const refreshLogs: RefreshLog[] = [];
  let pending = '';
  const reader = await startReader({
    port: await freePort(),
    persistTo: state,
    vars: { ALLOW_PRIVATE_NETWORK: '1', ADMIN_TOKEN: ADMIN, SEED_OPML_URL: seed.url, PLAN: 'paid' },
    onOutput: (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const json = line.slice(line.indexOf('{'));
        if (json.includes('"event":"invocation"')) invocations.push(JSON.parse(json) as Invocation);
        else if (json.includes('"event":"queue_refresh"')) refreshLogs.push(JSON.parse(json) as RefreshLog);
      }
    },
  });
  const auth = { Authorization: `Bearer ${ADMIN}` };
  try {
    const outlines = Array.from({ length: feeds }, (_, i) => {
      const origin = origins[i % HOSTS]!;
      return `<outline type="rss" text="Feed ${i}" xmlUrl="${origin.url}/local/refresh/thirty-items.rss?feed=${i}"/>`;
    });
    // Timed from the import: an import that adds feeds starts their refresh itself (a fan-out message), and the
    // cron fired after it finds them already taken.
    const refreshedFeeds = () => refreshLogs.reduce((sum, r) => sum + r.feeds, 0);
    const cpuAtStart = workerdCpuSeconds(reader.process.pid!);
    const started = performance.now();
    // OPML files are capped at 1 MB: 5,000 outlines a file, as an operator would split a larger list.
    for (let i = 0; i < outlines.length; i += 5000) {
      const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>scale</title></head><body>${outlines.slice(i, i + 5000).join('\n')}</body></opml>`;
      const imported = await fetch(`${reader.url}/api/opml`, { method: 'POST', headers: auth, body: opml });
      if (!imported.ok) throw new Error(`OPML import failed: ${imported.status} ${await imported.text()}`);
    }

    const cron = await fetch(`${reader.url}/__scheduled?cron=${encodeURIComponent('*/15 * * * *')}`);
    if (!cron.ok) throw new Error(`cron trigger failed: ${cron.status}`);
    await waitUntil(
      async () => {
        if (refreshedFeeds() < feeds) return false;
        // The cron's extraction message too, so that its writes are not counted in the second run.
        if (!invocations.some((i) => i.kinds?.includes('prefetch'))) return false;
        const health = (await (await fetch(`${reader.url}/healthz`)).json()) as { feeds: { pending: number } };
        return health.feeds.pending === 0;
      },
      900_000,
      `${feeds} feeds to refresh`,
    );
    const firstMs = performance.now() - started;
    const cpuAfterFirst = workerdCpuSeconds(reader.process.pid!);
    const first = invocations.splice(0);
    const bytes = directorySize(state);

    // The second run: every feed again (forced), nothing changed at the origins.
    refreshLogs.splice(0);
    const secondStarted = performance.now();
    const forced = await fetch(`${reader.url}/api/refresh?force=1`, { method: 'POST', headers: auth });
    if (forced.status !== 202) throw new Error(`forced refresh: ${forced.status}`);
    await waitUntil(() => refreshedFeeds() >= feeds, 900_000, 'the second run');
    // Each consumer logs its invocation line after its refresh line: wait for all of them.
    // (an invocation may also carry a fan-out message: its kinds are then "fan-out,refresh").
    await waitUntil(
      () => invocations.filter((i) => i.kinds?.includes('refresh')).length >= refreshLogs.length,
      60_000,
      'the invocation log lines',
    );
    const secondMs = performance.now() - secondStarted;
    const cpuAfterSecond = workerdCpuSeconds(reader.process.pid!);
    // The refresh consumers only (the cron's article extraction may land in the same minutes).
    const second = invocations.splice(0).filter((i) => i.handler === 'queue' && i.kinds?.includes('refresh'));
    const { feeds: views } = (await (await fetch(`${reader.url}/api/feeds`)).json()) as FeedsResponse;
    const ok = views.filter((f) => f.status === 'ok').length;
    if (ok !== feeds)
      throw new Error(`${feeds - ok} feeds are not ok: ${JSON.stringify(views.find((f) => f.status !== 'ok'))}`);

    const sum = (list: Invocation[], key: keyof Invocation) => list.reduce((s, i) => s + (i[key] as number), 0);
    const max = (list: Invocation[], key: keyof Invocation) => Math.max(...list.map((i) => i[key] as number));
    const all = [...first, ...second];
    return {
      feeds,
      hosts: HOSTS,
      latencyMs: LATENCY_MS,
      idealOneInvocationMs: Math.round((feeds * LATENCY_MS) / CONNECTIONS),
      firstRunMs: Math.round(firstMs),
      invocations: first.length,
      maxStatementsPerInvocation: max(all, 'statements'),
      maxSubrequestsPerInvocation: max(all, 'subrequests'),
      secondRunMs: Math.round(secondMs),
      unchangedStatementsPerFeed: Number((sum(second, 'statements') / feeds).toFixed(3)),
      unchangedRowsWrittenPerFeed: Number((sum(second, 'rowsWritten') / feeds).toFixed(3)),
      d1BytesPerFeed: Math.round(bytes / feeds),
      cpuMsPerNewFeed: Number((((cpuAfterFirst - cpuAtStart) * 1000) / feeds).toFixed(2)),
      cpuMsPerUnchangedFeed: Number((((cpuAfterSecond - cpuAfterFirst) * 1000) / feeds).toFixed(2)),
    };
  } finally {
    await reader.stop();
    seed.server.close();
    rmSync(state, { recursive: true, force: true });
  }
}

export async function benchScale(sizes = SIZES) {
  // A hundred origins on a hundred ports are a hundred hosts to the politeness rules, as real publishers would be.
  const origins = await Promise.all(Array.from({ length: HOSTS }, () => startFixtureOrigin({ latencyMs: LATENCY_MS })));
  try {
    const runs = [];
    for (const size of sizes) runs.push(await benchScaleOnce(size, origins));
    return runs;
  } finally {
    await Promise.all(origins.map((o) => o.close()));
  }
}

export function scaleRows(runs: Awaited<ReturnType<typeof benchScale>>): BenchRow[] {
  return runs.flatMap((f) => [
    {
      bench: 'scale',
      figure: `${f.feeds.toLocaleString('en')} feeds (${f.hosts} hosts, ${f.latencyMs} ms each) imported (the import starts the refresh) and ONE cron: all refreshed, timed from the import`,
      value: format.ms(f.firstRunMs),
      baseline: `${format.ms(f.idealOneInvocationMs)} (feeds × ${f.latencyMs} ms ÷ 6: one invocation)`,
      ratio: format.times(f.firstRunMs / f.idealOneInvocationMs),
    },
    {
      bench: 'scale',
      figure: `${f.feeds.toLocaleString('en')} feeds: most D1 statements / subrequests in one invocation (${f.invocations} invocations)`,
      value: `${f.maxStatementsPerInvocation} / ${f.maxSubrequestsPerInvocation}`,
      baseline: 'Paid: 1,000 / 10,000',
    },
    {
      bench: 'scale',
      figure: `${f.feeds.toLocaleString('en')} feeds, nothing changed: D1 statements / rows written per feed`,
      value: `${f.unchangedStatementsPerFeed} / ${f.unchangedRowsWrittenPerFeed}`,
      baseline: 'goal: ≤ 1 row',
    },
    {
      bench: 'scale',
      figure: `${f.feeds.toLocaleString('en')} feeds: D1 bytes per feed (30 short items); workerd CPU per feed, first / unchanged (local D1 included)`,
      value: `${format.bytes(f.d1BytesPerFeed)}; ${f.cpuMsPerNewFeed} ms / ${f.cpuMsPerUnchangedFeed} ms`,
    },
  ]);
}

if (import.meta.main) {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  const runs = await benchScale(sizes.length ? sizes : SIZES);
  console.table(runs);
}
