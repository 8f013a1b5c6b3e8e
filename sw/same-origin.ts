// Whether an address the page handed over stays on this site. Parsed as the browser will parse it, not tested as a
// string: `/\evil.example/x` and `/\t/evil` look like paths but URL parsing turns them into `//evil…`, another host.

declare const self: ServiceWorkerGlobalScope;

export function isSameOrigin(path: unknown): path is string {
  return typeof path === 'string' && URL.parse(path, self.location.origin)?.origin === self.location.origin;
}
