// The outbox: what is waiting to be done, from the library (articles to fetch, a ready article's missing pictures)
// and the action queue (changes to send), soonest due first. The drain (sw/drain-outbox.ts) works through it.
import { queuedActions, reclaimActionLeases } from './action-queue.ts';
import { articlesMissingImages, queuedArticles, reclaimArticleLeases } from './library.ts';

export interface Job {
  kind: 'article' | 'images' | 'action';
  id: string;
  dueAt: number;
  /** An article saved by its address: what the edge is asked for while it waits under a provisional id. */
  pageUrl?: string;
}

export const jobKey = (job: Job) => `${job.kind}:${job.id}`;

export async function waitingJobs(): Promise<Job[]> {
  const [articles, missingImages, actions] = await Promise.all([
    queuedArticles(),
    articlesMissingImages(),
    queuedActions(),
  ]);
  return [
    ...articles.map(
      (record): Job => ({
        kind: 'article',
        id: record.itemId,
        dueAt: record.nextAttemptAt ?? 0,
        pageUrl: record.pageUrl,
      }),
    ),
    ...missingImages.map((record): Job => ({ kind: 'images', id: record.itemId, dueAt: record.nextAttemptAt ?? 0 })),
    ...actions.map((record): Job => ({ kind: 'action', id: record.id, dueAt: record.nextAttemptAt ?? 0 })),
  ].sort((a, b) => a.dueAt - b.dueAt);
}

/** Work a stopped or replaced worker held goes back to the queue; returns how much did. */
export async function reclaimLeases(now = Date.now()): Promise<number> {
  const back = await Promise.all([reclaimArticleLeases(now), reclaimActionLeases(now)]);
  return back[0] + back[1];
}
