// Bytes of a web page → text, in the order HTML itself settles the encoding (WHATWG "determining the character
// encoding"): a byte-order mark, then the HTTP charset, then a <meta charset> or <meta http-equiv> in the first
// 1024 bytes, then UTF-8 when the bytes are valid UTF-8 and windows-1252 when they are not (the browsers' default
// for undeclared Western pages). Unknown labels never throw; they count as undeclared.

const UTF8 = 'utf-8';
const PRESCAN_BYTES = 1024;

export function decodeHtmlBytes(bytes: Uint8Array, contentType: string | null): string {
  const declared = encodingFromBom(bytes) ?? knownEncoding(httpCharset(contentType)) ?? knownEncoding(metaCharset(bytes));
  if (declared) return new TextDecoder(declared).decode(bytes);
  try {
    return new TextDecoder(UTF8, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
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

/** A charset named by a <meta> near the top; the bytes are read as Latin-1, which keeps every ASCII tag intact. */
function metaCharset(bytes: Uint8Array): string | null {
  const head = String.fromCharCode(...bytes.subarray(0, PRESCAN_BYTES));
  for (const [tag] of head.matchAll(/<meta\b[^>]*>/gi)) {
    const direct = /\bcharset\s*=\s*["']?\s*([^"'\s;/>]+)/i.exec(tag)?.[1];
    if (direct) return direct;
  }
  return null;
}

/** The label as TextDecoder knows it, or null. A page read as ASCII cannot be UTF-16, so HTML treats that as UTF-8. */
function knownEncoding(label: string | null): string | null {
  if (!label) return null;
  try {
    const encoding = new TextDecoder(label.trim()).encoding;
    if (encoding === 'replacement') return null;
    return encoding === 'utf-16le' || encoding === 'utf-16be' ? UTF8 : encoding;
  } catch {
    return null;
  }
}
