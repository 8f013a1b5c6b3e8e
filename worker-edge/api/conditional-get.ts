// Conditional GET for responses that know their ETag before building the body: a match costs a 304 and nothing else.

/** Whether If-None-Match names this ETag (weak comparison, as RFC 9110 asks for If-None-Match), or is "*". */
export function ifNoneMatchIncludes(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare);
}

/** A 304 with only what a cache needs to keep using its copy: the validator and the caching rules. */
export function notModified(etag: string, cacheControl: string): Response {
  return new Response(null, { status: 304, headers: { ETag: etag, 'Cache-Control': cacheControl } });
}
