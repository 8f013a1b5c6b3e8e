// Short, stable, URL-safe ids from content: the same input always gives the same id.

export async function sha256Hex(text: string): Promise<string> {
  return sha256HexOfBytes(new TextEncoder().encode(text));
}

export async function sha256HexOfBytes(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** 64 bits of SHA-256: collisions are negligible at the scale of one reader's items. */
export async function stableId(...parts: Array<string | number>): Promise<string> {
  return (await sha256Hex(parts.join('\n'))).slice(0, 16);
}
