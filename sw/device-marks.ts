// A cached copy of the edge's Latest, marked as the device's own copy is (markup/item-card.tsx's `onDevice`): an
// item whose article opens offline gets `data-on-device`, any other its title and "Get it when I'm back online", so
// the reader sees the same list whichever copy answers. The copy's items are the shared template's own markup
// (`<li class="item" data-item-id="…">`, its title the link in its heading, text escaped as attributes are), so
// they are found and marked as strings, without an HTML parser in the service worker.
import type { OnDevice } from '../contract/messages.ts';
import { LaterButton, onDeviceAttribute } from '../markup/item-card.tsx';

const ITEM = /<li class="item" data-item-id="([^"]*)">([\s\S]*?)<\/li>/g;
const TITLE = /<h2 class="item-title"><a [^>]*>([^<]*)<\/a><\/h2>/;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

const unescaped = (text: string) => text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);

export interface MarkedList {
  html: string;
  /** Items on the page, and how many of them open offline. */
  shown: number;
  readable: number;
}

export async function markItemsOnDevice(page: string, onDevice: ReadonlyMap<string, OnDevice>): Promise<MarkedList> {
  const later = (await LaterButton()).toString();
  let shown = 0;
  let readable = 0;
  const html = page.replace(ITEM, (_item, escapedId: string, inner: string) => {
    shown += 1;
    const head = `<li class="item" data-item-id="${escapedId}"`;
    const how = onDevice.get(unescaped(escapedId));
    if (how) {
      readable += 1;
      return `${head} data-on-device="${onDeviceAttribute(how)}">${inner}</li>`;
    }
    // The card's link says "Untitled" for an item with none; its data-title stays empty, as the device's copy has it.
    const title = TITLE.exec(inner)?.[1] ?? '';
    return `${head} data-title="${title === 'Untitled' ? '' : title}">${inner}${later}</li>`;
  });
  return { html, shown, readable };
}
