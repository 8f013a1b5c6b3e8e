// Page bytes → text (net/decode-bytes.ts) as browsers settle it (WHATWG "determining the character encoding"): the
// HTTP charset outranks a <meta charset> or <meta http-equiv> in the first 1024 bytes; unknown labels count as none.
import { decodeBytes, type EncodingRules } from '../net/decode-bytes.ts';

const HTML_RULES: EncodingRules = {
  declaredIn(head) {
    for (const [tag] of head.matchAll(/<meta\b[^>]*>/gi)) {
      const charset = /\bcharset\s*=\s*["']?\s*([^"'\s;/>]+)/i.exec(tag)?.[1];
      if (charset) return charset;
    }
    return null;
  },
  documentFirst: false,
  unknownLabel: () => null,
};

export function decodeHtmlBytes(bytes: Uint8Array, contentType: string | null): string {
  return decodeBytes(bytes, contentType, HTML_RULES);
}
