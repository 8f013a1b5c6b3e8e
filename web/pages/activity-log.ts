// The settings page's log of background work on this device: every sync, periodic sync and page-triggered run,
// newest first, with what it fetched and what failed; new runs appear as the service worker announces them.
import type { ActivityEntry, RoomDropReason } from '../../contract/messages.ts';
import { byId, el } from '../dom.ts';
import { activityLog, onActivity } from '../sw-bridge.ts';
import { formatBytes, formatLocal, formatWhen } from './format.ts';

const KIND_WORDS: Record<ActivityEntry['kind'], string> = {
  'fetch-articles': 'Articles you asked for',
  'refresh-digest': 'Background refresh',
  'make-room': 'Storage full',
};

const TRIGGER_WORDS: Record<ActivityEntry['trigger'], string> = {
  sync: 'Background Sync',
  periodicsync: 'Periodic Sync',
  'worker-start': 'service worker start',
  'page-load': 'page opened',
  online: 'back online',
  visible: 'reader shown',
  timer: 'timer',
  reader: 'your request',
  'storage-full': 'storage running out',
};

const ROOM_REASON_WORDS: Record<RoomDropReason, string> = {
  read: 'read',
  'too-old': 'older than the days kept',
  'beyond-newest': 'beyond the newest kept',
  'over-budget': 'over the space allowed',
  'oldest-held': 'the oldest held',
};

/** "Dropped to make room: “A” (read), “B” (the oldest held)": what making room took, in the order it went. */
const droppedWords = (dropped: NonNullable<ActivityEntry['dropped']>) =>
  `Dropped to make room: ${dropped.map((d) => `“${d.title || 'Untitled'}” (${ROOM_REASON_WORDS[d.reason]})`).join(', ')}`;

function activityRow(entry: ActivityEntry): HTMLTableRowElement {
  const fetched = entry.fetched.length
    ? `${entry.fetched.length} (${formatBytes(entry.fetched.reduce((sum, f) => sum + f.bytes, 0))}): ${entry.fetched.map((f) => f.title).join(', ')}`
    : entry.notModified
      ? 'Nothing new'
      : 'None';
  const failed = entry.failed.length
    ? entry.failed.map((f) => `${f.title}: ${f.error}${f.willRetry ? ' (will retry)' : ''}`).join('; ')
    : '';
  const what = entry.dropped
    ? `${KIND_WORDS[entry.kind]}. ${droppedWords(entry.dropped)}`
    : `${KIND_WORDS[entry.kind]}, by ${TRIGGER_WORDS[entry.trigger]}${entry.lastChance ? ' (last try)' : ''}`;
  const actions = entry.actions.length
    ? `; ${entry.actions.map((a) => `${a.label}: ${a.ok ? 'sent' : (a.error ?? 'failed')}`).join('; ')}`
    : '';
  return el(
    'tr',
    {},
    el(
      'td',
      { 'data-label': 'When' },
      el('time', { datetime: new Date(entry.at).toISOString(), title: formatLocal(entry.at) }, formatWhen(entry.at)),
    ),
    el('td', { 'data-label': 'What' }, what),
    el('td', { 'data-label': 'Fetched' }, fetched + actions),
    el('td', { 'data-label': 'Failed' }, failed),
  );
}

export async function showActivity(): Promise<void> {
  const table = byId<HTMLTableElement>('activity-log');
  const body = table?.tBodies[0];
  if (!table || !body) return;
  const render = (entries: ActivityEntry[]) => {
    body.replaceChildren(...entries.map(activityRow));
    table.hidden = entries.length === 0;
    const empty = byId('activity-empty');
    if (empty) empty.hidden = entries.length > 0;
  };
  let entries = await activityLog();
  render(entries);
  onActivity((entry) => {
    entries = [entry, ...entries.filter((e) => e.id !== entry.id)];
    render(entries);
  });
}
