import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { app } from '../../worker-edge/app.ts';

describe('health', () => {
  it('answers', async () => {
    const res = await app.request('/healthz', {}, env);
    expect(res.status).toBe(200);
    const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'feeds'").all();
    expect(tables.results).toHaveLength(1);
    expect(env.FIXTURE_ORIGIN).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
