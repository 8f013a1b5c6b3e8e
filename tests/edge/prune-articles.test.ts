// The cron's pruning in workerd with real D1: pages read by their address are kept newest first up to the limit,
// with their image references; items' articles are left to their feeds; failures long past their retry time go.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { PAGE_BUDGET } from '../../worker-edge/articles/page-budget.ts';
import { pruneArticles } from '../../worker-edge/jobs/prune-articles.ts';
import { resetDatabase } from '../support/reset-database.ts';

beforeEach(resetDatabase);

const DAY = 24 * 60 * 60 * 1000;

function insertArticle(id: string, itemId: string | null, extractedAt: number) {
  return env.DB.prepare(
    `INSERT INTO articles (id, item_id, url, version, title, content_html, word_count, images, source, etag, extracted_at)
     VALUES (?, ?, ?, 'v1', ?, '<p>text</p>', 1, '[]', 'page', 'etag', ?)`,
  ).bind(id, itemId, `https://pages.example/${id}`, `Title ${id}`, extractedAt);
}

async function ids(sql: string): Promise<string[]> {
  return (await env.DB.prepare(sql).all<{ id: string }>()).results.map((row) => row.id).sort();
}

describe('pruning articles', () => {
  it('keeps the newest pages read by address, with their image references, and every item article', async () => {
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare(`INSERT INTO feeds (id, url, created_at) VALUES (1, 'https://feed.example/rss', ?)`).bind(now),
      env.DB.prepare(
        `INSERT INTO items (id, feed_id, title, sort_at, content_hash, first_seen_at, updated_at) VALUES ('item-old', 1, 'Old item', 0, 'h', 0, 0)`,
      ),
      insertArticle('item-old', 'item-old', now - 400 * DAY),
      ...['p1', 'p2', 'p3', 'p4', 'p5'].map((id, i) => insertArticle(id, null, now - (5 - i) * DAY)),
      ...['p1', 'p4', 'p5'].map((id) =>
        env.DB.prepare('INSERT INTO image_refs (url, article_id) VALUES (?, ?)').bind(
          `https://img.example/${id}.jpg`,
          id,
        ),
      ),
    ]);

    const result = await pruneArticles(env.DB, now, { bytes: PAGE_BUDGET.bytes, pages: 3 });

    expect(result.pageArticles).toBe(2);
    expect(await ids('SELECT id FROM articles')).toEqual(['item-old', 'p3', 'p4', 'p5']);
    expect(await ids('SELECT article_id AS id FROM image_refs')).toEqual(['p4', 'p5']);
    // Nothing more to do on the next run.
    expect((await pruneArticles(env.DB, now, { bytes: PAGE_BUDGET.bytes, pages: 3 })).pageArticles).toBe(0);
  });

  it('forgets failures a week past their retry time and keeps the rest', async () => {
    const now = Date.now();
    const insert = env.DB.prepare(
      `INSERT INTO article_failures (id, version, kind, message, retry_at) VALUES (?, 'v1', 'gone', 'Removed.', ?)`,
    );
    await env.DB.batch([
      insert.bind('long-past', now - 8 * DAY),
      insert.bind('recent', now - DAY),
      insert.bind('pending', now + DAY),
    ]);

    const result = await pruneArticles(env.DB, now);

    expect(result.failures).toBe(1);
    expect(await ids('SELECT id FROM article_failures')).toEqual(['pending', 'recent']);
  });
});
