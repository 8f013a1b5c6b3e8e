// Operator settings, read from the Worker's environment with safe defaults.
import type { RefreshSettings } from './jobs/refresh-feed.ts';

const truthy = (value: string | undefined) => value === '1' || value === 'true';

export const allowPrivateNetwork = (env: Env) => truthy(env.ALLOW_PRIVATE_NETWORK);

export interface FeedRefreshSettings extends RefreshSettings {
  perHostConcurrency: number;
}

export function feedRefreshSettings(env: Env): FeedRefreshSettings {
  return {
    allowPrivateNetwork: allowPrivateNetwork(env),
    maxBytes: 4 * 1024 * 1024,
    timeoutMs: 15_000,
    retention: 200,
    perHostConcurrency: 2,
  };
}
