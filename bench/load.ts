// Load on the local worker (wrangler dev, local D1): pages, the items API and the digest (200 and 304) at 50
// connections, each as a ratio against a static asset served by the same worker in the same run.
// Bounded: a few seconds per target, loopback only. Run: npm exec -- node bench/load.ts
import autocannon from 'autocannon';
import { startStack } from '../tests/browser/support/stack.ts';
import { format, type BenchRow } from './bench-table.ts';

const CONNECTIONS = 50;
const SECONDS = 5;

interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, headers: Record<string, string> = {}, expectStatus = 200): Promise<LoadFigures> {
  // One second first, not counted: the isolate's first requests (compilation, caches) are not the steady state.
  await autocannon({ url, connections: CONNECTIONS, duration: 1, headers });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers, expectBody: undefined });
  const wrongStatus =
    expectStatus === 304 ? result.non2xx - (result.statusCodeStats?.['304']?.count ?? 0) : result.non2xx;
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: wrongStatus,
  };
}

export async function benchLoad(): Promise<Record<string, LoadFigures & { rpsRatioToStatic: number }>> {
  const stack = await startStack();
  try {
    const items = (await (await fetch(`${stack.site}/api/items?limit=1`)).json()) as { items: Array<{ id: string }> };
    const id = items.items[0]!.id;
    // Warm the article and the digest so the run measures serving, not first extraction.
    await fetch(`${stack.site}/read/${id}`);
    const digest = await fetch(`${stack.site}/api/digest?limit=20`);
    const etag = digest.headers.get('etag') ?? '';

    const targets: Array<[string, string, Record<string, string>, number]> = [
      ['static asset (baseline)', '/reader.css', {}, 200],
      ['/', '/', {}, 200],
      ['/read/:id', `/read/${id}`, {}, 200],
      ['/api/items', '/api/items?limit=30', {}, 200],
      ['/api/digest (200)', '/api/digest?limit=20', {}, 200],
      ['/api/digest (304)', '/api/digest?limit=20', { 'If-None-Match': etag }, 304],
    ];
    const figures: Record<string, LoadFigures> = {};
    for (const [name, path, headers, status] of targets)
      figures[name] = await load(`${stack.site}${path}`, headers, status);
    const baseline = figures['static asset (baseline)']!.requestsPerSecond;
    return Object.fromEntries(
      Object.entries(figures).map(([name, f]) => [
        name,
        { ...f, rpsRatioToStatic: Number((f.requestsPerSecond / baseline).toFixed(2)) },
      ]),
    );
  } finally {
    await stack.stop();
  }
}

export function loadRows(f: Awaited<ReturnType<typeof benchLoad>>): BenchRow[] {
  const describe = (l: LoadFigures) =>
    `${format.count(l.requestsPerSecond)} req/s, p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, ${l.errors + l.non2xx} errors`;
  const base = f['static asset (baseline)']!;
  return [
    {
      bench: 'load',
      figure: `GET /reader.css (the baseline: a static file from the same Worker), ${CONNECTIONS} connections × ${SECONDS} s`,
      value: describe(base),
    },
    ...Object.entries(f)
      .filter(([name]) => name !== 'static asset (baseline)')
      .map(([name, l]) => ({
        bench: 'load',
        figure: `GET ${name}`,
        value: describe(l),
        baseline: `${format.count(base.requestsPerSecond)} req/s`,
        ratio: format.times(l.rpsRatioToStatic),
      })),
  ];
}

if (import.meta.main) {
  console.log(`load: ${CONNECTIONS} connections, ${SECONDS} s per target, against wrangler dev on this machine`);
  console.table(await benchLoad());
}
