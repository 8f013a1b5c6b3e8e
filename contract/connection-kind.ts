// What the browser says about the connection (navigator.connection, in the page and in the service worker), read
// once for both: the offline policy's "only on unmetered connections" follows it. Most desktop browsers say nothing
// about metering (Chromium on desktop gives only a speed estimate, Firefox and Safari nothing), and then the answer
// is 'unknown' rather than a guess.

/** The parts of the Network Information API the reader reads; every one may be missing. */
export interface ConnectionHints {
  type?: string;
  effectiveType?: string;
  saveData?: boolean;
}

export type ConnectionKind =
  | { kind: 'metered'; why: 'save-data' | 'cellular' }
  | { kind: 'unmetered'; why: 'wifi' | 'ethernet' }
  | { kind: 'unknown' };

const UNMETERED_TYPES = new Set(['wifi', 'ethernet']);

/** Data Saver counts as metered (the reader asked to save data); so does a cellular link. The speed says nothing. */
export function connectionKind(hints: ConnectionHints | null | undefined): ConnectionKind {
  if (!hints) return { kind: 'unknown' };
  if (hints.saveData === true) return { kind: 'metered', why: 'save-data' };
  if (hints.type === 'cellular') return { kind: 'metered', why: 'cellular' };
  if (hints.type && UNMETERED_TYPES.has(hints.type)) return { kind: 'unmetered', why: hints.type as 'wifi' };
  return { kind: 'unknown' };
}
