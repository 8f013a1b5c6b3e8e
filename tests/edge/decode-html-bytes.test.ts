// Page encodings, as browsers settle them: a BOM, then the HTTP charset, then a <meta> in the first 1024 bytes, then
// UTF-8 if the bytes are valid UTF-8, else windows-1252. Feeds share the decoder with their own rules
// (decode-feed-bytes.test.ts).
import { describe, expect, it } from 'vitest';
import { decodeHtmlBytes } from '../../worker-edge/articles/decode-html-bytes.ts';

/** `text` with `word` as these raw bytes (an encoding's bytes, written out, so the test shows what is on the wire). */
const page = (text: string, word: number[]) => {
  const [before, after] = text.split('WORD').map((part) => [...new TextEncoder().encode(part)]);
  return new Uint8Array([...before!, ...word, ...after!]);
};

const CAFE_1252 = [0x43, 0x61, 0x66, 0xe9]; // Café
const MIR_KOI8 = [0xed, 0xc9, 0xd2]; // Мир
const MIR_1251 = [0xcc, 0xe8, 0xf0]; // Мир
const MIR_UTF8 = [...new TextEncoder().encode('Мир')];
const padding = `<!--${' '.repeat(1100)}-->`;

const cases: Array<{ why: string; bytes: Uint8Array; contentType: string | null; word: string }> = [
  {
    why: 'a <meta charset> is honoured when HTTP names none',
    bytes: page('<meta charset="koi8-r"><p>WORD</p>', MIR_KOI8),
    contentType: 'text/html',
    word: 'Мир',
  },
  {
    why: 'so is a <meta http-equiv> Content-Type',
    bytes: page('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><p>WORD</p>', MIR_1251),
    contentType: null,
    word: 'Мир',
  },
  {
    why: 'the HTTP charset outranks the <meta>',
    bytes: page('<meta charset="windows-1252"><p>WORD</p>', MIR_KOI8),
    contentType: 'text/html; charset=koi8-r',
    word: 'Мир',
  },
  {
    why: 'a BOM outranks both',
    bytes: page('\ufeff<meta charset="koi8-r"><p>WORD</p>', MIR_UTF8),
    contentType: 'text/html; charset=koi8-r',
    word: 'Мир',
  },
  {
    why: 'a <meta> past the first 1024 bytes is not read',
    bytes: page(`${padding}<meta charset="koi8-r"><p>WORD</p>`, MIR_KOI8),
    contentType: null,
    word: 'íÉÒ',
  },
  {
    why: 'an unknown label counts as none: valid UTF-8 is UTF-8',
    bytes: page('<meta charset="no-such-charset"><p>WORD</p>', MIR_UTF8),
    contentType: null,
    word: 'Мир',
  },
  {
    why: 'nothing declared and not UTF-8: windows-1252',
    bytes: page('<p>WORD</p>', CAFE_1252),
    contentType: 'text/html',
    word: 'Café',
  },
];

describe('decodeHtmlBytes', () => {
  it.each(cases)('$why', ({ bytes, contentType, word }) => {
    expect(decodeHtmlBytes(bytes, contentType)).toContain(`<p>${word}</p>`);
  });
});
