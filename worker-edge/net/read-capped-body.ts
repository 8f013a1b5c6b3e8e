// Reads a response body as a stream and stops as soon as it grows past the cap, so a huge or endless body
// costs at most the cap in memory, never its full size. Workers decode gzip and br on the fly: the cap counts
// decoded bytes, which also bounds compression bombs.
import { FetchFailure } from './fetch-failure.ts';
import { formatBytes, formatSeconds } from './readable-units.ts';

export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
  /** What is being fetched, in lower case, for messages: "The feed is larger than 4 MB". */
  resourceName: string;
}

function declaredLength(headers: Headers): number | null {
  const value = headers.get('content-length');
  return value !== null && /^\d+$/.test(value) ? Number(value) : null;
}

function tooLarge(limits: BodyLimits, announced: number | null): FetchFailure {
  const note = announced === null ? '' : ` (the server announced ${formatBytes(announced)})`;
  return new FetchFailure(
    'too-large',
    `The ${limits.resourceName} is larger than ${formatBytes(limits.maxBytes)}${note}`,
  );
}

export async function readCappedBody(response: Response, limits: BodyLimits, signal: AbortSignal): Promise<Uint8Array> {
  const announced = declaredLength(response.headers);
  if (announced !== null && announced > limits.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(limits, announced);
  }
  if (!response.body) return new Uint8Array(0);

  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      const got = `${formatBytes(received)}${announced === null ? '' : ` of ${formatBytes(announced)}`}`;
      if (signal.aborted) {
        throw new FetchFailure(
          'timeout',
          `The server did not finish sending within ${formatSeconds(limits.timeoutMs)} (got ${got})`,
        );
      }
      throw new FetchFailure('truncated', `The connection was cut before the whole response arrived (got ${got})`);
    }
    if (chunk.done) break;
    received += chunk.value.byteLength;
    if (received > limits.maxBytes) {
      // Hanging up is the point; how the connection takes it does not change the answer.
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limits, null);
    }
    chunks.push(chunk.value);
  }

  const body = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
