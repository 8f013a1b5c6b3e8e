import { it } from 'vitest';
it('abort ctrl body', async () => {
  const ctrl = new AbortController();
  let t = Date.now();
  const res = await fetch('http://127.0.0.1:18091/', { signal: ctrl.signal });
  setTimeout(() => ctrl.abort(), 300);
  const reader = res.body!.getReader();
  try { for (;;) { const r = await reader.read(); if (r.done) break; } } catch (e) { console.log('body abort', (e as Error).name, (e as Error).message, Date.now() - t); }
  console.log(new URL('http://[::1]:80/').hostname, new URL('http://[::1]:80/').host, new URL('HTTP://EXAMPLE.com:80/a').href);
  try { new URL('http://a b/'); } catch (e) { console.log((e as Error).name, (e as Error).message); }
  console.log(new URL('http://exa_mple.com/').hostname, new URL('http://xn--nxasmq6b.com').hostname, new URL('http://ÄÖ.de').hostname);
});
