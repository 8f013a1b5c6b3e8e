// Bytes from the network → text, choosing the encoding the way a forgiving feed reader must.
//
// Order of evidence:
//   1. A byte-order mark. It is unambiguous and sits in the bytes themselves (RFC 7303 and WHATWG agree).
//   2. UTF-16 without a BOM, recognised from how `<?` is laid out in the first bytes (XML 1.0, appendix F).
//   3. For XML, the encoding named in the XML declaration; then the HTTP `charset` parameter.
//      RFC 7303 would put the HTTP charset first, but for feeds the declaration is written by the software that
//      produced the bytes, while the HTTP charset is very often a server-wide default (Apache's AddDefaultCharset,
//      PHP's default_charset) added to a file it never looked at. Miniflux makes the same choice.
//      When the two disagree and one of them is UTF-8, the bytes settle it: text that is valid UTF-8 and not plain
//      ASCII is UTF-8 (legacy single-byte text almost never is by accident), otherwise it is the other encoding.
//      This is the same rule for text/xml and application/*+xml: servers do not choose between those deliberately.
//   4. Nothing declared: UTF-8 (the XML and JSON default), or windows-1252 when the bytes are not valid UTF-8,
//      since undeclared Latin-1 is by far the most common way such feeds are broken.
// JSON is UTF-8 by definition (RFC 8259, JSON Feed): only a BOM can change that, the HTTP charset is ignored.
// Unknown labels never throw: Latin-looking ones fall back to windows-1252, everything else to UTF-8.

const UTF8 = 'utf-8';
const WINDOWS_1252 = 'windows-1252';

export function decodeFeedBytes(bytes: Uint8Array, contentType: string | null): string {
  const bom = encodingFromBom(bytes);
  if (bom) return decode(bytes, bom);
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) return decode(bytes, utf16);

  const head = asciiHead(bytes);
  if (looksLikeJson(head)) return decode(bytes, UTF8);

  const declared = supportedEncoding(xmlDeclaredEncoding(head));
  const fromHttp = supportedEncoding(httpCharset(contentType));
  if (declared && fromHttp && declared !== fromHttp && (declared === UTF8 || fromHttp === UTF8)) {
    const utf8 = strictUtf8(bytes);
    if (utf8 !== null && /[^\x00-\x7f]/.test(utf8)) return utf8;
    return decode(bytes, declared === UTF8 ? fromHttp : declared);
  }
  const chosen = declared ?? fromHttp;
  if (chosen) return decode(bytes, chosen);
  return strictUtf8(bytes) ?? decode(bytes, WINDOWS_1252);
}

function encodingFromBom(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return UTF8;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

function utf16WithoutBom(bytes: Uint8Array): string | null {
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return 'utf-16le';
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return 'utf-16be';
  return null;
}

const SINGLE_BYTE = new TextDecoder(WINDOWS_1252);

/** The first bytes, one character each: enough to read an XML declaration in any ASCII-compatible encoding. */
function asciiHead(bytes: Uint8Array): string {
  return SINGLE_BYTE.decode(bytes.subarray(0, 512));
}

// Judged by the bytes, not the Content-Type: servers label feeds as JSON or XML about as carelessly as they pick charsets.
function looksLikeJson(head: string): boolean {
  return /^\s*[{[]/.test(head);
}

function xmlDeclaredEncoding(head: string): string | null {
  return /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([^"']{1,40})["']/.exec(head)?.[1] ?? null;
}

function httpCharset(contentType: string | null): string | null {
  return contentType ? (/;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType)?.[1] ?? null) : null;
}

/** The canonical name TextDecoder knows `label` by, a sensible stand-in for labels it does not know, or null. */
function supportedEncoding(label: string | null): string | null {
  if (!label) return null;
  try {
    const encoding = new TextDecoder(label.trim()).encoding;
    // WHATWG maps a few dangerous labels (iso-2022-kr, hz-gb-2312...) to "replacement", which decodes to a lone U+FFFD.
    if (encoding === 'replacement') return UTF8;
    // A declaration of UTF-16 in a document we could read as ASCII is a mistake (we already ruled out real UTF-16).
    if (encoding === 'utf-16le' || encoding === 'utf-16be') return UTF8;
    return encoding;
  } catch {
    return /latin|8859|ascii|ansi|cp-?125\d|win|western/i.test(label) ? WINDOWS_1252 : UTF8;
  }
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
