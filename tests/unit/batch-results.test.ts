// The batch answer read a line at a time: results as their lines arrive, across chunk boundaries; the end found at
// the document's closing line, not the body's end; an old one-line answer; a garbled line.
import { describe, expect, it } from 'vitest';
import type { ArticleBatchResult } from '../../contract/http.ts';
import { batchResults } from '../../sw/batch-results.ts';

const missing = (id: string): ArticleBatchResult => ({
  id,
  ok: false,
  status: 404,
  error: { code: 'not_found', message: 'Gone.' },
  retryAfterSeconds: null,
});
const document = (results: ArticleBatchResult[]) =>
  `{"results":[\n${results.map((r) => JSON.stringify(r)).join(',\n')}\n]}`;

/** A body sending `chunks`, then left open (as a body whose end Chromium has not signalled yet) unless `close`. */
function body(chunks: string[], close: boolean) {
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      if (close) controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled };
}

async function all(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const ids: string[] = [];
  for await (const result of batchResults(stream)) ids.push('id' in result ? result.id : result.url);
  return ids;
}

describe('batchResults', () => {
  it('gives each result as its line arrives, lines split across chunks', async () => {
    const text = document(['a', 'b', 'c'].map(missing));
    const chunks = [text.slice(0, 7), text.slice(7, 40), text.slice(40, 41), text.slice(41)];
    expect(await all(body(chunks, true).stream)).toEqual(['a', 'b', 'c']);
  });

  it('ends at the closing line without waiting for the body to end, and lets the body go', async () => {
    const open = body([document(['a', 'b'].map(missing))], false);
    expect(await all(open.stream)).toEqual(['a', 'b']);
    expect(open.cancelled()).toBe(true);
  });

  it('reads an answer on one line at its end', async () => {
    const text = JSON.stringify({ results: ['a', 'b'].map(missing) });
    expect(await all(body([text.slice(0, 20), text.slice(20)], true).stream)).toEqual(['a', 'b']);
  });

  it('a garbled line is a SyntaxError, after the results before it', async () => {
    const seen: string[] = [];
    const garbled = `{"results":[\n${JSON.stringify(missing('a'))},\n{"id":"b",oops}\n]}`;
    await expect(
      (async () => {
        for await (const result of batchResults(body([garbled], true).stream))
          seen.push('id' in result ? result.id : '');
      })(),
    ).rejects.toBeInstanceOf(SyntaxError);
    expect(seen).toEqual(['a']);
  });
});
