// The refresh runs in queue consumers: POST /api/refresh answers once the feeds are enqueued. This asks for one and
// waits, over GET /api/feeds, until every feed has an outcome from it (fetched at or after the request).
import type { FeedsResponse, FeedView, RefreshQueued } from '../contract/http.ts';

export interface AwaitedRefresh {
  queued: RefreshQueued;
  feeds: FeedView[];
  ms: number;
}

export async function refreshAndWait(
  site: string,
  headers: Record<string, string>,
  options: { force?: boolean; timeoutMs?: number; pollMs?: number } = {},
): Promise<AwaitedRefresh> {
  const started = Date.now();
  const res = await fetch(`${site}/api/refresh${options.force ? '?force=1' : ''}`, { method: 'POST', headers });
  if (res.status !== 202) throw new Error(`POST /api/refresh answered ${res.status}: ${await res.text()}`);
  const queued = (await res.json()) as RefreshQueued;
  const feeds = await waitForFeeds(
    site,
    (f) => f.lastFetchedAt !== null && Date.parse(f.lastFetchedAt) >= started - 1000,
    options,
  );
  return { queued, feeds, ms: Date.now() - started };
}

/** Polls GET /api/feeds until every feed passes `done` (gone feeds count as done); throws after the timeout. */
export async function waitForFeeds(
  site: string,
  done: (feed: FeedView) => boolean,
  { timeoutMs = 300_000, pollMs = 250 }: { timeoutMs?: number; pollMs?: number } = {},
): Promise<FeedView[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { feeds } = (await (await fetch(`${site}/api/feeds`)).json()) as FeedsResponse;
    const waiting = feeds.filter((f) => f.status !== 'gone' && !done(f));
    if (waiting.length === 0) return feeds;
    if (Date.now() > deadline) {
      const some = waiting
        .slice(0, 5)
        .map((f) => `${f.url} (${f.status}, last fetched ${f.lastFetchedAt ?? 'never'})`)
        .join('; ');
      throw new Error(
        `${waiting.length} of ${feeds.length} feeds still waiting after ${timeoutMs / 1000} s, e.g. ${some}`,
      );
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
