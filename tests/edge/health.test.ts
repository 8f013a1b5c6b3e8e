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

describe('fixture origin', () => {
  it('serves shared fixtures as bytes and lists folders', async () => {
    const list = (await (await fetch(`${env.FIXTURE_ORIGIN}/__list/shared/hostile-xml`)).json()) as string[];
    expect(list).toContain('xmlbomb.xml');
    const res = await fetch(`${env.FIXTURE_ORIGIN}/shared/hostile-xml/xmlbomb.xml`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<!ENTITY');
    expect((await fetch(`${env.FIXTURE_ORIGIN}/shared/../../etc/passwd`)).status).toBe(404);
  });
});
