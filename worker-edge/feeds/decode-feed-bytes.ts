// Feed bytes → text with a feed's evidence: UTF-16 laid out as `<?` (XML 1.0, appendix F), JSON always UTF-8, and the
// XML declaration over the HTTP charset, often a server-wide default (Apache's AddDefaultCharset): RFC 7303 says the
// opposite, Miniflux agrees with us. Unknown labels: Latin-looking ones are windows-1252, the rest UTF-8.
import { decodeBytes, type EncodingRules } from '../net/decode-bytes.ts';

const FEED_RULES: EncodingRules = {
  sniff(bytes, head) {
    if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return 'utf-16le';
    if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return 'utf-16be';
    // Judged by the bytes, not the Content-Type: servers label feeds as JSON or XML about as carelessly as charsets.
    return /^\s*[{[]/.test(head) ? 'utf-8' : null;
  },
  declaredIn: (head) => /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([^"']{1,40})["']/.exec(head)?.[1] ?? null,
  documentFirst: true,
  unknownLabel: (label) => (/latin|8859|ascii|ansi|cp-?125\d|win|western/i.test(label) ? 'windows-1252' : 'utf-8'),
};

export function decodeFeedBytes(bytes: Uint8Array, contentType: string | null): string {
  return decodeBytes(bytes, contentType, FEED_RULES);
}
