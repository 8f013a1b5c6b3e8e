// The cached copies of the articles kept for offline reading (their JSON, page and pictures), in the saved or the
// prefetched cache. Which copies an article has is the library's to say (sw/library.ts); this moves and deletes them.
import { CACHES } from './cache-names.ts';
import { isQuotaError } from './quota-error.ts';

/**
 * Copy, then delete: a worker stopped in between leaves a spare copy, never a missing one. A copy that does not fit
 * beside its original (storage full) is moved the other way round, the body held in memory meanwhile.
 */
export async function moveCopies(urls: string[], from: string, to: string): Promise<void> {
  const [source, target] = await Promise.all([caches.open(from), caches.open(to)]);
  for (const url of urls) {
    const response = await source.match(url);
    if (!response) continue;
    const held = response.clone();
    try {
      await target.put(url, response);
    } catch (error) {
      if (!isQuotaError(error)) throw error;
      const body = await held.arrayBuffer();
      await source.delete(url);
      // Still no room: the original goes back where it was (its space was just freed), and the move fails.
      await target.put(url, new Response(body, held)).catch(async (again: unknown) => {
        await source.put(url, new Response(body, held));
        throw again;
      });
    }
    await source.delete(url);
  }
}

/** Deletes copies from both caches, except those in `stillUsed` (articles share pictures: a site's logo). */
export async function deleteCopies(urls: string[], stillUsed: ReadonlySet<string>): Promise<void> {
  const unused = urls.filter((url) => !stillUsed.has(url));
  if (unused.length === 0) return;
  const [saved, prefetched] = await Promise.all([caches.open(CACHES.saved), caches.open(CACHES.prefetched)]);
  await Promise.all(unused.flatMap((url) => [saved.delete(url), prefetched.delete(url)]));
}

export async function deleteAllCopies(): Promise<void> {
  await Promise.all([caches.delete(CACHES.saved), caches.delete(CACHES.prefetched)]);
}
