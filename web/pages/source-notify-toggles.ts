// /sources: "Notify me of new articles" on each source's row, a choice kept on this device (the service worker's
// sw/source-notifications.ts). Made here, not by the server: without this script and a service worker nothing
// could keep the choice or notify, so there is no control to show. The list is re-rendered after admin changes,
// so rows that come later get their switch too.
import { SOURCE_NOTIFICATIONS_PER_DAY } from '../../contract/messages.ts';
import { el, errorText, say } from '../dom.ts';
import { capabilities } from '../offline/capabilities.ts';
import { requestNotificationPermission } from '../offline/permissions.ts';
import { setSourceNotify, sourceNotifications } from '../sw-bridge.ts';

const HELP_ID = 'source-notify-help';
const STATUS_ID = 'source-notify-status';

function explain(): HTMLElement {
  const status = el('p', { id: STATUS_ID, class: 'form-status', role: 'status' });
  const help = el(
    'p',
    { id: HELP_ID, class: 'help source-notify-help' },
    `A source set to notify you sends at most ${SOURCE_NOTIFICATIONS_PER_DAY} notifications a day to this device, ` +
      'when the background refresh finds new articles, and none while the reader is on screen.',
  );
  const wrapper = el('div', { class: 'source-notify-intro' }, help, status);
  const intro = document.querySelector('.page-head');
  if (intro) intro.append(wrapper);
  else document.querySelector('main')?.prepend(wrapper);
  return status;
}

function addSwitch(row: HTMLElement, chosen: Set<number>, status: HTMLElement): void {
  const feedId = Number(row.dataset.feedId);
  if (!Number.isSafeInteger(feedId) || row.querySelector('[data-notify-source]')) return;
  const title = row.querySelector('h3')?.textContent?.trim() ?? '';
  const box = el('input', {
    type: 'checkbox',
    'data-notify-source': String(feedId),
    'aria-describedby': HELP_ID,
  });
  box.checked = chosen.has(feedId);
  const label = el(
    'label',
    { class: 'source-notify' },
    box,
    ' Notify me of new articles',
    el('span', { class: 'visually-hidden' }, ` from ${title}`),
  );
  box.addEventListener('change', async () => {
    const wanted = box.checked;
    box.disabled = true;
    try {
      // Asked on the reader's own click, as browsers want.
      if (wanted && (await requestNotificationPermission()) !== 'granted') {
        box.checked = false;
        say(
          status,
          'Notifications are blocked for this site: allow them in the browser’s site settings first.',
          'error',
        );
        return;
      }
      const now = await setSourceNotify({ feedId, title, notify: wanted });
      chosen.clear();
      for (const id of now.feedIds) chosen.add(id);
      box.checked = chosen.has(feedId);
      say(
        status,
        wanted ? `You will be notified of new articles from ${title}.` : `No more notifications from ${title}.`,
        'ok',
      );
    } catch (error) {
      box.checked = !wanted;
      say(status, `That did not work: ${errorText(error)}`, 'error');
    } finally {
      box.disabled = false;
    }
  });
  const health = row.querySelector('.source-health');
  if (health) health.after(el('p', { class: 'source-notify-row' }, label));
  else row.append(el('p', { class: 'source-notify-row' }, label));
}

export async function offerSourceNotifications(): Promise<void> {
  // Only the periodic sync looks for news with the reader away; without it (Firefox, Safari) nothing would notify.
  const can = capabilities();
  if (!can.notifications || !can.periodicSync) return;
  const chosen = new Set((await sourceNotifications()).feedIds);
  const status = explain();
  const addAll = () => {
    for (const row of document.querySelectorAll<HTMLElement>('li.source[data-feed-id]')) addSwitch(row, chosen, status);
  };
  addAll();
  const main = document.querySelector('main');
  if (main) new MutationObserver(addAll).observe(main, { childList: true, subtree: true });
  document.body.dataset.sourceNotify = 'ready';
}
