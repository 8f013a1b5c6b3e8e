// Bytes from the network → text, one order for feeds and pages: a byte-order mark, what the bytes show (a caller's
// sniff), the document's and the HTTP charset (the caller says which first), then UTF-8 if valid, else windows-1252.

const UTF8 = 'utf-8';
const WINDOWS_1252 = 'windows-1252';
const HEAD_BYTES = 1024;

export interface EncodingRules {
  /** An encoding the bytes show without a BOM (UTF-16 laid out as "<?", JSON), or null. */
  sniff?(bytes: Uint8Array, head: string): string | null;
  /** The charset the document names in its first bytes (`head`, one character a byte), or null. */
  declaredIn(head: string): string | null;
  /** Whether the document's charset outranks the HTTP one (feeds), or the other way round (pages, as browsers do). */
  documentFirst: boolean;
  /** What a label TextDecoder does not know (or maps to "replacement") stands for; null: as if none were given. */
  unknownLabel(label: string): string | null;
}

export function decodeBytes(bytes: Uint8Array, contentType: string | null, rules: EncodingRules): string {
  const bom = encodingFromBom(bytes);
  if (bom) return decode(bytes, bom);
  const head = new TextDecoder(WINDOWS_1252).decode(bytes.subarray(0, HEAD_BYTES));
  const sniffed = rules.sniff?.(bytes, head);
  if (sniffed) return decode(bytes, sniffed);

  const declared = knownEncoding(rules.declaredIn(head), rules);
  const fromHttp = knownEncoding(httpCharset(contentType), rules);
  if (
    rules.documentFirst &&
    declared &&
    fromHttp &&
    declared !== fromHttp &&
    (declared === UTF8 || fromHttp === UTF8)
  ) {
    // A server-wide default charset and a stale declaration are both common: when one of them says UTF-8, the bytes
    // settle it (text that is valid UTF-8 and not plain ASCII almost never is by accident).
    const utf8 = strictUtf8(bytes);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: anything outside ASCII, controls included in the range.
    if (utf8 !== null && /[^\x00-\x7f]/.test(utf8)) return utf8;
    return decode(bytes, declared === UTF8 ? fromHttp : declared);
  }
  const chosen = rules.documentFirst ? (declared ?? fromHttp) : (fromHttp ?? declared);
  if (chosen) return decode(bytes, chosen);
  return strictUtf8(bytes) ?? decode(bytes, WINDOWS_1252);
}

function encodingFromBom(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return UTF8;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

function httpCharset(contentType: string | null): string | null {
  return contentType ? (/;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType)?.[1] ?? null) : null;
}

/** The canonical name TextDecoder knows `label` by, the rules' stand-in for one it does not know, or null. */
function knownEncoding(label: string | null, rules: EncodingRules): string | null {
  if (!label) return null;
  let encoding: string;
  try {
    encoding = new TextDecoder(label.trim()).encoding;
  } catch {
    return rules.unknownLabel(label);
  }
  // WHATWG maps a few dangerous labels (iso-2022-kr, hz-gb-2312...) to "replacement", which decodes to a lone U+FFFD.
  if (encoding === 'replacement') return rules.unknownLabel(label);
  // UTF-16 named in a document we could read as ASCII is a mistake (real UTF-16 has a BOM or was sniffed).
  return encoding === 'utf-16le' || encoding === 'utf-16be' ? UTF8 : encoding;
}

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(UTF8, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

function decode(bytes: Uint8Array, encoding: string): string {
  return new TextDecoder(encoding).decode(bytes);
}
