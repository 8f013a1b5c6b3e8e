// The one set of words for where an article stands on this device, used wherever it is shown: the save control on
// the article and the offline page, the mark beside an item in a list, and the rows on Saved. Each state has one
// sentence (what is true now, online or offline) and, where the reader can do something about it, one action.
import type { OfflineEntry } from '../../contract/messages.ts';

/** An article the reader kept: never dropped. */
export const KEPT_WORDS = 'Saved for offline';
/** An article whose copy is here by the background refresh or a past read: it opens offline, until it is dropped. */
export const READABLE_FOR_NOW = 'Offline for now, may be dropped';

/** What is true of this article on this device now. */
export function stateWords(entry: OfflineEntry, online: boolean): string {
  switch (entry.state) {
    case 'queued':
      if (entry.lastError && entry.attempts > 0) return `Waiting to try again: ${entry.lastError}`;
      // Online, a drain starts as soon as it is queued: it is downloading, or about to.
      return online ? 'Saving for offline…' : "Queued: downloads when you're back online";
    case 'fetching':
      return 'Saving for offline…';
    case 'ready':
      return entry.saved ? KEPT_WORDS : READABLE_FOR_NOW;
    case 'failed':
      return `Could not save${entry.lastError ? `: ${entry.lastError}` : ''}`;
  }
}

/**
 * What the reader can do about it, when anything: keep what the background refresh downloaded (it is dropped when
 * newer articles come, or storage runs low), try a failed one again (offline, that queues it for the connection's
 * return), or try a waiting one now, which only a connection can do: offline it is tried when the connection returns.
 */
export function actionWords(entry: OfflineEntry, online: boolean): string | null {
  if (entry.state === 'ready' && !entry.saved) return 'Keep offline';
  if (entry.state === 'failed') return 'Try again';
  if (online && entry.state === 'queued' && entry.lastError && entry.attempts > 0) return 'Try again now';
  return null;
}
