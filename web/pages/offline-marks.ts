// The visible mark next to an item in a list (`[data-offline-mark]` in a `[data-item-id]` box), in the words of
// web/offline/offline-words.ts, so the state web/offline/offline-states.ts keeps in `data-offline-state` is read,
// not only coloured. A box with a save control is that control's to label (web/offline/save-controls.ts).
import { isOnline, onConnectivityChange } from '../offline/connectivity.ts';
import { offlineEntry } from '../offline/offline-states.ts';
import { KEPT_WORDS, READABLE_FOR_NOW, stateWords } from '../offline/offline-words.ts';

function label(box: Element): void {
  const mark = box.querySelector('[data-offline-mark]');
  if (!mark || box.querySelector('[data-save-offline]')) return;
  const itemId = box.getAttribute('data-item-id');
  const entry = itemId && box.hasAttribute('data-offline-state') ? offlineEntry(itemId) : undefined;
  // The device's copy of Latest marks what opens offline (`data-on-device`, "kept" for the reader's own), which the
  // outbox may not know, or not have answered yet.
  if (entry) mark.textContent = stateWords(entry, isOnline());
  else if (box.hasAttribute('data-on-device'))
    mark.textContent = box.getAttribute('data-on-device') === 'kept' ? KEPT_WORDS : READABLE_FOR_NOW;
  else mark.textContent = '';
}

export function labelOfflineMarks(): void {
  const labelAll = () => {
    for (const box of document.querySelectorAll('[data-item-id]')) label(box);
  };
  labelAll();
  new MutationObserver((changes) => {
    for (const change of changes) label(change.target as Element);
  }).observe(document.body, {
    subtree: true,
    attributes: true,
    attributeFilter: ['data-offline-state', 'data-on-device'],
  });
  onConnectivityChange(labelAll);
}
