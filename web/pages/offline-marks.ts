// Words for the offline state that web/offline/offline-states.ts keeps in `data-offline-state` on each
// `[data-item-id]` box: the visible mark next to an item ("Available offline", "Queued", "Failed"), so the state is
// read, not only coloured.
import type { OfflineState } from '../../contract/messages.ts';

const WORDS: Record<OfflineState, string> = {
  ready: 'Available offline',
  queued: 'Queued for offline',
  fetching: 'Saving for offline…',
  failed: 'Could not save for offline',
};

function label(box: Element): void {
  const mark = box.querySelector('[data-offline-mark]');
  if (!mark) return;
  // The device's copy of Latest marks what opens offline (`data-on-device`), which the outbox may not know.
  const state = (box.getAttribute('data-offline-state') ??
    (box.hasAttribute('data-on-device') ? 'ready' : null)) as OfflineState | null;
  mark.textContent = state && state in WORDS ? WORDS[state] : '';
}

export function labelOfflineMarks(): void {
  const boxes = document.querySelectorAll('[data-item-id]');
  for (const box of boxes) label(box);
  new MutationObserver((changes) => {
    for (const change of changes) label(change.target as Element);
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-offline-state'] });
}
