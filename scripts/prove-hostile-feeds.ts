// A corpus of hostile feeds (malformed, oversized, slow, mis-encoded, entity bombs, external entities, HTML, binary,
// dead hosts) served by the fixture origin next to well-formed ones, refreshed in ONE run by the real reader.
// Prints how many were tried, how many were marked erroring with a readable reason, that every well-formed feed
// in the same run succeeded, the wall time and workerd's peak memory. Exits non-zero when any of that fails.
// Run: npm exec -- node scripts/prove-hostile-feeds.ts
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { startStack } from '../tests/browser/support/stack.ts';
import { HOSTILE_FAMILIES } from '../tests/fixture-origin/hostile-bodies.ts';
import { startFixtureOrigin } from '../tests/fixture-origin/server.ts';
import { refreshAndWait } from './await-refresh.ts';

const MB = 1024 * 1024;

/** `pausing`: another origin (host and port), for the feed whose 429 pauses its whole host for an hour. */
function hostileCorpus(origin: string, pausing: string): string[] {
  const local = (path: string) => `${origin}${path}`;
  const hostileXml = [
    'cyclic',
    'dtd',
    'dtd_element',
    'external',
    'external_file',
    'quadratic',
    'simple-ns',
    'simple',
    'xmlbomb',
    'xmlbomb2',
  ];
  const originPort = new URL(origin).port;
  return [
    ...hostileXml.map((name) => local(`/shared/hostile-xml/${name}.xml`)),
    local('/shared/hostile-xml/xalan_exec.xsl'),
    // Generated at 3.9 MB, under the 4 MB body cap: bodies that used to burn CPU or memory, refused in linear time
    // and within a Worker's heap.
    ...refusedFamilies().map((family) => local(`/local/hostile/${family}?bytes=${Math.floor(3.9 * MB)}`)),
    local('/shared/gofeed/testdata/parser/universal/invalid.json'),
    local('/shared/gofeed/testdata/parser/universal/unknown_feed.xml'),
    local('/shared/gofeed/testdata/parser/universal/empty_feed.xml'),
    local('/local/refresh/malformed.xml'),
    local('/local/refresh/not-a-feed.html'),
    local('/site/images/europa-logo.png'),
    local(`/local/refresh/three-items.rss?size=${50 * MB}`),
    local(`/local/refresh/three-items.rss?size=${5 * MB}&contentType=application/rss%2Bxml`),
    local('/local/refresh/three-items.rss?dripMs=500&dripBytes=1&hostile=slow'),
    local('/local/refresh/three-items.rss?delayMs=20000&hostile=silent'),
    local('/local/refresh/three-items.rss?loop=1'),
    local('/local/refresh/three-items.rss?redirect=9'),
    local('/local/refresh/three-items.rss?truncate=200'),
    local('/local/refresh/three-items.rss?reset=1'),
    local('/local/refresh/three-items.rss?resetAfterBytes=100'),
    local('/local/refresh/three-items.rss?status=500'),
    local('/local/refresh/three-items.rss?status=404'),
    local('/local/refresh/three-items.rss?status=410'),
    // A 429 with Retry-After pauses every feed of its host: on a host of its own, or it would pause the whole corpus.
    `${pausing}/local/refresh/three-items.rss?status=429&retryAfter=3600`,
    local('/local/refresh/three-items.rss?contentType=text/html&redirectTo=/local/refresh/not-a-feed.html'),
    'http://no-such-host.invalid/feed.xml',
    `https://127.0.0.1:${originPort}/local/refresh/three-items.rss`,
  ];
}

