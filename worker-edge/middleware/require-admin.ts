// Admin calls carry `Authorization: Bearer <ADMIN_TOKEN>`. With no token configured, admin calls are refused, not open.
import type { MiddlewareHandler } from 'hono';
import { ApiFailure } from '../api/api-failure.ts';

async function sameSecret(a: string, b: string): Promise<boolean> {
  // Compare digests in constant time, so neither the token nor its length leaks through timing.
  const [da, db] = await Promise.all([a, b].map((s) => crypto.subtle.digest('SHA-256', new TextEncoder().encode(s))));
  return crypto.subtle.timingSafeEqual(da as ArrayBuffer, db as ArrayBuffer);
}

export function requireAdmin(): MiddlewareHandler<{ Bindings: Env }> {
  return async function requireAdminToken(c, next) {
    const expected = c.env.ADMIN_TOKEN;
    if (!expected) {
      throw new ApiFailure(
        403,
        'forbidden',
        'Admin actions are turned off: no ADMIN_TOKEN is configured on the server (set it with `wrangler secret put ADMIN_TOKEN`, or in .dev.vars locally).',
      );
    }
    const match = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
    if (!match || !(await sameSecret(match[1]!.trim(), expected))) {
      throw new ApiFailure(
        401,
        'unauthorized',
        'This action needs the admin token: send `Authorization: Bearer <ADMIN_TOKEN>`.',
        {
          'WWW-Authenticate': 'Bearer realm="offline-reader"',
        },
      );
    }
    await next();
  };
}
