// Per-client limits on the routes that make the Worker fetch elsewhere or subscribe (Cloudflare's Rate Limiting
// binding: counted per Cloudflare location, approximately; wrangler dev and the workerd tests run it locally).
// Answered with 429 and Retry-After, which the service worker honours. A reader browsing normally stays far below.
import type { MiddlewareHandler } from 'hono';
import { ApiFailure } from '../api/api-failure.ts';

/** The bindings in wrangler.toml ([[ratelimits]]), and what each one limits, for the 429's message. */
export const RATE_LIMITS = {
  EXTRACT_LIMITER: 'reading pages by their address',
  IMAGE_LIMITER: 'pictures',
  SUBSCRIBE_LIMITER: 'subscribing',
} as const;
export type RateLimitName = keyof typeof RATE_LIMITS;

/** Cloudflare's windows are 10 or 60 seconds; ours are all 60. */
const PERIOD_SECONDS = 60;

/**
 * Who is asking: the address Cloudflare saw (CF-Connecting-IP, which it sets on every request and a client cannot
 * forge there). An IPv6 client counts as its /64, which one subscriber usually holds whole. Without the header
 * (self-hosted workerd) every client shares one count: the safe side.
 */
export function clientKey(header: string | undefined): string {
  const ip = header?.trim() ?? '';
  if (!ip) return 'unknown';
  if (!ip.includes(':')) return ip;
  // An IPv4 client written as IPv6 (::ffff:192.0.2.1) is that IPv4 client, not the /64 every such client shares.
  if (ip.includes('.')) return ip.slice(ip.lastIndexOf(':') + 1);
  const groups = expandIpv6(ip);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : ip;
}

function expandIpv6(ip: string): string[] | null {
  const [head = '', tail, extra] = ip.toLowerCase().split('::');
  if (extra !== undefined) return null;
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  return [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right].map((g) =>
    g.replace(/^0+(?=.)/, ''),
  );
}

export function rateLimit(
  name: RateLimitName,
  applies: (req: Request) => boolean = () => true,
): MiddlewareHandler<{ Bindings: Env }> {
  return async function limitPerClient(c, next) {
    if (applies(c.req.raw)) {
      const { success } = await c.env[name].limit({ key: clientKey(c.req.header('CF-Connecting-IP')) });
      if (!success) {
        throw new ApiFailure(
          429,
          'rate_limited',
          `Too many requests for ${RATE_LIMITS[name]} from your address; try again in a minute. Nothing you asked for before was lost.`,
          { 'Retry-After': String(PERIOD_SECONDS) },
        );
      }
    }
    await next();
  };
}
