// The image proxy in the real reader (`wrangler dev`), over HTTP: readers' requests for one picture are separate
// requests to workerd, which forbids one request to touch another's I/O objects. They still share one origin fetch
// (the coalescer hands out plain bytes), and the edge cache answers the ones that come after.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleView } from '../../contract/http.ts';
import { freePort } from '../../scripts/free-port.ts';
import { startReader, type RunningReader } from '../../scripts/reader-process.ts';
import type { HitSummary } from '../fixture-origin/request-log.ts';
import { startFixtureOrigin, type FixtureOrigin } from '../fixture-origin/server.ts';

const READERS = 20;
let origin: FixtureOrigin;
let reader: RunningReader;
let state: string;

beforeAll(async () => {
  origin = await startFixtureOrigin();
  state = mkdtempSync(join(tmpdir(), 'reader-e2e-img-'));
  reader = await startReader({
    port: await freePort(),
    persistTo: state,
    vars: { ALLOW_PRIVATE_NETWORK: '1', ADMIN_TOKEN: 'e2e-admin-token', SEED_OPML_URL: `${origin.url}/site/demo.opml` },
  });
});

afterAll(async () => {
  await reader?.stop();
  await origin?.close();
  rmSync(state, { recursive: true, force: true });
});

async function hits(url: string): Promise<HitSummary> {
  const { pathname, search } = new URL(url);
  return (
    await fetch(`${origin.url}/__hits?path=${encodeURIComponent(pathname + search)}`)
  ).json() as Promise<HitSummary>;
}

/** A shared page showing one picture that takes its time, read through the reader so the picture is registered. */
async function pageWithSlowPicture(picture: string): Promise<ArticleView> {
  const page = `${origin.url}/local/e2e-picture-page.html?t=${Date.now()}`;
  const text =
    'The harbour ferry ran all winter, and the crew kept a log of every crossing, every storm and every passenger. ';
  const html =
    `<!doctype html><html><head><title>The ferry</title></head><body><article><h1>The ferry</h1>` +
    `<p>${text.repeat(6)}</p><img src="${picture}" width="640" height="400" alt="The ferry"><p>${text.repeat(6)}</p></article></body></html>`;
  const scripted = await fetch(`${origin.url}/__script`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      path: new URL(page).pathname + new URL(page).search,
      responses: [{ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html }],
    }),
  });
  expect(scripted.ok).toBe(true);
  const res = await fetch(`${reader.url}/api/articles?url=${encodeURIComponent(page)}`);
  expect(res.status).toBe(200);
  return (await res.json()) as ArticleView;
}

describe('one picture, many readers at once', () => {
  it(`${READERS} separate requests at once cost 1 origin fetch, and ${READERS} more after them none`, async () => {
    const picture = `${origin.url}/site/images/harbour-ferry.jpg?delayMs=500&t=${Date.now()}`;
    const article = await pageWithSlowPicture(picture);
    expect(article.images).toHaveLength(1);
    const proxied = `${reader.url}${article.images[0]}`;

    const together = await Promise.all(Array.from({ length: READERS }, () => fetch(proxied)));
    const bodies = await Promise.all(
      together.map(async (res) => ({ status: res.status, bytes: Buffer.from(await res.arrayBuffer()) })),
    );
    expect((await hits(picture)).count).toBe(1);

    for (let i = 0; i < READERS; i += 1) {
      const res = await fetch(proxied);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    expect((await hits(picture)).count).toBe(1);

    const original = Buffer.from(await (await fetch(picture)).arrayBuffer());
    for (const { status, bytes } of bodies) {
      expect(status).toBe(200);
      expect(bytes.equals(original)).toBe(true);
    }
  });
});
