// Reader actions that need the server (subscribe, unsubscribe…), kept in the outbox until sent, with the same
// leases and retry rules as articles. A sent action leaves the queue; a refused one stays, failed, with the reason.
import { broadcast } from './broadcast.ts';
import type { NewAction, QueuedAction } from './messages.ts';
import { openOutbox, type ActionRecord } from './outbox-db.ts';
import { isSameOrigin } from './same-origin.ts';
import { judgeNetworkError, judgeResponse, nextAttemptAt, type Verdict } from './retry-policy.ts';

const LEASE_MS = 2 * 60 * 1000;
const REQUEST_TIMEOUT_MS = 30_000;
const WORKER_INSTANCE = crypto.randomUUID();

function toAction(record: ActionRecord): QueuedAction {
  const { lease: _lease, ...action } = record;
  return action;
}

async function write(record: ActionRecord): Promise<QueuedAction> {
  await (await openOutbox()).put('actions', record);
  const action = toAction(record);
  await broadcast({ type: 'action-changed', action });
  return action;
}

export async function queueAction(action: NewAction, now = Date.now()): Promise<QueuedAction> {
  if (!isSameOrigin(action.path)) throw new Error('An action must go to a path on this site.');
  return write({ ...action, id: crypto.randomUUID(), state: 'queued', attempts: 0, nextAttemptAt: now, lastError: null, createdAt: now, lease: null });
}

export async function listActions(): Promise<QueuedAction[]> {
  return (await (await openOutbox()).getAll('actions')).sort((a, b) => a.createdAt - b.createdAt).map(toAction);
}

export async function queuedActions(): Promise<ActionRecord[]> {
  return (await openOutbox()).getAllFromIndex('actions', 'by-state', 'queued');
}

export async function reclaimActionLeases(now = Date.now()): Promise<void> {
  const db = await openOutbox();
  for (const record of await db.getAllFromIndex('actions', 'by-state', 'sending')) {
    if (record.lease?.owner === WORKER_INSTANCE && record.lease.until > now) continue;
    await write({ ...record, state: 'queued', lease: null, nextAttemptAt: now });
  }
}

export async function claimAction(id: string, now = Date.now()): Promise<ActionRecord | null> {
  const db = await openOutbox();
  const tx = db.transaction('actions', 'readwrite');
  const current = await tx.store.get(id);
  if (current?.state !== 'queued') {
    await tx.done;
    return null;
  }
  const record: ActionRecord = { ...current, state: 'sending', attempts: current.attempts + 1, lease: { owner: WORKER_INSTANCE, until: now + LEASE_MS } };
  await tx.store.put(record);
  await tx.done;
  return record;
}

/** Sends a claimed action and records the outcome: sent (removed), queued for later, or failed. */
export async function sendAction(record: ActionRecord, now = Date.now()): Promise<Verdict> {
  let verdict: Verdict;
  try {
    const response = await fetch(record.path, {
      method: record.method,
      headers: { ...(record.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...record.headers },
      body: record.body === undefined ? null : JSON.stringify(record.body),
      credentials: 'same-origin',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    verdict = await judgeResponse(response, now);
  } catch (error) {
    verdict = judgeNetworkError(error);
  }
  const db = await openOutbox();
  if (!(await db.get('actions', record.id))) return verdict;
  if (verdict.kind === 'ok') {
    await db.delete('actions', record.id);
    await broadcast({ type: 'action-removed', id: record.id });
  } else if (verdict.kind === 'retry') {
    await write({ ...record, state: 'queued', lease: null, lastError: verdict.error, nextAttemptAt: nextAttemptAt(record.attempts, verdict.retryAfterMs, now) });
  } else {
    await write({ ...record, state: 'failed', lease: null, lastError: verdict.error, nextAttemptAt: null });
  }
  return verdict;
}

export async function clearActions(): Promise<void> {
  const db = await openOutbox();
  const ids = await db.getAllKeys('actions');
  await db.clear('actions');
  for (const id of ids) await broadcast({ type: 'action-removed', id });
}
