// Every HTML page: a strict Content-Security-Policy (nothing inline, everything from our own origin), so even a
// sanitiser slip could not run script, plus Hono's other secure headers.
import { secureHeaders } from 'hono/secure-headers';

export function pageSecurity() {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      imgSrc: ["'self'"],
      styleSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
      manifestSrc: ["'self'"],
      workerSrc: ["'self'"],
      connectSrc: ["'self'"],
    },
    referrerPolicy: 'no-referrer',
  });
}
