// Every invocation within Cloudflare's per-invocation budgets, for both plans, counted where local D1 enforces
// nothing: D1 statements (each statement of a batch counts) and subrequests (fetches, queue calls and, cautiously,
// D1 round trips), for the cron, a consumer batch of the largest size, the continuation and prefetch messages,
// subscribing, OPML import, and the busiest pages and API routes.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { ARTICLE_BATCH_MAX, type ArticleBatchResponse } from '../../contract/http.ts';
import { ARTICLE_BATCH_PATH } from '../../contract/paths.ts';
import worker from '../../worker-edge/index.ts';
import { SEEDED_KEY } from '../../worker-edge/jobs/seed-default-feeds.ts';
import { resetKeepFreshClock } from '../../worker-edge/middleware/keep-fresh.ts';
import {
  feedsPerFanOut,
  feedsPerInvocation,
  feedsPerMessage,
  messagesPerBatch,
  PLAN_BUDGETS,
  type PlanName,
} from '../../worker-edge/platform/plan-budget.ts';
import { addFeeds } from '../../worker-edge/store/feeds-store.ts';
import { setMeta } from '../../worker-edge/store/meta-store.ts';
import { adminHeaders, callApp } from '../support/call-app.ts';
import { invocationMeter, subrequestsOf, type InvocationCounts } from '../support/invocation-meter.ts';
import { queueDriver } from '../support/queue-driver.ts';
import { resetDatabase } from '../support/reset-database.ts';
import { subscribeSampleFeeds } from '../support/sample-site.ts';

const origin = env.FIXTURE_ORIGIN;
const HOUR = 3_600_000;

beforeEach(resetDatabase);

const bodyKind = (m: { body: unknown }) => (m.body as { kind: string }).kind;
const feedsIn = (messages: Array<{ body: unknown }>) =>
  messages.flatMap((m) => (m.body as { feedIds?: number[] }).feedIds ?? []);
/** Refresh messages as the fan-out makes them: `perMessage` feeds each. */
const refreshMessages = (ids: number[], perMessage: number) =>
  Array.from({ length: Math.ceil(ids.length / perMessage) }, (_, i) => ({
    body: { kind: 'refresh', feedIds: ids.slice(i * perMessage, (i + 1) * perMessage) },
  }));

