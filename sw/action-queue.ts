// Reader actions that need the server (subscribe, unsubscribe…): the `actions` store and every change to it. Kept
// until sent, with the articles' leases (sw/lease-queue.ts) and retry rules. A sent action leaves the queue; a refused
// one stays, failed, with the reason, until the reader retries or removes it. Admin actions get the token at the
// moment they are sent, never stored.
import { adminTokenFromWindows } from './admin-token.ts';
import { broadcast } from './broadcast.ts';
import type { NewAction, QueuedAction } from '../contract/messages.ts';
import { leaseQueue, released } from './lease-queue.ts';
import { openReaderDb, stripStoredTokens, type ActionRecord } from './reader-db.ts';
import { isSameOrigin } from './same-origin.ts';
import { judgeNetworkError, judgeResponse, nextAttemptAt, type Verdict } from './retry-policy.ts';

const REQUEST_TIMEOUT_MS = 30_000;

const queue = leaseQueue('actions', { busy: 'sending' });

const NO_WINDOW = 'Waiting for the Reader to be open: the admin token stays in the page, so it is sent from there.';
const NO_TOKEN = 'No admin token in this browser: enter it on Sources, then Retry.';
const TOKEN_REFUSED = 'The admin token was refused: enter the right one on Sources, then Retry.';

function toAction(record: ActionRecord): QueuedAction {
  const { lease: _lease, notified: _notified, ...action } = record;
  return action;
}

async function write(record: ActionRecord): Promise<QueuedAction> {
  await (await openReaderDb()).put('actions', record);
  const action = toAction(record);
  await broadcast({ type: 'action-changed', action });
  return action;
}

/** Only the fields an action has: whatever else a page sends (an older page's `headers` with the token) is dropped. */
export async function queueAction(action: NewAction, now = Date.now()): Promise<QueuedAction> {
  if (!isSameOrigin(action.path)) throw new Error('An action must go to a path on this site.');
  if (!['POST', 'PATCH', 'DELETE'].includes(action.method))
    throw new Error('An action is a POST, a PATCH or a DELETE.');
  return write({
    method: action.method,
    path: action.path,
    body: action.body,
    admin: action.admin === true,
    label: String(action.label ?? ''),
    id: crypto.randomUUID(),
    state: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    createdAt: now,
    lease: null,
    notified: false,
  });
}

export async function listActions(): Promise<QueuedAction[]> {
  return (await (await openReaderDb()).getAll('actions')).sort((a, b) => a.createdAt - b.createdAt).map(toAction);
}

export const queuedActions = (): Promise<ActionRecord[]> => queue.waiting();

/**
 * Actions a stopped or replaced worker was sending go back to the queue, keeping their attempt count; returns how
 * many did.
 */
export async function reclaimActionLeases(now = Date.now()): Promise<number> {
  const back = await queue.reclaim(now);
  for (const record of back) await broadcast({ type: 'action-changed', action: toAction(record) });
  return back.length;
}

export const claimAction = (id: string, now = Date.now()): Promise<ActionRecord | null> => queue.take(id, now);

/** A DELETE whose first answer was lost (offline mid-request, worker stopped) finds the thing gone: that is done. */
const alreadyDone = (record: ActionRecord, response: Response) => record.method === 'DELETE' && response.status === 404;

async function send(record: ActionRecord, now: number): Promise<Verdict | { kind: 'wait-for-window' }> {
  const headers: Record<string, string> = record.body === undefined ? {} : { 'Content-Type': 'application/json' };
  if (record.admin) {
    const admin = await adminTokenFromWindows();
    if (admin.kind === 'no-window') return { kind: 'wait-for-window' };
    if (admin.kind === 'none') return { kind: 'fail', error: NO_TOKEN };
    headers.Authorization = `Bearer ${admin.token}`;
  }
  try {
    const response = await fetch(record.path, {
      method: record.method,
      headers,
      body: record.body === undefined ? null : JSON.stringify(record.body),
      credentials: 'same-origin',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (alreadyDone(record, response)) return { kind: 'ok' };
    if (response.status === 401 && record.admin) return { kind: 'fail', error: TOKEN_REFUSED };
    return await judgeResponse(response, now);
  } catch (error) {
    return judgeNetworkError(error);
  }
}

/** Sends a claimed action and records the outcome: sent (removed), queued for later, or failed. */
export async function sendAction(record: ActionRecord, now = Date.now()): Promise<Verdict> {
  const sent = await send(record, now);
  const verdict: Verdict =
    sent.kind === 'wait-for-window' ? { kind: 'retry', error: NO_WINDOW, retryAfterMs: null } : sent;
  const db = await openReaderDb();
  if (!(await db.get('actions', record.id))) return verdict;
  if (verdict.kind === 'ok') {
    await db.delete('actions', record.id);
    await broadcast({ type: 'action-removed', id: record.id });
  } else if (sent.kind === 'wait-for-window') {
    // Not counted as an attempt, and due at once: the next page of the site that opens sends it.
    await write({
      ...released(record),
      state: 'queued',
      attempts: record.attempts - 1,
      lastError: NO_WINDOW,
      nextAttemptAt: now,
    });
  } else if (verdict.kind === 'retry') {
    await write({
      ...released(record),
      state: 'queued',
      lastError: verdict.error,
      nextAttemptAt: nextAttemptAt(record.attempts, verdict.retryAfterMs, now),
    });
  } else {
    await write({
      ...released(record),
      state: 'failed',
      lastError: verdict.error,
      nextAttemptAt: null,
      notified: false,
    });
  }
  return verdict;
}

/** The reader's "try again": from the first attempt, now. An action being sent is left to finish. */
export async function retryAction(id: string, now = Date.now()): Promise<QueuedAction | null> {
  const current = await (await openReaderDb()).get('actions', id);
  if (!current || current.state === 'sending') return current ? toAction(current) : null;
  return write({
    ...current,
    state: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    lease: null,
    notified: false,
  });
}

export async function removeAction(id: string): Promise<void> {
  await (await openReaderDb()).delete('actions', id);
  await broadcast({ type: 'action-removed', id });
}

/** Failed actions the reader has not been told about yet. */
export async function unnotifiedActionFailures(): Promise<ActionRecord[]> {
  const failed = await (await openReaderDb()).getAllFromIndex('actions', 'by-state', 'failed');
  return failed.filter((record) => !record.notified);
}

export async function markActionsNotified(ids: string[]): Promise<void> {
  const db = await openReaderDb();
  const tx = db.transaction('actions', 'readwrite');
  for (const id of ids) {
    const record = await tx.store.get(id);
    if (record) await tx.store.put({ ...record, notified: true });
  }
  await tx.done;
}

/**
 * The reader forgot the admin token. The worker never keeps it (sw/admin-token.ts asks a window per request); what
 * may be left is what version 1 copied into queued actions: the v2 upgrade strips it when the database is first
 * opened, and this does the same pass again, so no copy outlives Forget whichever worker ran before.
 */
export async function forgetStoredTokens(): Promise<void> {
  const tx = (await openReaderDb()).transaction('actions', 'readwrite');
  await stripStoredTokens(tx.store);
  await tx.done;
}

export async function clearActions(): Promise<void> {
  const db = await openReaderDb();
  const ids = await db.getAllKeys('actions');
  await db.clear('actions');
  for (const id of ids) await broadcast({ type: 'action-removed', id });
}
