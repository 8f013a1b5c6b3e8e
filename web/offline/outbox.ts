// What the reader puts in the service worker's outbox (articles, shared pages, actions for the server, retries) and
// what follows each: the first save asks the browser to keep the site's storage, and the sync is registered and a
// drain started, so the work is done now when online, or as soon as the browser is back online.
import type { NewAction, OfflineEntry, QueuedAction } from '../../contract/messages.ts';
import { drainOutbox, queueAction, retryAction, retryArticle, saveArticle, savePage } from '../sw-bridge.ts';
import { registerSync } from './background-sync-registration.ts';
import { isOnline } from './connectivity.ts';
import { keepStorage } from './permissions.ts';

/** Keeps an article for reading offline (saving twice keeps one entry; saving a failed one tries again). */
export async function saveForOffline(item: { itemId: string; url: string; title: string }): Promise<OfflineEntry> {
  const entry = await saveArticle(item);
  void keepStorage();
  if (entry.state === 'queued') await drainAfterReaderAction();
  return entry;
}

/**
 * Saves a page by its address (shared to the app), online or not: the worker has the edge read it and keeps it,
 * trying again until it can, with this screen closed too where the browser has Background Sync.
 */
export async function savePageForOffline(page: { pageUrl: string; title: string }): Promise<OfflineEntry> {
  const entry = await savePage(page);
  void keepStorage();
  if (entry.state === 'queued') await drainAfterReaderAction();
  return entry;
}

/** Tries a failed (or waiting) article again now, from its first attempt. */
export async function retryForOffline(itemId: string): Promise<void> {
  const entry = await retryArticle(itemId);
  if (entry?.state === 'queued') await drainAfterReaderAction();
}

/** A reader action that needs the server: kept in the outbox and sent now when online, or later. */
export async function queueReaderAction(action: NewAction): Promise<QueuedAction> {
  const queued = await queueAction(action);
  await drainAfterReaderAction();
  return queued;
}

/** Sends a failed (or waiting) action again now, from its first attempt. */
export async function retryReaderAction(id: string): Promise<void> {
  const action = await retryAction(id);
  if (action?.state === 'queued') await drainAfterReaderAction();
}

/**
 * The sync is registered before this returns, and the drain starts without the page waiting for it. It may take
 * minutes behind other work; its outcomes arrive as announcements, and a slow or failing drain must not read as a
 * failed save.
 */
async function drainAfterReaderAction(): Promise<void> {
  await registerSync();
  if (isOnline()) void drainOutbox('reader').catch(() => undefined);
}
