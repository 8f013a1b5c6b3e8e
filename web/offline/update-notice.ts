// A new version of the service worker is waiting: say so and let the reader choose when to reload. It never
// takes over an open page by itself.
import { el } from '../dom.ts';
import { applyUpdate, onUpdateReady } from '../sw-bridge.ts';

export function offerUpdates(): void {
  onUpdateReady(() => {
    if (document.querySelector('[data-update-ready]')) return;
    const button = el('button', { type: 'button', class: 'button' }, 'Reload');
    button.addEventListener('click', () => void applyUpdate());
    const notice = el(
      'p',
      { class: 'update-ready', 'data-update-ready': true, role: 'status' },
      'A new version of Offline Reader is ready. ',
      button,
    );
    document.querySelector('.site-header')?.after(notice) ?? document.body.prepend(notice);
  });
}
