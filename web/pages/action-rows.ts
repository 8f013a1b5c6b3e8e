// A reader action waiting to be sent, or refused by the server, as a row: what it was, why it waits or failed, and
// Retry / Remove. Shown on /saved with everything else that waits, and on /sources, where the reader made it.
import type { QueuedAction } from '../../contract/messages.ts';
import { el, quietButton } from '../dom.ts';
import { isOnline } from '../offline/connectivity.ts';
import { retryReaderAction } from '../offline/outbox.ts';
import { removeAction } from '../sw-bridge.ts';
import { formatWhen } from './format.ts';

function whatNext(action: QueuedAction): string {
  if (action.state === 'failed')
    return `${action.lastError ?? 'The server refused it.'} It will not be sent again unless you retry.`;
  if (action.state === 'sending') return 'Sending it now.';
  if (!isOnline()) return 'You are offline: it is sent as soon as you are back online.';
  const reason = action.lastError ? `${action.lastError} ` : '';
  return `${reason}Sending ${action.nextAttemptAt && action.nextAttemptAt > Date.now() ? formatWhen(action.nextAttemptAt) : 'shortly'}.`;
}

export function actionRow(action: QueuedAction, onError: (message: string) => void): HTMLLIElement {
  return el(
    'li',
    { 'data-action-id': action.id, 'data-action-state': action.state },
    el('span', { class: 'saved-title' }, action.label),
    el('span', { class: 'saved-detail' }, action.state === 'failed' ? 'Not sent' : 'Waiting to be sent'),
    el(
      'span',
      { class: 'saved-actions' },
      action.state !== 'sending' &&
        quietButton('Retry', `Retry “${action.label}”`, () => retryReaderAction(action.id), onError),
      quietButton('Remove', `Remove “${action.label}”`, () => removeAction(action.id), onError),
    ),
    el('p', { class: 'saved-reason' }, whatNext(action)),
  );
}
