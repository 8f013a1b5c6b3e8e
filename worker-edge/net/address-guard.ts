// Whether the edge may fetch a URL at all (no server-side request forgery): http(s) only, no credentials, and unless
// ALLOW_PRIVATE_NETWORK nothing on loopback, private or link-local networks. On Cloudflare a second line, under workerd
// the main one. Workers have no DNS API: where a resolver exists, pass it as `resolveHost`.
import { FetchFailure } from './fetch-failure.ts';
import { nonPublicReason, parseIpAddress } from './ip-ranges.ts';

export interface AddressPolicy {
  allowPrivateNetwork: boolean;
}

/** Resolves a host name to its IP addresses, as text. */
export type ResolveHost = (host: string) => Promise<string[]>;

const PRIVATE_NETWORK_HINT = 'addresses on private networks are only fetched when ALLOW_PRIVATE_NETWORK is set';

/** Names /etc/hosts gives the machine itself on common distributions (Red Hat: localhost4/6.localdomain4/6). */
const MACHINE_DOMAIN = /(^|\.)localdomain[46]?$/;

function privateNameReason(host: string): string | null {
  if (host === 'localhost' || host.endsWith('.localhost')) return 'a name for this machine';
  if (MACHINE_DOMAIN.test(host)) return 'a name for this machine (its hosts-file domain)';
  // A dotless name (`metadata`, `intranet`) is completed by the local resolver's search domains.
  if (!host.includes('.')) return 'a single-label name, which only resolves on a local network';
  if (host.endsWith('.local')) return 'a local-network (mDNS) name';
  if (host.endsWith('.internal')) return 'an internal name (cloud metadata services use these)';
  if (host.endsWith('.home.arpa')) return 'a home-network name';
  return null;
}

function blocked(host: string, reason: string): FetchFailure {
  return new FetchFailure('blocked-address', `${host} is ${reason}; ${PRIVATE_NETWORK_HINT}`);
}

function refusePrivateHost(hostname: string): void {
  // The URL parser keeps every trailing dot ("localhost..", "127.0.0.1.."), and resolvers may drop them all.
  const bare = hostname.replace(/\.+$/, '');
  const address = parseIpAddress(bare);
  const reason = address ? nonPublicReason(address) : privateNameReason(bare);
  if (reason) throw blocked(hostname, reason);
}

/** Parses and vets a URL before anything is sent to it; throws FetchFailure ('invalid-url' | 'blocked-address'). */
export function checkFetchableUrl(url: string, opts: AddressPolicy): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FetchFailure(
      'invalid-url',
      `"${url.length > 200 ? `${url.slice(0, 200)}…` : url}" is not a valid web address`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FetchFailure('invalid-url', `Only http and https addresses can be fetched, not ${parsed.protocol}`);
  }
  if (parsed.username || parsed.password) {
    throw new FetchFailure('invalid-url', 'Addresses with a user name or password in them are not fetched');
  }
  if (!opts.allowPrivateNetwork) refusePrivateHost(parsed.hostname);
  return parsed;
}

/**
 * Checks every address a host name resolves to. Best effort: the fetch resolves the name again, so a name that
 * changes its answer in between (DNS rebinding) is not caught; it still stops names that plainly point inwards.
 */
export async function checkResolvedHost(url: URL, resolveHost: ResolveHost): Promise<void> {
  const host = url.hostname;
  if (parseIpAddress(host)) return;
  let addresses: string[];
  try {
    addresses = await resolveHost(host);
  } catch {
    throw new FetchFailure('dns', `DNS lookup failed for ${host}`);
  }
  if (addresses.length === 0) throw new FetchFailure('dns', `DNS lookup found no address for ${host}`);
  for (const text of addresses) {
    const address = parseIpAddress(text);
    if (!address) throw new FetchFailure('dns', `DNS lookup for ${host} gave an unusable answer (${text})`);
    const reason = nonPublicReason(address);
    if (reason) throw blocked(`${host} resolves to ${text}, which`, reason);
  }
}
