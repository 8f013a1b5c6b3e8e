// Which items of a list open offline on this device, asked of the worker and set as `data-on-device` ("kept" for the
// reader's own), for offline-marks.ts to word: the edge's pages (Latest, search) cannot know what this device holds.
import { openOffline } from '../sw-bridge.ts';

const itemBoxes = (root: ParentNode) => [...root.querySelectorAll<HTMLElement>('li[data-item-id]')];

export async function markOpenOffline(root: ParentNode): Promise<void> {
  const boxes = itemBoxes(root);
  if (boxes.length === 0) return;
  const here = await openOffline(boxes.map((li) => li.dataset.itemId ?? ''));
  for (const li of boxes) {
    const how = here.get(li.dataset.itemId ?? '');
    if (how) li.dataset.onDevice = how === 'kept' ? 'kept' : '';
  }
}
