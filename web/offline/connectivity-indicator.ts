// The offline indicator in the header (#connectivity, hidden while online): says the reader is offline and what
// still works, and briefly that they are back. `data-connectivity` on <html> lets styles follow it too.
import { byId, el } from '../dom.ts';
import { isOnline, onConnectivityChange } from './connectivity.ts';

const BACK_ONLINE_MS = 4000;

function indicator(): HTMLElement {
  const existing = byId('connectivity');
  if (existing) return existing;
  // Pages without the layout's slot (none today) still get one.
  const created = el('p', { id: 'connectivity', class: 'connectivity', role: 'status', hidden: true });
  document.body.prepend(created);
  return created;
}

export function showConnectivity(): void {
  const element = indicator();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const show = (online: boolean, changed: boolean) => {
    clearTimeout(timer);
    document.documentElement.dataset.connectivity = online ? 'online' : 'offline';
    element.dataset.state = online ? 'online' : 'offline';
    if (!online) {
      element.textContent = 'Offline: saved articles still open, and anything you save is fetched when you are back.';
      element.hidden = false;
    } else if (changed) {
      element.textContent = 'Back online.';
      element.hidden = false;
      timer = setTimeout(() => (element.hidden = true), BACK_ONLINE_MS);
    } else {
      element.hidden = true;
    }
  };
  show(isOnline(), false);
  onConnectivityChange((online) => show(online, true));
}
