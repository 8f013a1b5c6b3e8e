// A new version of the service worker is waiting: say so and let the reader choose when to reload. It never
// takes over an open page by itself.
import { applyUpdate, onUpdateReady } from '../sw-bridge.ts';

export function offerUpdates(): void {
  onUpdateReady(() => {
    if (document.querySelector('[data-update-ready]')) return;
    const notice = document.createElement('p');
    notice.className = 'update-ready';
    notice.dataset.updateReady = '';
    notice.setAttribute('role', 'status');
    const button = Object.assign(document.createElement('button'), { type: 'button', className: 'button', textContent: 'Reload' });
    button.addEventListener('click', () => void applyUpdate());
    notice.append('A new version of Offline Reader is ready. ', button);
    document.querySelector('.site-header')?.after(notice) ?? document.body.prepend(notice);
  });
}
