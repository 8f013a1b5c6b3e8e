// What an operator without internet gets from `npm start`: one line saying no source was reachable, /healthz saying
// degraded, and none of the stack dumps each failed fetch makes wrangler and workerd print.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstRefreshSummary, waitForFirstRefresh, withoutNetworkNoise } from '../../scripts/start.ts';
import { startReader, type RunningReader } from '../../scripts/reader-process.ts';
import { freePort } from '../../scripts/free-port.ts';

let reader: RunningReader;
let opmlServer: Server;
let state: string;
let deadPort: number;

// An OPML whose sources live on a loopback port nobody listens on: every fetch fails, as offline.
const opml = (port: number) => `<?xml version="1.0"?><opml version="2.0"><head><title>Unreachable</title></head><body>
${[1, 2, 3].map((n) => `<outline type="rss" text="Source ${n}" xmlUrl="http://127.0.0.1:${port}/feed-${n}.xml"/>`).join('\n')}
</body></opml>`;

beforeAll(async () => {
  deadPort = await freePort();
  opmlServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/x-opml' }).end(opml(deadPort)));
  const opmlPort = await freePort();
  await new Promise<void>((r) => opmlServer.listen(opmlPort, '127.0.0.1', r));
  state = mkdtempSync(join(tmpdir(), 'reader-offline-'));
  reader = await startReader({
    port: await freePort(),
    persistTo: state,
    vars: {
      ALLOW_PRIVATE_NETWORK: '1',
      ADMIN_TOKEN: 'e2e-admin-token',
      SEED_OPML_URL: `http://127.0.0.1:${opmlPort}/sources.opml`,
    },
  });
});

afterAll(async () => {
  await reader?.stop();
  await new Promise((r) => opmlServer?.close(r));
  rmSync(state, { recursive: true, force: true });
});

describe('a start where no source is reachable', () => {
  it('settles the first refresh and says so in one line', async () => {
    await fetch(`${reader.url}/api/feeds`);
    const feeds = await waitForFirstRefresh(reader.url, 45_000);
    expect(feeds).toHaveLength(3);
    expect(feeds.filter((f) => f.status === 'pending')).toEqual([]);
    expect(firstRefreshSummary(feeds, 2)).toMatch(
      new RegExp(
        `^0 of 3 sources reachable \\(.*127\\.0\\.0\\.1:${deadPort}.*\\): no internet\\? \`npm run demo\` needs none$`,
      ),
    );
  });

  it('reports degraded on /healthz, still answering 200', async () => {
    const res = await fetch(`${reader.url}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; status: string; summary: string };
    expect(body).toMatchObject({ ok: false, status: 'degraded' });
    expect(body.summary).toMatch(/^Degraded: 0 of 3 sources ok, 3 failing \(latest: .+\)\.$/);
  });
});

describe('the first refresh summary', () => {
  const feed = (status: 'ok' | 'pending' | 'error' | 'gone', lastError: string | null = null) => ({
    id: 1,
    url: 'https://example.com/rss',
    title: 'x',
    siteUrl: null,
    status,
    lastError,
    lastFetchedAt: null,
    nextFetchAt: null,
    itemCount: 0,
    folder: null,
  });

  it.each([
    { feeds: Array.from({ length: 6 }, () => feed('ok')), summary: '6 of 6 sources refreshed' },
    {
      feeds: [feed('error', 'DNS lookup failed for a.example'), feed('error', 'DNS lookup failed for b.example')],
      summary: '0 of 2 sources reachable (DNS lookup failed for a.example): no internet? `npm run demo` needs none',
    },
    {
      feeds: [feed('ok'), feed('ok'), feed('gone')],
      summary: '2 of 3 sources refreshed; 1 failing (the Sources page says why)',
    },
    { feeds: [feed('gone')], summary: '0 of 1 sources refreshed; 1 failing (the Sources page says why)' },
    {
      feeds: [feed('ok'), feed('pending'), feed('pending')],
      summary: '1 of 3 sources refreshed; 2 still waiting after 60 s (they keep trying in the background)',
    },
    { feeds: [], summary: 'No sources subscribed yet: add one on the Sources page.' },
  ])('$summary', ({ feeds, summary }) => {
    expect(firstRefreshSummary(feeds, 60)).toBe(summary);
  });
});

describe('the output filter', () => {
  const filtered = (input: string[]) => text(Readable.from(input).pipe(withoutNetworkNoise()));

  it("drops workerd's and miniflare's dumps for failed lookups, keeps everything else", async () => {
    const workerdDump = [
      '\x1b[31m✘ \x1b[41;31m[\x1b[41;97mERROR\x1b[41;31m]\x1b[0m \x1b[1me = rust/worker/ffi.rs:104: failed: failed to lookup address information: Name or service not known\x1b[0m\n',
      '\n',
      '  stack: /work/main/node_modules/@cloudflare/workerd-linux-64/bin/workerd@3d4d979; sentryErrorContext = jsgInternalError; wdErrId = 4a09t3\n',
      '\n',
      '\n',
    ];
    const cfWarning = [
      '[wrangler:warn] Unable to fetch the `Request.cf` object! Falling back to a default placeholder...\n',
      'Error: getaddrinfo ENOTFOUND workers.cloudflare.com\n',
      '    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:123:26)\n',
    ];
    const kept = [
      '{"event":"feed_refresh","feedId":1,"outcome":"failed","error":"DNS lookup failed for feeds.bbci.co.uk"}\n',
      '⎔ Starting local server...\n',
      '✘ [ERROR] Uncaught Error: D1_ERROR: no such table: feeds\n',
      '\n',
      '      at _sendOrThrow (cloudflare-internal:d1-api:191:19)\n',
    ];
    // Chunks split lines anywhere: the filter works on whole lines.
    const chunks = [...cfWarning, kept[0]!, ...workerdDump, ...workerdDump, ...kept.slice(1)]
      .join('')
      .match(/[\s\S]{1,37}/g)!;
    expect(await filtered(chunks)).toBe(kept.join(''));
  });
});
