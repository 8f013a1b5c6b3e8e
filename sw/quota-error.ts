// The one failure that means "no room on this device" (Cache.put and IndexedDB both raise it), and the words for it.

export const STORAGE_FULL = 'Storage is full: remove something or free space';

export const isQuotaError = (error: unknown): boolean =>
  error instanceof DOMException && error.name === 'QuotaExceededError';

/** A write for offline reading that did not fit even after room was made. */
export class StorageFullError extends Error {
  constructor() {
    super(STORAGE_FULL);
    this.name = 'StorageFullError';
  }
}
