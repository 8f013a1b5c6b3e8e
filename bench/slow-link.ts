// A slow link between Chromium and the reader, so that a sync's time is round trips and bytes rather than CPU: an
// HTTP proxy on loopback only that holds every request for a fixed delay (one round trip) and sends responses no
// faster than a bandwidth cap that all connections share (one radio link). Text answers are gzipped on the way when
// the browser accepts it, as Cloudflare's edge does (wrangler dev sends them as they are). It counts requests and
// bytes on the link, and stops by itself after `lifetimeMs` whatever happens to the bench.
import { request as httpRequest, createServer, Agent, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface SlowLinkOptions {
  /** Added to every request: the link's round trip. */
  delayMs: number;
  /** Shared by every response body. */
  bytesPerSecond: number;
  lifetimeMs?: number;
}

export interface LinkRequest {
  method: string;
  path: string;
  /** Request and response headers and bodies as they crossed the link. */
  bytes: number;
  startedAt: number;
  endedAt: number;
  /** From forwarding the request to the reader's last byte: the edge's own time (and loopback). */
  upstreamMs: number;
  /** Gzipping the answer on the way, as Cloudflare would. */
  gzipMs: number;
  /** The edge's Server-Timing header, when it sent one. */
  serverTiming: string | null;
}

export interface SlowLink {
  /** The reader's site through the link (127.0.0.1 is a secure context, as localhost is). */
  url: string;
  /** Every request since the last reset, completed ones with their bytes. */
  requests: LinkRequest[];
  reset(): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const headerBytes = (headers: IncomingHttpHeaders) =>
  Object.entries(headers).reduce((sum, [name, value]) => sum + name.length + 4 + String(value).length, 0);
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|manifest\+json)|image\/svg)/;

export async function startSlowLink(target: string, options: SlowLinkOptions): Promise<SlowLink> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  let requests: LinkRequest[] = [];
  /** When the shared link is free to carry the next chunk. */
  let linkFreeAt = 0;
  const carry = async (bytes: number) => {
    const now = performance.now();
    const start = Math.max(now, linkFreeAt);
    linkFreeAt = start + (bytes / options.bytesPerSecond) * 1000;
    await sleep(linkFreeAt - now);
  };

  const server = createServer(async (req, res) => {
    const startedAt = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    await sleep(options.delayMs);
    const forwardedAt = performance.now();
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'accept-encoding': 'identity' },
        agent,
      },
      async (answer) => {
        const parts: Buffer[] = [];
        for await (const chunk of answer) parts.push(chunk as Buffer);
        let payload = Buffer.concat(parts);
        const upstreamMs = performance.now() - forwardedAt;
        const headers = { ...answer.headers };
        const gzip =
          /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) &&
          COMPRESSIBLE.test(String(headers['content-type'] ?? '')) &&
          payload.length > 0;
        const gzipStarted = performance.now();
        if (gzip) {
          payload = gzipSync(payload);
          headers['content-encoding'] = 'gzip';
        }
        const gzipMs = performance.now() - gzipStarted;
        delete headers['transfer-encoding'];
        headers['content-length'] = String(payload.length);
        res.writeHead(answer.statusCode ?? 502, headers);
        const CHUNK = 16 * 1024;
        for (let at = 0; at < payload.length; at += CHUNK) {
          const slice = payload.subarray(at, at + CHUNK);
          await carry(slice.length);
          res.write(slice);
        }
        res.end();
        const bytes = headerBytes(req.headers) + body.length + headerBytes(headers) + payload.length;
        requests.push({
          method: req.method ?? 'GET',
          path: req.url ?? '',
          bytes,
          startedAt,
          endedAt: performance.now(),
          upstreamMs,
          gzipMs,
          serverTiming: headers['server-timing'] === undefined ? null : String(headers['server-timing']),
        });
      },
    );
    forwarded.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    forwarded.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      agent.destroy();
      server.close(() => resolve());
    });
  // Stops by itself: a bench that dies leaves no listener behind.
  const deadline = setTimeout(() => void close(), options.lifetimeMs ?? 10 * 60 * 1000);
  deadline.unref();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return requests;
    },
    reset() {
      requests = [];
    },
    async close() {
      clearTimeout(deadline);
      await close();
    },
  };
}
