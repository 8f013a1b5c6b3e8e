// Many rows in one statement: D1 binds at most 100 parameters per statement, so rows travel as one JSON array
// parameter that SQL reads with json_each. Arrays are split so that no statement carries more than ~90 KB.

/** JSON arrays of already-serialised rows, each under `maxBytes` (a row larger than that goes alone). */
export function jsonChunks(rows: string[], maxBytes: number): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const row of rows) {
    const bytes = utf8Bytes(row) + 1;
    if (current.length > 0 && size + bytes > maxBytes) {
      chunks.push(`[${current.join(',')}]`);
      current = [];
      size = 2;
    }
    current.push(row);
    size += bytes;
  }
  if (current.length > 0) chunks.push(`[${current.join(',')}]`);
  return chunks;
}

const encoder = new TextEncoder();
const utf8Bytes = (text: string) => (text.length * 3 < 4096 ? text.length * 3 : encoder.encode(text).byteLength);
