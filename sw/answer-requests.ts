// Answers the page's requests (contract/messages.ts), one handler per request type, each reply on the port it came with.
import {
  clearActions,
  forgetStoredTokens,
  listActions,
  queueAction,
  removeAction,
  retryAction,
} from './action-queue.ts';
import { activityLog, clearActivity } from './activity-log.ts';
import { articlesOnDevice, readableHere } from './articles-on-device.ts';
import { updateBadge } from './app-badge.ts';
import { CACHES } from './cache-names.ts';
import { titleOnDevice } from './digest-titles.ts';
import { answerDeviceSearch } from './device-search-answer.ts';
import { drainOutbox } from './drain-outbox.ts';
import {
  isRequestMessage,
  type ReplyMessage,
  type RequestMessage,
  type RequestType,
  type Requests,
} from '../contract/messages.ts';
import { readUrl } from '../contract/paths.ts';
import {
  clearArticles,
  listArticles,
  markRead,
  removeArticle,
  retryArticle,
  saveArticle,
  savePage,
  setUnread,
} from './library.ts';
import { readAmong, setRead } from './read-state.ts';
import { forgetAll } from './reader-db.ts';
import { isSameOrigin } from './same-origin.ts';
import { refreshDigest } from './periodic-refresh.ts';
import { applyPolicyChange, offlinePolicyStatus } from './prefetch-bounds.ts';
import { getSettings, updateSettings } from './settings-store.ts';
import { setSourceNotify, sourceNotifications } from './source-notifications.ts';

declare const self: ServiceWorkerGlobalScope;

type Handlers = { [K in RequestType]: (payload: Requests[K]['request']) => Promise<Requests[K]['reply']> };

function itemIdOf(payload: { itemId?: unknown }): string {
  if (typeof payload.itemId !== 'string' || payload.itemId === '') throw new Error('An item id is needed.');
  return payload.itemId;
}

function itemIdsOf(payload: { itemIds?: unknown }): string[] {
  const ids = payload.itemIds;
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' && id !== ''))
    throw new Error('A list of item ids is needed.');
  return ids as string[];
}

function idOf(payload: { id?: unknown }): string {
  if (typeof payload.id !== 'string' || payload.id === '') throw new Error('An action id is needed.');
  return payload.id;
}

/** Only a page of this site may be opened from an entry. */
const pagePath = (url: unknown, itemId: string) => (isSameOrigin(url) ? url : readUrl(itemId));

/** A page saved by its address must be a web page: an absolute http(s) URL. */
function pageUrlOf(payload: { pageUrl?: unknown }): string {
  const parsed = typeof payload.pageUrl === 'string' ? URL.parse(payload.pageUrl) : null;
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
    throw new Error('A web address (http or https) is needed.');
  return parsed.href;
}

async function clearOfflineData(): Promise<null> {
  await Promise.all([clearArticles(), clearActions(), clearActivity()]);
  await Promise.all([CACHES.pages, CACHES.articles, CACHES.images, CACHES.api].map((name) => caches.delete(name)));
  // Without its articles the last digest's ETag would make the next refresh a 304 that downloads nothing.
  await forgetAll();
  await updateBadge();
  return null;
}

const handlers: Handlers = {
  'save-article': (item) => {
    const itemId = itemIdOf(item);
    return saveArticle({
      itemId,
      url: pagePath(item.url, itemId),
      title: typeof item.title === 'string' ? item.title : '',
    });
  },
  'save-page': (page) =>
    savePage({ pageUrl: pageUrlOf(page), title: typeof page.title === 'string' ? page.title : '' }),
  'remove-article': async (payload) => {
    await removeArticle(itemIdOf(payload));
    await updateBadge();
    return null;
  },
  'retry-article': (payload) => retryArticle(itemIdOf(payload)),
  'list-offline': () => listArticles(),
  'list-readable': () => articlesOnDevice(),
  'title-on-device': async (payload) => ({ title: await titleOnDevice(itemIdOf(payload)) }),
  'drain-outbox': ({ trigger }) => drainOutbox({ trigger }),
  'get-settings': () => getSettings(),
  'update-settings': async (patch) => {
    const before = await getSettings();
    const after = await updateSettings(patch ?? {});
    await applyPolicyChange(before, after);
    await updateBadge();
    return after;
  },
  'activity-log': () => activityLog(),
  'clear-offline-data': () => clearOfflineData(),
  'mark-read': async (payload) => {
    const itemId = itemIdOf(payload);
    await setRead([itemId], true);
    await markRead(itemId);
    return { unread: await updateBadge() };
  },
  'set-read': async (payload) => {
    const read = payload.read === true;
    await setUnread(await setRead(itemIdsOf(payload), read), !read);
    return { unread: await updateBadge() };
  },
  'read-marks': async (payload) => ({ read: await readAmong(itemIdsOf(payload)) }),
  'queue-action': (action) => queueAction(action),
  'list-actions': () => listActions(),
  'retry-action': (payload) => retryAction(idOf(payload)),
  'remove-action': async (payload) => {
    await removeAction(idOf(payload));
    return null;
  },
  'forget-admin-token': async () => {
    await forgetStoredTokens();
    return null;
  },
  'refresh-digest': ({ trigger }) => refreshDigest(trigger),
  'offline-policy-status': async () => offlinePolicyStatus(await getSettings()),
  'skip-waiting': async () => {
    await self.skipWaiting();
    return null;
  },
  'source-notifications': () => sourceNotifications(),
  'set-source-notify': (choice) => {
    if (!Number.isSafeInteger(choice?.feedId) || choice.feedId < 1) throw new Error('A source id is needed.');
    return setSourceNotify({
      feedId: choice.feedId,
      title: typeof choice.title === 'string' ? choice.title : '',
      notify: choice.notify === true,
    });
  },
  'search-device': (question) => answerDeviceSearch(question),
  'open-offline': async (payload) => {
    const onDevice = await readableHere();
    const itemIds = itemIdsOf(payload).filter((id) => onDevice.has(id));
    return { itemIds, kept: itemIds.filter((id) => onDevice.get(id) === 'kept') };
  },
};

async function answer(message: RequestMessage, port: MessagePort | undefined): Promise<void> {
  let reply: ReplyMessage;
  try {
    const handler = handlers[message.type] as (payload: unknown) => Promise<unknown>;
    reply = { ok: true, value: await handler(message.payload) } as ReplyMessage;
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  port?.postMessage(reply);
}

export function answerRequest(event: ExtendableMessageEvent): void {
  if (!isRequestMessage(event.data)) return;
  // waitUntil keeps the worker alive until the reply is sent, even for a long drain.
  event.waitUntil(answer(event.data, event.ports[0]));
}
