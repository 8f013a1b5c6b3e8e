// Writes a fixture response to the socket, misbehaving on the way when asked to: late headers, a dripping body,
// a body cut short, a reset connection. Honours backpressure, so a client that stops reading stops the writing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Faults } from './faults.ts';
import type { FixtureResponse } from './fixture-response.ts';
import type { HitRecord } from './request-log.ts';

/** Resolves after `ms`, or at once when the client has gone. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

function write(res: ServerResponse, chunk: Uint8Array, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const settle = (ok: boolean) => () => {
      res.off('drain', onDrain);
      signal.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onDrain = settle(true);
    const onAbort = settle(false);
    res.once('drain', onDrain);
    signal.addEventListener('abort', onAbort);
  });
}

/** The body as the pieces to send: drip-sized when dripping, and stopping at `limit` bytes. */
function* pieces(chunks: Iterable<Uint8Array>, size: number, limit: number): Generator<Uint8Array> {
  let sent = 0;
  for (const chunk of chunks) {
    for (let offset = 0; offset < chunk.byteLength && sent < limit; ) {
      const piece = chunk.subarray(offset, offset + Math.min(size, limit - sent));
      offset += piece.byteLength;
      sent += piece.byteLength;
      yield piece;
    }
    if (sent >= limit) return;
  }
}

function flushed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => res.write('', () => resolve()));
}

export async function deliver(
  req: IncomingMessage,
  res: ServerResponse,
  response: FixtureResponse,
  faults: Faults,
  hit: HitRecord,
  signal: AbortSignal,
): Promise<void> {
  await sleep(faults.delayMs, signal);
  if (signal.aborted) return;
  if (faults.reset) {
    hit.outcome = 'reset';
    req.socket.resetAndDestroy();
    return;
  }

  const body = req.method === 'HEAD' ? null : response.body;
  const headers: Record<string, string | number> = { ...response.headers };
  if (response.body && (response.body.announceLength || faults.truncate !== null))
    headers['content-length'] = response.body.length;
  res.writeHead(response.status, headers);
  res.flushHeaders();
  if (!body) {
    res.end();
    return;
  }

  const limit = Math.min(faults.truncate ?? Infinity, faults.resetAfterBytes ?? Infinity);
  const pieceSize = faults.dripMs > 0 ? faults.dripBytes : Infinity;
  for (const piece of pieces(body.chunks(), pieceSize, limit)) {
    if (!(await write(res, piece, signal))) return;
    hit.bodyBytesWritten += piece.byteLength;
    await sleep(faults.dripMs, signal);
  }
  if (signal.aborted) return;

  if (faults.resetAfterBytes !== null && faults.resetAfterBytes < body.length) {
    // Let the bytes reach the client first, so it sees a body that breaks off rather than no answer at all.
    await flushed(res);
    await sleep(25, signal);
    hit.outcome = 'reset';
    req.socket.resetAndDestroy();
  } else if (faults.truncate !== null && faults.truncate < body.length) {
    hit.outcome = 'truncated';
    req.socket.end();
  } else {
    res.end();
  }
}
