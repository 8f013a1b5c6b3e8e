// A fetch() that threw before any answer → a FetchFailure a person can act on. workerd (1.20261102.1) keeps the cause
// to itself: refused, reset or closed early is "Network connection lost.", DNS and TLS failures are both "internal
// error; reference = <id>". Other runtimes (Node's fetch as fetchImpl) give `error.cause.code`.
import { FetchFailure } from './fetch-failure.ts';
import { parseIpAddress } from './ip-ranges.ts';

const WORKERD_CONNECTION_LOST = 'Network connection lost.';
const WORKERD_OPAQUE_ERROR = /^internal error; reference = /;

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME']);
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
]);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT)/;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function causeCode(error: unknown): string | null {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
  return typeof code === 'string' ? code : null;
}

/**
 * workerd gives DNS and TLS failures the same opaque error. Plain http has no TLS, and an IP address needs no
 * lookup; otherwise ask the same name over plain http: failing the same way again means the name did not resolve.
 */
async function dnsOrTls(url: URL, fetchImpl: typeof fetch, signal: AbortSignal): Promise<'dns' | 'tls'> {
  if (url.protocol === 'http:') return 'dns';
  if (parseIpAddress(url.hostname)) return 'tls';
  try {
    const probe = await fetchImpl(`http://${url.hostname}/`, { method: 'HEAD', redirect: 'manual', signal });
    await probe.body?.cancel();
    return 'tls';
  } catch (error) {
    return WORKERD_OPAQUE_ERROR.test(messageOf(error)) ? 'dns' : 'tls';
  }
}

function failure(kind: 'dns' | 'tls' | 'connection', url: URL): FetchFailure {
  switch (kind) {
    case 'dns':
      return new FetchFailure('dns', `DNS lookup failed for ${url.hostname}`);
    case 'tls':
      return new FetchFailure(
        'tls',
        `The secure connection to ${url.host} failed (TLS handshake or certificate problem)`,
      );
    case 'connection':
      return new FetchFailure(
        'connection',
        `Could not connect to ${url.host} (connection refused, or closed before answering)`,
      );
  }
}

export async function diagnoseNetworkError(
  error: unknown,
  url: URL,
  fetchImpl: typeof fetch,
  signal: AbortSignal,
): Promise<FetchFailure> {
  const message = messageOf(error);
  const code = causeCode(error);
  if (message === WORKERD_CONNECTION_LOST || (code !== null && CONNECTION_CODES.has(code)))
    return failure('connection', url);
  if (code !== null && DNS_CODES.has(code)) return failure('dns', url);
  if (code !== null && TLS_CODE.test(code)) return failure('tls', url);
  if (WORKERD_OPAQUE_ERROR.test(message)) return failure(await dnsOrTls(url, fetchImpl, signal), url);
  return new FetchFailure('network', `Could not fetch from ${url.host}: ${message}`);
}
