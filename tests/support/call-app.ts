// Calls the Hono app the way workerd would, with the test bindings (or overrides) and a real execution context.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { app } from '../../worker-edge/app.ts';

let clients = 0;

/**
 * Each call comes from a client address of its own (198.18.0.0/15, the benchmarking range) unless the test gives
 * one, as requests on Cloudflare always carry CF-Connecting-IP: tests about something else never meet the
 * per-client rate limits.
 */
export async function callApp(path: string, init: RequestInit = {}, bindings: Env = env): Promise<Response> {
  const ctx = createExecutionContext();
  const headers = new Headers(init.headers);
  if (!headers.has('CF-Connecting-IP'))
    headers.set('CF-Connecting-IP', `198.18.${(clients >> 8) & 255}.${clients++ & 255}`);
  const res = await app.request(path, { ...init, headers }, bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export const adminHeaders = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' };

/** Bindings with ALLOW_PRIVATE_NETWORK off: the fixture origin (on loopback) becomes a blocked address. */
export const publicOnly = { ...env, ALLOW_PRIVATE_NETWORK: '' } as Env;
