// The offline policy in the reader's words, for Settings and Saved: what it keeps, what the connection lets it do
// here (only what the browser says: navigator.connection, which many browsers leave out), and what goes next.
import { type ConnectionHints, connectionKind } from '../../contract/connection-kind.ts';
import type { OfflinePolicyStatus, ReaderSettings } from '../../contract/messages.ts';
import { formatBytes, formatLocal } from './format.ts';

const days = (n: number) => (n === 1 ? 'day' : `${n} days`);

/** "The newest 10 unread articles from the last 7 days, within 50 MB, on any connection." */
export function policyWords(settings: ReaderSettings): string {
  if (settings.keepNewest === 0) return 'Nothing is downloaded automatically: newest articles to keep offline is None.';
  const age = settings.keepDays > 0 ? ` from the last ${days(settings.keepDays)}` : '';
  const where = settings.unmeteredOnly ? 'only on unmetered connections' : 'on any connection';
  return `The newest ${settings.keepNewest} unread articles${age}, within ${settings.budgetMb} MB, ${where}.`;
}

const hints = () => (navigator as Navigator & { connection?: ConnectionHints }).connection;

/** Whether "only on unmetered connections" can work here at all: not where the browser says nothing. */
export const connectionIsDescribed = () => hints() !== undefined;

/** What the browser says about the connection now, and what "only on unmetered connections" does with it. */
export function connectionWords(): string {
  const described = hints();
  if (!described)
    return 'This browser does not say what kind of connection it is on, so downloads cannot wait for Wi-Fi here: they happen on any connection.';
  const kind = connectionKind(described);
  if (kind.kind === 'metered') {
    const now = kind.why === 'save-data' ? 'Data Saver is on' : 'This device is on mobile data';
    return `${now}: with this on, downloads wait for an unmetered connection.`;
  }
  if (kind.kind === 'unmetered') return `This device is on ${kind.why === 'wifi' ? 'Wi-Fi' : 'a wired connection'}.`;
  return 'This browser does not say whether it is on Wi-Fi or mobile data, only whether Data Saver is on: with this on, downloads wait while Data Saver is on.';
}

const WHY_NOW = {
  read: 'you have read it',
  'too-old': 'it is older than the days you keep',
  'beyond-newest': 'it is no longer among the newest you keep',
  'over-budget': 'the kept articles are over the space they may take',
} as const;

/** How much the policy holds now. */
export function heldWords(status: OfflinePolicyStatus): string {
  if (status.held === 0) return 'It holds no articles on this device now.';
  const articles = status.held === 1 ? '1 article' : `${status.held} articles`;
  return `It holds ${articles} on this device now, ${formatBytes(status.heldBytes)}.`;
}

/** The next article the policy lets go, and why: at the next refresh (read, too old, over budget), or the oldest. */
export function nextToGoWords(status: OfflinePolicyStatus): string {
  const next = status.next;
  if (!next) return 'Nothing is due to go.';
  const title = `“${next.title || 'Untitled'}”`;
  if (status.dueAtNextRefresh > 0) {
    const more = status.dueAtNextRefresh - 1;
    const with_ = more > 0 ? ` (and ${more} more)` : '';
    return `Next to go: ${title}${with_}, at the next refresh: ${WHY_NOW[next.reason]}.`;
  }
  if (next.at !== null)
    return `Next to go: ${title}, the oldest: on ${formatLocal(next.at)} it is older than the days you keep, or sooner when newer articles arrive.`;
  return `Next to go: ${title}, the oldest, when newer articles arrive.`;
}
