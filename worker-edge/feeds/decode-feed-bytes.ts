// Feed bytes → text (net/decode-bytes.ts), with a feed's own evidence: UTF-16 recognised from how `<?` is laid out
// (XML 1.0, appendix F), JSON always UTF-8 (RFC 8259, JSON Feed), and the XML declaration outranking the HTTP charset.
// RFC 7303 would put HTTP first, but a feed's declaration is written by the software that made the bytes, while the
// HTTP charset is very often a server-wide default (Apache's AddDefaultCharset, PHP's default_charset); Miniflux
// makes the same choice. Unknown labels: Latin-looking ones are windows-1252, the rest UTF-8.
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
