// Operator settings, read from the Worker's environment with safe defaults.
import type { RefreshRunOptions } from './feeds/refresh-due-feeds.ts';

const truthy = (value: string | undefined) => value === '1' || value === 'true';

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export const allowPrivateNetwork = (env: Env) => truthy(env.ALLOW_PRIVATE_NETWORK);

export function refreshOptions(env: Env, now: number, force = false): RefreshRunOptions {
  return {
    now,
    force,
    batch: positiveInt(env.REFRESH_BATCH, 40),
    allowPrivateNetwork: allowPrivateNetwork(env),
    maxBytes: 4 * 1024 * 1024,
    timeoutMs: 15_000,
    retention: 200,
    globalConcurrency: 6,
    perHostConcurrency: 2,
  };
}
