// POST /api/articles/batch's answer read a result at a time, as its lines arrive (contract/http.ts lays it out one
// result to a line): the first articles are kept while the rest are still on the link. An answer on one line (an
// edge from before that layout) gives its results at its end.
import type { ArticleBatchResponse, ArticleBatchResult } from '../contract/http.ts';

function* resultsIn(line: string): Generator<ArticleBatchResult> {
  const text = line.trim().replace(/,$/, '');
  // `{"results":[` and `]}` hold no result.
  if (!text.startsWith('{') || !text.endsWith('}')) return;
  const value = JSON.parse(text) as ArticleBatchResult | ArticleBatchResponse;
  if ('results' in value) yield* value.results;
  else yield value;
}

/** The document's last line: every result before it arrived whole. */
const CLOSING = ']}';

/**
 * Throws as the body does (cut off, timed out), or SyntaxError for a line that is not JSON. Ends at the closing
 * line without waiting for the body's end: Chromium tells a service worker a body ended some milliseconds (tens on
 * a busy machine) after its last bytes arrived.
 */
export async function* batchResults(body: ReadableStream<Uint8Array>): AsyncGenerator<ArticleBatchResult> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let partial = '';
  for (;;) {
    const { done, value } = await reader.read();
    const lines = (partial + (done ? decoder.decode() : decoder.decode(value, { stream: true }))).split('\n');
    partial = done ? '' : (lines.pop() ?? '');
    for (const line of lines) yield* resultsIn(line);
    if (done) return;
    if (partial.trim() === CLOSING) {
      // Whatever follows is not ours to wait for; the rest of the body is let go.
      reader.cancel().catch(() => undefined);
      return;
    }
  }
}
