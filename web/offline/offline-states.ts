// Keeps `data-offline-state` (queued | fetching | ready | failed) current on every element that carries
// `data-item-id`, including ones added to the page later, from the service worker's announcements.
import type { OfflineEntry } from '../../contract/messages.ts';
import { listOffline, onOfflineChange, onOfflineRemoved } from '../sw-bridge.ts';

const entries = new Map<string, OfflineEntry>();
const listeners = new Set<(itemId: string, entry: OfflineEntry | undefined) => void>();

/** The entry for an item as last announced, if it has one. */
export function offlineEntry(itemId: string): OfflineEntry | undefined {
  return entries.get(itemId);
}

/** Hears an item's entry change (undefined: it left the outbox). */
export function onEntryChange(listener: (itemId: string, entry: OfflineEntry | undefined) => void): void {
  listeners.add(listener);
}

function applyTo(element: HTMLElement): void {
  const itemId = element.dataset.itemId;
  if (!itemId) return;
  const state = entries.get(itemId)?.state;
  if (state) element.dataset.offlineState = state;
  else delete element.dataset.offlineState;
}

function applyAll(itemId?: string): void {
  const selector = itemId ? `[data-item-id="${CSS.escape(itemId)}"]` : '[data-item-id]';
  for (const element of document.querySelectorAll<HTMLElement>(selector)) applyTo(element);
}

function changed(itemId: string, entry: OfflineEntry | undefined): void {
  if (entry) entries.set(itemId, entry);
  else entries.delete(itemId);
  applyAll(itemId);
  for (const listener of listeners) listener(itemId, entry);
}

export async function keepOfflineStates(): Promise<void> {
  onOfflineChange((entry) => changed(entry.itemId, entry));
  onOfflineRemoved((itemId) => changed(itemId, undefined));
  new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.type === 'attributes') applyTo(mutation.target as HTMLElement);
      for (const node of mutation.addedNodes) {
        if (!(node instanceof HTMLElement)) continue;
        if (node.dataset.itemId) applyTo(node);
        for (const inner of node.querySelectorAll<HTMLElement>('[data-item-id]')) applyTo(inner);
      }
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-item-id'] });
  for (const entry of await listOffline()) changed(entry.itemId, entry);
}
