// Talks to the fixture origin's control endpoints from inside workerd tests.
import { env } from 'cloudflare:test';
import type { HitSummary } from '../fixture-origin/request-log.ts';

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

const pathOf = (url: string) => {
  const u = new URL(url, env.FIXTURE_ORIGIN);
  return u.pathname + u.search;
};

/** The next requests to `url` get these responses, in order; then the file is served as usual. */
export async function scriptResponses(url: string, responses: ScriptedResponse[]): Promise<void> {
  const res = await fetch(`${env.FIXTURE_ORIGIN}/__script`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ path: pathOf(url), responses }),
  });
  if (!res.ok) throw new Error(`scripting the origin failed: ${res.status} ${await res.text()}`);
}

/** How many requests `url` received, and how the last one looked and ended. */
export async function hits(url: string): Promise<HitSummary> {
  const res = await fetch(`${env.FIXTURE_ORIGIN}/__hits?path=${encodeURIComponent(pathOf(url))}`);
  if (!res.ok) throw new Error(`reading the origin's hits failed: ${res.status}`);
  return res.json();
}
