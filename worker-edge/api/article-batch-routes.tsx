// POST /api/articles/batch: the articles a client asks for at once ({ ids, urls }), each with its page as
// /read/:id renders it, in one round trip. Every article has its own outcome, with the status and Retry-After the
// single-article call would answer. Within one invocation's budget: at most ARTICLE_BATCH_MAX asked, the plan's
// extractions, BATCH_RESPONSE_BYTES answered; the rest are `deferred`. Pages by address count one by one against
// the same per-client limit as GET /api/articles?url=.
import { Hono, type Context } from 'hono';
import {
  ARTICLE_BATCH_MAX,
  type ArticleBatchResult,
  type ArticleBatchResponse,
  type ErrorCode,
} from '../../contract/http.ts';
import { articleFetchSettings } from '../jobs/article-settings.ts';
import { articlesForBatch, type BatchOutcome } from '../jobs/get-article-batch.ts';
import { BATCH_RESPONSE_BYTES, extractionsPerBatch, planBudget } from '../platform/plan-budget.ts';
import { neighboursOfItems } from '../store/items-store.ts';
import { pageSecurity } from '../middleware/page-security.ts';
import { clientKey } from '../middleware/rate-limit.ts';
import { ArticlePage, NO_NEIGHBOURS } from '../pages/read-page.tsx';
import { ApiFailure } from './api-failure.ts';
import { toApiFailure } from './article-failure-status.ts';
import { readJsonObject } from './request-input.ts';
import { stepTimer } from './step-timer.ts';
import { toArticleView } from './views.ts';

export const articleBatchRoutes = new Hono<{ Bindings: Env }>();

/** Longest id or address accepted: ids are short hashes, addresses as long as browsers keep them. */
const MAX_KEY_LENGTH = 2048;
const DEFERRED_RETRY_SECONDS = 1;
const RATE_LIMIT_RETRY_SECONDS = 60;

function stringList(body: Record<string, unknown>, name: 'ids' | 'urls'): string[] {
  const value = body[name] ?? [];
  if (
    !Array.isArray(value) ||
    !value.every((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_KEY_LENGTH)
  ) {
    throw new ApiFailure(
      400,
      'bad_request',
      `${name} must be a list of non-empty strings of at most ${MAX_KEY_LENGTH} characters.`,
    );
  }
  return [...new Set(value)];
}

type Failure = { status: number; code: ErrorCode; message: string; retryAfterSeconds: number | null };

function failureOf(outcome: Exclude<BatchOutcome, { kind: 'article' }>): Failure {
  switch (outcome.kind) {
    case 'missing':
      return {
        status: 404,
        code: 'not_found',
        message: 'No item has that id; it may have been removed from its feed.',
        retryAfterSeconds: null,
      };
    case 'deferred':
      return {
        status: 503,
        code: 'deferred',
        message: 'This batch carried as much as one answer may; ask again for this one.',
        retryAfterSeconds: DEFERRED_RETRY_SECONDS,
      };
    case 'failed': {
      const failure = toApiFailure(outcome.failure);
      const retryAfter = failure.headers['Retry-After'];
      return {
        status: failure.status,
        code: failure.code,
        message: failure.message,
        retryAfterSeconds: retryAfter ? Number(retryAfter) : null,
      };
    }
  }
}

/** Pages by address past the client's limit are answered 429 here, never fetched; the rest are counted one by one. */
async function allowedUrls(c: Context<{ Bindings: Env }>, urls: string[]): Promise<Set<string>> {
  const key = clientKey(c.req.header('CF-Connecting-IP'));
  const allowed = new Set<string>();
  for (const url of urls) if ((await c.env.EXTRACT_LIMITER.limit({ key })).success) allowed.add(url);
  return allowed;
}

/** The answer as ArticleBatchResponse describes it, a result to a line (JSON.stringify writes no raw newline). */
function batchDocument(results: ArticleBatchResult[]): string {
  const document: ArticleBatchResponse = { results };
  return `{"results":[\n${document.results.map((result) => JSON.stringify(result)).join(',\n')}\n]}`;
}

articleBatchRoutes.use('*', pageSecurity());

articleBatchRoutes.post('/', async (c) => {
  const timing = stepTimer();
  const body = await readJsonObject(c);
  const ids = stringList(body, 'ids');
  const urls = stringList(body, 'urls');
  if (ids.length + urls.length > ARTICLE_BATCH_MAX) {
    throw new ApiFailure(
      400,
      'bad_request',
      `Ask for at most ${ARTICLE_BATCH_MAX} articles at once (ids and urls together).`,
    );
  }
  const allowed = await allowedUrls(c, urls);
  const budget = planBudget(c.env.PLAN);
  // The newer and older items around each page are asked for at once with the articles: ids that are not items
  // (a page saved by its address) simply have none.
  const [outcomes, neighbours] = await Promise.all([
    articlesForBatch(
      c.env.DB,
      { ids, urls: urls.filter((url) => allowed.has(url)) },
      articleFetchSettings(c.env),
      { extractions: extractionsPerBatch(budget, ARTICLE_BATCH_MAX), atOnce: budget.connections },
      Date.now(),
    ),
    neighboursOfItems(c.env.DB, ids),
  ]);
  timing.step('articles');
  const asked = [
    ...ids.map((id) => ({ key: { id }, outcome: outcomes.ids.get(id) })),
    ...urls.map((url) => ({ key: { url }, outcome: outcomes.urls.get(url) })),
  ];

  let bytes = 0;
  const results: ArticleBatchResult[] = [];
  for (const { key, outcome } of asked) {
    if (!outcome) {
      // A page by address past the client's limit.
      const message = 'Too many pages read by their address from your address; try again in a minute.';
      results.push({
        ...key,
        ok: false,
        status: 429,
        error: { code: 'rate_limited', message },
        retryAfterSeconds: RATE_LIMIT_RETRY_SECONDS,
      });
      continue;
    }
    if (outcome.kind === 'article') {
      const article = toArticleView(outcome.stored.article);
      const around = outcome.item ? (neighbours.get(outcome.item.id) ?? NO_NEIGHBOURS) : NO_NEIGHBOURS;
      const pageHtml = await (
        <ArticlePage article={article} feedTitle={outcome.item?.feedTitle ?? null} neighbours={around} />
      ).toString();
      bytes += article.contentHtml.length + pageHtml.length;
      if (bytes <= BATCH_RESPONSE_BYTES || results.every((r) => !r.ok)) {
        results.push({ ...key, ok: true, status: 200, article, etag: outcome.stored.etag, pageHtml });
        continue;
      }
    }
    const failure = failureOf(outcome.kind === 'article' ? { kind: 'deferred' } : outcome);
    results.push({
      ...key,
      ok: false,
      status: failure.status,
      error: { code: failure.code, message: failure.message },
      retryAfterSeconds: failure.retryAfterSeconds,
    });
  }
  timing.step('render');
  const response = batchDocument(results);
  timing.step('json');
  return c.body(response, 200, {
    'Content-Type': 'application/json; charset=UTF-8',
    'Cache-Control': 'no-store',
    'Server-Timing': timing.header(),
  });
});
