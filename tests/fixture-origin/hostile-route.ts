// Generated hostile feeds under /local/hostile/: /local/hostile/<family>?bytes=N (default 1 MB), for the hostile
// feed proof. The families and what each should end as are in hostile-bodies.ts.
import { bytesBody, textResponse, type FixtureResponse } from './fixture-response.ts';
import { HOSTILE_FAMILIES } from './hostile-bodies.ts';
import type { FixtureRequest } from './routes.ts';

export const HOSTILE_PREFIX = '/local/hostile/';
const MAX_BYTES = 64 * 1024 * 1024;

export async function serveHostile({ url }: FixtureRequest): Promise<FixtureResponse> {
  const family = HOSTILE_FAMILIES[url.pathname.slice(HOSTILE_PREFIX.length)];
  const bytes = Math.min(MAX_BYTES, Number(url.searchParams.get('bytes') ?? 1024 * 1024) || 0);
  if (!family) return textResponse(404, `no hostile family at ${url.pathname}`);
  return { status: 200, headers: { 'content-type': family.contentType }, body: bytesBody(family.make(bytes)) };
}