for (const plan of ['free', 'paid'] as PlanName[]) {
  const budget = PLAN_BUDGETS[plan];
  const planEnv = { ...env, PLAN: plan } as Env;

  function expectWithin(counts: InvocationCounts, what: string) {
    console.log(JSON.stringify({ plan, what, ...counts, subrequests: subrequestsOf(counts) }));
    expect(counts.statements, `${what}: D1 statements on ${plan}`).toBeLessThanOrEqual(budget.d1Queries);
    expect(subrequestsOf(counts), `${what}: subrequests on ${plan}`).toBeLessThanOrEqual(budget.subrequests);
  }

  async function feedsAt(count: number, path: string, tag: string): Promise<number[]> {
    await addFeeds(
      env.DB,
      Array.from({ length: count }, (_, i) => ({ url: `${origin}${path}?${tag}=${i}` })),
      Date.now(),
    );
    const { results } = await env.DB.prepare('SELECT id FROM feeds ORDER BY id').all<{ id: number }>();
    return results.map((r) => r.id);
  }

  describe(`on the ${plan} plan`, () => {
    it('the cron seeds and enqueues more feeds than one invocation takes, and a continuation takes the rest', async () => {
      const limit = feedsPerFanOut(budget);
      await feedsAt(limit + 40, '/local/refresh/three-items.rss', `cron-${plan}`);
      const driver = queueDriver(planEnv);
      const cron = invocationMeter(driver.env);
      await cron.measure(async (e) => {
        const ctx = createExecutionContext();
        await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '*/15 * * * *' }), e, ctx);
        await waitOnExecutionContext(ctx);
      });
      expectWithin(cron.counts, 'cron');
      expect(feedsIn(driver.sent)).toHaveLength(limit);
      expect(
        driver.sent
          .filter((m) => bodyKind(m) === 'refresh')
          .every((m) => feedsIn([m]).length <= feedsPerMessage(budget)),
      ).toBe(true);
      expect(driver.sent.map(bodyKind)).toEqual(expect.arrayContaining(['fan-out', 'prefetch']));

      // The continuation, in its own invocation: the rest of the due feeds (and the seeded sample feeds).
      const continuation = driver.waiting.filter((m) => bodyKind(m) === 'fan-out');
      driver.waiting.splice(0, driver.waiting.length, ...continuation);
      const next = invocationMeter(driver.env);
      await next.measure(() => driver.deliver(1, { env: () => next.env }));
      expectWithin(next.counts, 'fan-out continuation');
      const taken = feedsIn(driver.sent).length;
      const { n } = (await env.DB.prepare('SELECT COUNT(*) AS n FROM feeds').first<{ n: number }>())!;
      expect(taken).toBe(n);
    });

    it(`a consumer batch of the largest size (${feedsPerInvocation(budget)} feeds, 30 new items each), then the same feeds unchanged`, async () => {
      const size = feedsPerInvocation(budget);
      const ids = await feedsAt(size, '/local/refresh/thirty-items.rss', `batch-${plan}`);
      const driver = queueDriver(planEnv);
      const enqueue = () => driver.env.REFRESH_QUEUE.sendBatch(refreshMessages(ids, feedsPerMessage(budget)));

      await enqueue();
      const first = invocationMeter(driver.env);
      await first.measure(() => driver.deliver(messagesPerBatch(budget), { env: () => first.env }));
      expectWithin(first.counts, 'consumer, first fetch');
      const { ok } = (await env.DB.prepare("SELECT COUNT(*) AS ok FROM feeds WHERE status = 'ok'").first<{
        ok: number;
      }>())!;
      expect(ok).toBe(size);
      const { items } = (await env.DB.prepare('SELECT COUNT(*) AS items FROM items').first<{ items: number }>())!;
      expect(items).toBe(size * 30);
      expect(driver.waiting).toHaveLength(0);

      await enqueue();
      const steady = invocationMeter(driver.env);
      await steady.measure(() =>
        driver.deliver(messagesPerBatch(budget), { env: () => steady.env, now: Date.now() + HOUR }),
      );
      expectWithin(steady.counts, 'consumer, nothing changed');
      // Nothing changed: the lease and one write for the whole batch; one row written per feed.
      expect(steady.counts.statements).toBeLessThanOrEqual(3);
      expect(steady.counts.rowsWritten / size).toBeLessThanOrEqual(1 + 1e-9);
    });

    it('a batch larger than the plan takes is handed back, not refused or retried', async () => {
      const perMessage = feedsPerMessage(budget);
      const ids = await feedsAt(
        feedsPerInvocation(budget) + perMessage,
        '/local/refresh/three-items.rss',
        `over-${plan}`,
      );
      const driver = queueDriver(planEnv);
      await driver.env.REFRESH_QUEUE.sendBatch(refreshMessages(ids, perMessage));
      const meter = invocationMeter(driver.env);
      const result = await meter.measure(() => driver.deliver(100, { env: () => meter.env }));
      expectWithin(meter.counts, 'oversized batch');
      expect(result!.retryMessages).toHaveLength(0);
      expect(feedsIn(driver.waiting)).toEqual(ids.slice(-perMessage));
      expect(driver.waiting.every((m) => m.attempts === 1)).toBe(true);
    });

    it('subscribing, importing 5,000 outlines, and the prefetch message', async () => {
      await setMeta(env.DB, SEEDED_KEY, '1');
      await setMeta(env.DB, 'last_refresh_at', String(Date.now()));
      const subscribe = invocationMeter(planEnv);
      const res = await subscribe.measure((e) =>
        callApp(
          '/api/feeds',
          {
            method: 'POST',
            headers: adminHeaders,
            body: JSON.stringify({ url: `${origin}/site/feeds/harbour-courier.rss` }),
          },
          e,
        ),
      );
      expect(res.status).toBe(201);
      expectWithin(subscribe.counts, 'POST /api/feeds');

      // In 50 folders, nested two deep, so that every row carries a folder.
      const outline = (i: number) =>
        `<outline type="rss" text="Feed ${i}" xmlUrl="https://feeds${i % 50}.example.org/feed/${i}.xml"/>`;
      const folders = Array.from(
        { length: 50 },
        (_, f) =>
          `<outline text="Topic ${f % 10}"><outline text="Folder ${f}">${Array.from({ length: 100 }, (_, i) => outline(f * 100 + i)).join('\n')}</outline></outline>`,
      );
      const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>big</title></head><body>${folders.join('\n')}</body></opml>`;
      expect(opml.length).toBeLessThan(1024 * 1024);
      // Through a held queue: a fan-out on the real one would be consumed whenever, racing the next test for its feeds.
      const importing = invocationMeter(queueDriver(planEnv).env);
      const imported = await importing.measure((e) =>
        callApp('/api/opml', { method: 'POST', headers: adminHeaders, body: opml }, e),
      );
      expect(await imported.json()).toMatchObject({ added: 5000, existing: 0 });
      expectWithin(importing.counts, 'POST /api/opml (5,000 outlines)');
      // Again, with every feed in no folder: each is filed in the file's folder, within the same budget.
      await env.DB.prepare('UPDATE feeds SET folder = NULL').run();
      const filing = invocationMeter(queueDriver(planEnv).env);
      const refiled = await filing.measure((e) =>
        callApp('/api/opml', { method: 'POST', headers: adminHeaders, body: opml }, e),
      );
      expect(await refiled.json()).toMatchObject({ added: 0, existing: 5000, filed: 5000 });
      expectWithin(filing.counts, 'POST /api/opml (5,000 outlines, all filed again)');
      const { filed } = (await env.DB.prepare(
        "SELECT COUNT(*) AS filed FROM feeds WHERE folder = 'Topic 3 / Folder 13'",
      ).first<{ filed: number }>())!;
      expect(filed).toBe(100);

      await subscribeSampleFeeds(['feeds/field-notes.atom', 'feeds/cafe-europa.rss']);
      const driver = queueDriver(planEnv);
      await driver.env.REFRESH_QUEUE.send({ kind: 'prefetch' });
      const prefetch = invocationMeter(driver.env);
      await prefetch.measure(() => driver.deliver(1, { env: () => prefetch.env }));
      expectWithin(prefetch.counts, 'prefetch message');
      const { articles } = (await env.DB.prepare('SELECT COUNT(*) AS articles FROM articles').first<{
        articles: number;
      }>())!;
      expect(articles).toBeGreaterThan(0);
    });

    it(`a batch of ${ARTICLE_BATCH_MAX} articles none of which is extracted yet, and pages by address, in one request`, async () => {
      await subscribeSampleFeeds();
      const { results: rows } = await env.DB.prepare('SELECT id FROM items ORDER BY sort_at DESC LIMIT ?')
        .bind(ARTICLE_BATCH_MAX - 2)
        .all<{ id: string }>();
      await env.DB.prepare('DELETE FROM articles').run();
      const urls = [
        `${origin}/site/workshop/2026/10/22/hand-tools-small-flat.html?budget=${plan}`,
        `${origin}/site/notes/hedgehog-census/?budget=${plan}`,
      ];
      const meter = invocationMeter(planEnv);
      const res = await meter.measure((e) =>
        callApp(
          ARTICLE_BATCH_PATH,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ ids: rows.map((r) => r.id), urls }),
          },
          e,
        ),
      );
      expect(res.status).toBe(200);
      const { results } = (await res.json()) as ArticleBatchResponse;
      expect(results).toHaveLength(ARTICLE_BATCH_MAX);
      expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(
        plan === 'free' ? 1 : ARTICLE_BATCH_MAX - 4,
      );
      expectWithin(meter.counts, `POST ${ARTICLE_BATCH_PATH} (${ARTICLE_BATCH_MAX} to extract)`);
    });

    it('the busiest pages and API routes, the first view of the day seeding and fanning out included', async () => {
      await subscribeSampleFeeds();
      const { id } = (await env.DB.prepare('SELECT id FROM items ORDER BY sort_at DESC LIMIT 1').first<{
        id: string;
      }>())!;
      await env.DB.prepare("DELETE FROM meta WHERE key IN ('seeded_at', 'last_refresh_at')").run();
      resetKeepFreshClock();
      const driver = queueDriver(planEnv);
      for (const path of [
        '/',
        '/sources',
        `/read/${id}`,
        '/api/feeds',
        '/api/items?limit=100',
        '/api/digest?limit=50',
        `/api/articles/${id}`,
        '/healthz',
        '/search?q=harbour',
        '/api/search?q=harbour&limit=50',
      ]) {
        const meter = invocationMeter(driver.env);
        const res = await meter.measure((e) => callApp(path, {}, e));
        expect(res.status, path).toBeLessThan(400);
        expectWithin(meter.counts, `GET ${path}`);
      }
      // The first view fanned out through the queue instead of fetching feeds inline.
      expect(driver.sent.map(bodyKind)).toEqual(['fan-out']);
    });
  });
}