function wellFormedCorpus(origin: string): string[] {
  const encodings = readFileSync(new URL('../tests/fixtures/encodings/generate.py', import.meta.url), 'utf8');
  const encodingFiles = [...encodings.matchAll(/['"]([\w-]+\.(?:xml|json))['"]/g)].map((m) => m[1]!);
  return [
    ...[
      'harbour-courier.rss',
      'field-notes.atom',
      'workshop.rdf',
      'slow-kitchen.json',
      'cafe-europa.rss',
      'night-shift.atom',
    ].map((f) => `${origin}/site/feeds/${f}`),
    ...[...new Set(encodingFiles)].map((f) => `${origin}/local/encodings/${f}`),
    ...[
      'atom03_feed.xml',
      'atom10_feed.xml',
      'rdf_feed.xml',
      'rss_feed.xml',
      'rss_feed_bom.xml',
      'json11_feed.json',
    ].map((f) => `${origin}/shared/gofeed/testdata/parser/universal/${f}`),
    // Hostile in shape but readable: each must parse in time linear in its size and yield its items, in the same run.
    ...recoveredFamilies().map((family) => `${origin}/local/hostile/${family}?bytes=${Math.floor(3.9 * MB)}`),
  ];
}

function recoveredFamilies(): string[] {
  return Object.entries(HOSTILE_FAMILIES)
    .filter(([, family]) => 'recovered' in family.outcome)
    .map(([name]) => name);
}

function refusedFamilies(): string[] {
  return Object.entries(HOSTILE_FAMILIES)
    .filter(([, family]) => 'refused' in family.outcome)
    .map(([name]) => name);
}

/** The high-water mark of resident memory of the workerd processes wrangler started (VmHWM, from /proc). */
function workerdPeakMemoryMb(wranglerPid: number): number | null {
  try {
    const children = execFileSync('pgrep', ['-g', String(wranglerPid), 'workerd'], { encoding: 'utf8' })
      .trim()
      .split('\n');
    const peaks = children.map((pid) =>
      Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0),
    );
    return Math.round(Math.max(...peaks) / 1024);
  } catch {
    return null;
  }
}

const stack = await startStack();
const pausingOrigin = await startFixtureOrigin();
let failed = false;
try {
  const hostile = hostileCorpus(stack.origin.url, pausingOrigin.url);
  const good = wellFormedCorpus(stack.origin.url);
  const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>hostile</title></head><body>${[
    ...hostile,
    ...good,
  ]
    .map((url, i) => `<outline type="rss" text="feed ${i}" xmlUrl="${url.replaceAll('&', '&amp;')}"/>`)
    .join('')}</body></opml>`;
  const imported = await fetch(`${stack.site}/api/opml`, { method: 'POST', headers: stack.admin, body: opml });
  if (!imported.ok) throw new Error(`import failed: ${imported.status} ${await imported.text()}`);

  const memoryBefore = workerdPeakMemoryMb(stack.reader.process.pid!);
  const started = performance.now();
  // Through the queue: the fan-out enqueues every feed, consumers refresh them in batches; this waits for all.
  // One host serves every feed here, so the consumers take them 2 at a time (the per-host limit) at 2 a second.
  const { queued, feeds } = await refreshAndWait(stack.site, stack.admin, { force: true, timeoutMs: 600_000 });
  const result = queued;
  const seconds = (performance.now() - started) / 1000;
  const byUrl = new Map(feeds.map((f) => [f.url, f]));

  const hostileFeeds = hostile.map((url) => byUrl.get(url));
  const erroring = hostileFeeds.filter((f) => f && (f.status === 'error' || f.status === 'gone'));
  const readable = erroring.filter(
    (f) => f!.lastError && f!.lastError.length > 12 && !/undefined|\[object|at \w+ \(/.test(f!.lastError),
  );
  const goodFeeds = good.map((url) => byUrl.get(url));
  const goodOk = goodFeeds.filter((f) => f?.status === 'ok');

  console.log(`hostile feeds tried:               ${hostile.length}`);
  console.log(`marked erroring, readable reason:  ${readable.length}`);
  console.log(`well-formed feeds in the same run: ${good.length}, refreshed ok: ${goodOk.length}`);
  console.log(
    `refresh run: ${seconds.toFixed(1)} s (${JSON.stringify(result)}), workerd peak memory ${memoryBefore ?? '?'} MB before the run, ${workerdPeakMemoryMb(stack.reader.process.pid!) ?? '?'} MB after`,
  );
  for (const f of hostileFeeds)
    if (f && !readable.includes(f)) console.log(`  NOT marked as expected: ${f.url} -> ${f.status} ${f.lastError}`);
  for (const [i, f] of goodFeeds.entries())
    if (!goodOk.includes(f!)) console.log(`  well-formed feed failed: ${good[i]} -> ${f?.status} ${f?.lastError}`);
  failed = readable.length !== hostile.length || goodOk.length !== good.length;
} finally {
  await stack.stop();
  await pausingOrigin.close();
}
process.exit(failed ? 1 : 0);
