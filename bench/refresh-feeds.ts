// Refresh of 200 feeds through the real reader (wrangler dev, local D1, local Queues) from fixture origins that
// add 50 ms to every response: POST /api/refresh?force=1 until every feed has its outcome. Prints the wall time
// against the floor: latency × feeds ÷ 6 at once, or the politeness spread of each host's feeds if that is longer.
// Run: npm exec -- node bench/refresh-feeds.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshAndWait } from '../scripts/await-refresh.ts';
import { startReader } from '../scripts/reader-process.ts';
import { startFixtureOrigin, type FixtureOrigin } from '../tests/fixture-origin/server.ts';
import { freePort } from '../scripts/free-port.ts';
import { HOST_RELEASES_PER_SECOND } from '../worker-edge/jobs/enqueue-due-feeds.ts';
import { format, type BenchRow } from './bench-table.ts';

const FEEDS = 200;
const LATENCY_MS = 50;
const HOSTS = 10;
const GLOBAL_CONCURRENCY = 6;
const ADMIN = 'bench-admin-token';

export async function benchRefresh(): Promise<Record<string, number>> {
  // Ten origins on ten ports are ten hosts to the per-host limit (2 each), as ten real publishers would be.
  const origins: FixtureOrigin[] = await Promise.all(
    Array.from({ length: HOSTS }, () => startFixtureOrigin({ latencyMs: LATENCY_MS })),
  );
  const state = mkdtempSync(join(tmpdir(), 'reader-bench-'));
  const reader = await startReader({
    port: await freePort(),
    persistTo: state,
    // Seeded with nothing: the bundled default sources are public hosts, which nothing run here may reach.
    vars: {
      ALLOW_PRIVATE_NETWORK: '1',
      ADMIN_TOKEN: ADMIN,
      SEED_OPML_URL: `${origins[0]!.url}/local/refresh/empty.opml`,
    },
  });
  const auth = { Authorization: `Bearer ${ADMIN}` };
  try {
    const outlines = Array.from({ length: FEEDS }, (_, i) => {
      const origin = origins[i % HOSTS]!;
      return `<outline type="rss" text="Feed ${i}" xmlUrl="${origin.url}/local/refresh/thirty-items.rss?feed=${i}"/>`;
    });
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>bench</title></head><body>${outlines.join('')}</body></opml>`;
    const imported = await fetch(`${reader.url}/api/opml`, { method: 'POST', headers: auth, body: opml });
    if (!imported.ok) throw new Error(`OPML import failed: ${imported.status} ${await imported.text()}`);

    const refresh = async () => {
      const { feeds, ms } = await refreshAndWait(reader.url, auth, { force: true, pollMs: 100 });
      return { ms, ok: feeds.filter((f) => f.status === 'ok').length };
    };
    const first = await refresh();
    if (first.ok !== FEEDS) throw new Error(`first refresh: ${FEEDS - first.ok} feeds are not ok`);
    // The second run finds every item already stored: the steady state of a cron run.
    const second = await refresh();
    // The floor: 6 fetches at once, and no faster than politeness releases a host's feeds (its k-th feed is
    // delivered k ÷ HOST_RELEASES_PER_SECOND seconds after the fan-out, whatever the number of consumers).
    const perHost = Math.ceil(FEEDS / HOSTS);
    const ideal = Math.max(
      (LATENCY_MS * FEEDS) / GLOBAL_CONCURRENCY,
      Math.floor((perHost - 1) / HOST_RELEASES_PER_SECOND) * 1000 + LATENCY_MS,
    );
    return {
      feeds: FEEDS,
      latencyMs: LATENCY_MS,
      idealMs: Math.round(ideal),
      firstRefreshMs: Math.round(first.ms),
      firstRatio: Number((first.ms / ideal).toFixed(2)),
      steadyRefreshMs: Math.round(second.ms),
      steadyRatio: Number((second.ms / ideal).toFixed(2)),
      itemsStoredPerSecond: Math.round((FEEDS * 30) / (first.ms / 1000)),
    };
  } finally {
    await reader.stop();
    await Promise.all(origins.map((o) => o.close()));
    rmSync(state, { recursive: true, force: true });
  }
}

export function refreshRows(f: Awaited<ReturnType<typeof benchRefresh>>): BenchRow[] {
  const ideal = `${format.ms(f.idealMs!)} (the floor: 6 at once, each host's ${Math.ceil(f.feeds! / HOSTS)} feeds released ${HOST_RELEASES_PER_SECOND} a second)`;
  return [
    {
      bench: 'refresh',
      figure: `${f.feeds} feeds × 30 items, ${f.latencyMs} ms origin latency: first refresh`,
      value: format.ms(f.firstRefreshMs!),
      baseline: ideal,
      ratio: format.times(f.firstRatio!),
    },
    {
      bench: 'refresh',
      figure: 'same feeds, nothing new (a steady cron run)',
      value: format.ms(f.steadyRefreshMs!),
      baseline: ideal,
      ratio: format.times(f.steadyRatio!),
    },
  ];
}

if (import.meta.main) {
  const figures = await benchRefresh();
  console.log('refresh of 200 feeds (50 ms origin latency, 6 at once, 2 per host)');
  console.table(figures);
}
