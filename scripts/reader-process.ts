// Runs the reader locally the way `npm start` does: D1 migrations applied to a local database, then `wrangler dev`.
// Shared by `npm start`, `npm run demo`, the end-to-end tests and the benchmarks.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite } from './build-site.ts';
import { freePort } from './free-port.ts';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const wranglerBin = resolve(repoRoot, 'node_modules/.bin/wrangler');

export interface ReaderOptions {
  port: number;
  /** Worker variables passed with `--var` (override wrangler.toml and .dev.vars). */
  vars?: Record<string, string>;
  /** Where local D1 state lives; separate folders keep the demo and tests away from your own data. */
  persistTo?: string;
  /** Print wrangler's output (on for `npm start`, off for tests). */
  inheritOutput?: boolean;
  /** Every chunk wrangler writes (when its output is not inherited): benchmarks read the Worker's log lines. */
  onOutput?: (chunk: string) => void;
}

export interface RunningReader {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * wrangler reports usage to Cloudflare, checks npm for a newer version and fetches a `Request.cf` sample from
 * workers.cloudflare.com unless told not to: nothing run here (the reader, tests, benches) may reach a public host.
 */
const wranglerEnv = {
  ...process.env,
  CI: 'true',
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
};

export function applyMigrations(persistTo: string | undefined, inheritOutput: boolean): void {
  const args = ['d1', 'migrations', 'apply', 'DB', '--local', ...(persistTo ? ['--persist-to', persistTo] : [])];
  const result = spawnSync(wranglerBin, args, {
    cwd: repoRoot,
    stdio: inheritOutput ? 'inherit' : 'pipe',
    env: wranglerEnv,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(
      `Applying D1 migrations failed (wrangler ${args.join(' ')}):\n${result.stderr ?? ''}${result.stdout ?? ''}`,
    );
  }
}

async function waitUntilReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`wrangler dev exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    }
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The reader did not answer at ${url} within ${timeoutMs / 1000} s`);
}

export async function startReader(options: ReaderOptions): Promise<RunningReader> {
  // The Worker serves dist/assets (page module, service worker, app shell); rebuilt only when a source changed.
  await buildSite();
  applyMigrations(options.persistTo, options.inheritOutput ?? false);
  // A port free when chosen can be taken before wrangler binds it (two readers starting side by side, as the test
  // suites do): start again on fresh ports, a few times.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startWrangler(options);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof PortTaken)) throw error;
    }
  }
}

class PortTaken extends Error {}

async function startWrangler(options: ReaderOptions): Promise<RunningReader> {
  const inherit = options.inheritOutput ?? false;
  const varArgs = Object.entries(options.vars ?? {}).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  const args = [
    'dev',
    '--port',
    String(options.port),
    '--ip',
    '127.0.0.1',
    // Tests and benches: an inspector port of their own. wrangler's default (9229, or the next free one) is chosen
    // alike by every wrangler starting at once, and the loser exits with "Address already in use". `npm start` keeps
    // 9229 for a debugger.
    ...(inherit ? [] : ['--inspector-port', String(await freePort())]),
    '--test-scheduled',
    '--show-interactive-dev-session=false',
    ...(options.persistTo ? ['--persist-to', options.persistTo] : []),
    ...varArgs,
  ];
  const child = spawn(wranglerBin, args, {
    cwd: repoRoot,
    stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    env: wranglerEnv,
    detached: process.platform !== 'win32',
  });
  let output = '';
  const collect = (d: Buffer) => {
    const text = d.toString();
    output = (output + text).slice(-20_000);
    options.onOutput?.(text);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  // Started in its own process group, it would outlive a caller that exits without stop(): take it along.
  const killOnExit = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killOnExit);

  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    // wrangler starts workerd as a child: signal the whole group.
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }
  };
  try {
    await waitUntilReady(url, child, 60_000);
  } catch (error) {
    await stop();
    const Failure = /Address already in use/i.test(output) ? PortTaken : Error;
    throw new Failure(`${(error as Error).message}\n--- wrangler output ---\n${output}`);
  }
  return { url, process: child, stop };
}
