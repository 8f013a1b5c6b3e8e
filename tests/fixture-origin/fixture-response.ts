// What a fixture route answers, before faults are applied and before anything is written to the socket.
import { createHash } from 'node:crypto';

export interface FixtureBody {
  length: number;
  /** Generated bodies go out chunked, so a client cannot size them up from Content-Length. */
  announceLength: boolean;
  /** Stable for identical content: the seed of the strong ETag. */
  fingerprint(): string;
  chunks(): Iterable<Uint8Array>;
}

export interface FixtureResponse {
  status: number;
  headers: Record<string, string>;
  body: FixtureBody | null;
}

const CHUNK = 16 * 1024;

export function bytesBody(content: Uint8Array | string): FixtureBody {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return {
    length: bytes.byteLength,
    announceLength: true,
    fingerprint: () => createHash('sha256').update(bytes).digest('hex'),
    *chunks() {
      for (let offset = 0; offset < bytes.byteLength; offset += CHUNK) yield bytes.subarray(offset, offset + CHUNK);
    },
  };
}

const XML_HEAD = Buffer.from(
  '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Padding</title>\n',
);
const XML_TAIL = Buffer.from('</channel></rss>\n');
const PADDING_LINE = `<!-- ${'padding '.repeat(7)}-->\n`;
const PADDING_BLOCK = Buffer.from(PADDING_LINE.repeat(1024));

/** `size` bytes of a well-formed RSS document padded with comments, produced as it is sent, never held whole. */
export function paddedXmlBody(size: number): FixtureBody {
  return {
    length: size,
    announceLength: false,
    fingerprint: () => createHash('sha256').update(`padded-xml:${size}`).digest('hex'),
    *chunks() {
      if (size < XML_HEAD.length + XML_TAIL.length) {
        yield Buffer.alloc(size, ' ');
        return;
      }
      yield XML_HEAD;
      let left = size - XML_HEAD.length - XML_TAIL.length;
      for (; left >= PADDING_BLOCK.length; left -= PADDING_BLOCK.length) yield PADDING_BLOCK;
      const wholeLines = left - (left % PADDING_LINE.length);
      yield PADDING_BLOCK.subarray(0, wholeLines);
      yield Buffer.alloc(left - wholeLines, ' ');
      yield XML_TAIL;
    },
  };
}

export function textResponse(status: number, text: string): FixtureResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: bytesBody(text) };
}
