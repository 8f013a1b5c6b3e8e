// `npm start`: the reader on http://localhost:$PORT (default 8787) with local D1, seeded and refreshed on start.
// ADMIN_TOKEN and ALLOW_PRIVATE_NETWORK come from the environment when set, else from .dev.vars.
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Transform } from 'node:stream';
import type { FeedsResponse, FeedView } from '../contract/http.ts';
import { repoRoot, startReader } from './reader-process.ts';

/** How long `npm start` waits for the first refresh to settle before it says how many sources are still waiting. */
const FIRST_REFRESH_WAIT_MS = 60_000;

/**
 * Offline, every feed fetch and wrangler's own start-up fetch fail, and each failure prints a stack dump that
 * says nothing the summary line does not. Dropped, with the lines that continue them (blank, indented, "Error: …"):
 * - workerd logs each subrequest whose DNS lookup failed as an internal error with its native stack; the feed's
 *   readable reason is in /api/feeds, /healthz and the feed_refresh log line.
 * - miniflare warns, with Node's stack, that it could not fetch the `Request.cf` placeholder from
 *   workers.cloudflare.com.
 */
const NOISE_HEADERS = [
  /\[ERROR\] e = .*failed to lookup address information/,
  /Unable to fetch the `Request\.cf` object/,
];
const NOISE_CONTINUATION = /^(\s*$|\s+\S|Error: )/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts every colour code.
const ANSI_CODES = /\x1b\[[0-9;]*m/g;

export function withoutNetworkNoise(): Transform {
  let partial = '';
  let dropping = false;
  const keep = (line: string) => {
    const plain = line.replace(ANSI_CODES, '');
    if (NOISE_HEADERS.some((header) => header.test(plain))) dropping = true;
    else if (!dropping || !NOISE_CONTINUATION.test(plain)) dropping = false;
    return !dropping;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      done(
        null,
        lines
          .filter(keep)
          .map((line) => `${line}\n`)
          .join(''),
      );
    },
    flush(done) {
      done(null, partial && keep(partial) ? partial : '');
    },
  });
}

/**
 * Polls the sources until none is pending, or the time is up: the first refresh runs in the background. Often at
 * first, then every 5 s: each poll is a request log line in the terminal.
 */
export async function waitForFirstRefresh(url: string, timeoutMs: number): Promise<FeedView[]> {
  const deadline = Date.now() + timeoutMs;
  let feeds: FeedView[] = [];
  for (let delayMs = 500; ; delayMs = Math.min(delayMs * 2, 5000)) {
    // A reload of the dev server (a source file changed) can drop a request: keep what was seen and ask again.
    const body = await fetch(`${url}/api/feeds`).then(
      (r) => (r.ok ? (r.json() as Promise<FeedsResponse>) : null),
      () => null,
    );
    if (body) feeds = body.feeds;
    if ((body && !feeds.some((f) => f.status === 'pending')) || Date.now() >= deadline) return feeds;
    await new Promise((r) => setTimeout(r, Math.min(delayMs, Math.max(0, deadline - Date.now()))));
  }
}

/** One line on how the first refresh went. */
export function firstRefreshSummary(feeds: FeedView[], waitedSeconds: number): string {
  const total = feeds.length;
  const refreshed = feeds.filter((f) => f.status === 'ok').length;
  const waiting = feeds.filter((f) => f.status === 'pending').length;
  const failing = feeds.filter((f) => f.status === 'error' || f.status === 'gone');
  if (total === 0) return 'No sources subscribed yet: add one on the Sources page.';
  if (refreshed === 0 && waiting === 0 && failing.every((f) => f.status === 'error')) {
    const reason = failing.find((f) => f.lastError)?.lastError;
    return `0 of ${total} sources reachable${reason ? ` (${reason})` : ''}: no internet? \`npm run demo\` needs none`;
  }
  return [
    `${refreshed} of ${total} sources refreshed`,
    failing.length > 0 ? `${failing.length} failing (the Sources page says why)` : null,
    waiting > 0 ? `${waiting} still waiting after ${waitedSeconds} s (they keep trying in the background)` : null,
  ]
    .filter((part) => part !== null)
    .join('; ');
}

export async function runReader(options: { vars?: Record<string, string>; persistTo?: string; banner?: string } = {}) {
  const port = Number(process.env.PORT ?? 8787);
  const vars: Record<string, string> = { ...options.vars };
  for (const key of ['ADMIN_TOKEN', 'ALLOW_PRIVATE_NETWORK', 'SEED_OPML_URL', 'PLAN']) {
    const value = process.env[key];
    if (value) vars[key] = value;
  }
  const devVars = resolve(repoRoot, '.dev.vars');
  if (!vars.ADMIN_TOKEN && !existsSync(devVars)) {
    const token = randomBytes(18).toString('base64url');
    writeFileSync(devVars, `# Local secrets for wrangler dev (not committed).\nADMIN_TOKEN=${token}\n`);
    console.log(
      `No ADMIN_TOKEN was set: wrote a new one to .dev.vars (${token}). Admin API calls need it as a Bearer token.`,
    );
  }

  // wrangler's output goes through the noise filter; until it is ready, it is kept and shown only if the start fails.
  const reader = await startReader({ port, vars, persistTo: options.persistTo });
  reader.process.stdout?.pipe(withoutNetworkNoise()).pipe(process.stdout);
  reader.process.stderr?.pipe(withoutNetworkNoise()).pipe(process.stderr);
  const stopAndExit = () => void reader.stop().then(() => process.exit(0));
  process.once('SIGINT', stopAndExit);
  process.once('SIGTERM', stopAndExit);

  // The first read seeds the default subscriptions and starts a refresh in the background.
  const startedAt = Date.now();
  const feeds = await fetch(`${reader.url}/api/feeds`).then((r) => r.json() as Promise<FeedsResponse>);
  console.log(
    `\n${options.banner ?? 'Offline Reader'} is running at http://localhost:${port} with ${feeds.feeds.length} sources; fetching them now.`,
  );
  console.log(
    `  Latest items: http://localhost:${port}/api/items   Sources: http://localhost:${port}/api/feeds   Health: http://localhost:${port}/healthz\n`,
  );
  const settled = await waitForFirstRefresh(reader.url, FIRST_REFRESH_WAIT_MS);
  console.log(`\n${firstRefreshSummary(settled, Math.round((Date.now() - startedAt) / 1000))}\n`);
  await new Promise<void>((r) => reader.process.once('exit', () => r()));
}

if (import.meta.main) {
  runReader().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
