// Calls the Hono app the way workerd would, with the test bindings (or overrides) and a real execution context.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { app } from '../../worker-edge/app.ts';

export async function callApp(path: string, init: RequestInit = {}, bindings: Env = env): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.request(path, init, bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export const adminHeaders = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' };

/** Bindings with ALLOW_PRIVATE_NETWORK off: the fixture origin (on loopback) becomes a blocked address. */
export const publicOnly = { ...env, ALLOW_PRIVATE_NETWORK: '' } as Env;
