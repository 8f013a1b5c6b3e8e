// The fixture origin's content, by URL prefix. Every route here gets the query-parameter faults and the
// origin's latency for free; add a new kind of fixture by adding a row.
import type { IncomingHttpHeaders } from 'node:http';
import { CHAOS_PREFIX, serveChaosSite } from './chaos-site-route.ts';
import { serveFixtureFile } from './fixture-files.ts';
import { GENERATED_PREFIX, serveGenerated } from './generated-page-route.ts';
import { textResponse, type FixtureResponse } from './fixture-response.ts';
import { HOSTILE_PREFIX, serveHostile } from './hostile-route.ts';
import { SAMPLE_SITE_PREFIX, serveSampleSite } from './sample-site-route.ts';
import { serveXss, XSS_PREFIX } from './xss-route.ts';

export interface FixtureRequest {
  url: URL;
  method: string;
  headers: IncomingHttpHeaders;
  /** Where the origin listens (`http://127.0.0.1:<port>`), for routes that write absolute links. */
  origin: string;
}

export interface FixtureRoute {
  prefix: string;
  respond(request: FixtureRequest): Promise<FixtureResponse>;
}

export const fixtureRoutes: FixtureRoute[] = [
  { prefix: '/shared/', respond: ({ url }) => serveFixtureFile(url.pathname) },
  { prefix: HOSTILE_PREFIX, respond: serveHostile },
  { prefix: '/local/', respond: ({ url }) => serveFixtureFile(url.pathname) },
  { prefix: SAMPLE_SITE_PREFIX, respond: serveSampleSite },
  { prefix: XSS_PREFIX, respond: serveXss },
  { prefix: CHAOS_PREFIX, respond: serveChaosSite },
  { prefix: GENERATED_PREFIX, respond: serveGenerated },
];

export async function respondFromRoutes(request: FixtureRequest): Promise<FixtureResponse> {
  const route = fixtureRoutes.find(({ prefix }) => request.url.pathname.startsWith(prefix));
  return route ? route.respond(request) : textResponse(404, `no fixture route for ${request.url.pathname}`);
}
