// The digest carries only articles the edge has extracted, and locally crons do not fire by themselves: a browser
// test (or the screenshots) that wants the newest articles on the device runs the cron's prefetch first, as
// production's cron does, and waits for the extractions to land.
import type { Digest, DigestItem } from '../../../contract/http.ts';
import { eventually } from '../../support/eventually.ts';

/**
 * Runs the cron once and waits until the digest carries at least `atLeast` extracted articles; returns the digest's
 * items that have one, in the digest's order.
 */
export async function runCronUntilDigestHasArticles(site: string, atLeast = 10): Promise<DigestItem[]> {
  await fetch(`${site}/__scheduled?cron=${encodeURIComponent('*/15 * * * *')}`);
  return eventually(
    async () => {
      const digest = (await (await fetch(`${site}/api/digest`)).json()) as Digest;
      const withArticles = digest.items.filter((item) => item.article);
      return withArticles.length >= atLeast ? withArticles : undefined;
    },
    { timeoutMs: 60_000 },
  );
}
