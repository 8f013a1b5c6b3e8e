// Which IP addresses lead somewhere other than the public internet: loopback, private and shared networks,
// link-local (where cloud metadata services live), multicast, reserved space, and IPv6 forms that embed one of those.
export type IpAddress = { version: 4; value: number } | { version: 6; value: bigint };

/** Strict dotted-decimal only: by the time a host reaches us the URL parser has already turned
 *  2130706433, 0x7f.1, 0177.0.0.1 and 127.1 into 127.0.0.1 (checked in workerd). */
function parseIPv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return null;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

function parseIPv6(text: string): bigint | null {
  let groupsText = text;
  // A dotted IPv4 tail (::ffff:127.0.0.1) is two 16-bit groups written differently.
  const tailStart = text.lastIndexOf(':') + 1;
  if (text.includes('.', tailStart)) {
    const tail = parseIPv4(text.slice(tailStart));
    if (tail === null) return null;
    groupsText = `${text.slice(0, tailStart)}${(tail >>> 16).toString(16)}:${(tail & 0xffff).toString(16)}`;
  }
  const halves = groupsText.split('::');
  if (halves.length > 2) return null;
  const [head = '', tail = ''] = halves;
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...headGroups, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tailGroups];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return null;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

/** Accepts `1.2.3.4`, `::1` and the bracketed form URL.hostname gives for IPv6 (`[::1]`). */
export function parseIpAddress(text: string): IpAddress | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v4 = parseIPv4(bare);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = bare.includes(':') ? parseIPv6(bare) : null;
  return v6 === null ? null : { version: 6, value: v6 };
}

function v4(text: string): number {
  const value = parseIPv4(text);
  if (value === null) throw new Error(`bad range ${text}`);
  return value;
}

function v6(text: string): bigint {
  const value = parseIPv6(text);
  if (value === null) throw new Error(`bad range ${text}`);
  return value;
}

const ipv4Ranges: Array<[base: number, prefix: number, description: string]> = [
  [v4('0.0.0.0'), 8, 'a "this network" address'],
  [v4('10.0.0.0'), 8, 'a private address'],
  [v4('100.64.0.0'), 10, 'a carrier-grade NAT (shared) address'],
  [v4('127.0.0.0'), 8, 'a loopback address'],
  [v4('169.254.0.0'), 16, 'a link-local address (where cloud metadata services live)'],
  [v4('172.16.0.0'), 12, 'a private address'],
  [v4('192.0.0.0'), 24, 'a reserved protocol address'],
  [v4('192.0.2.0'), 24, 'a documentation address'],
  // Anycast to whichever 6to4 relay is nearest: it forwards into IPv6 space we cannot vet (RFC 7526 retired it).
  [v4('192.88.99.0'), 24, 'a 6to4 relay anycast address'],
  [v4('192.168.0.0'), 16, 'a private address'],
  [v4('198.18.0.0'), 15, 'a benchmarking address'],
  [v4('198.51.100.0'), 24, 'a documentation address'],
  [v4('203.0.113.0'), 24, 'a documentation address'],
  [v4('224.0.0.0'), 4, 'a multicast address'],
  [v4('240.0.0.0'), 4, 'a reserved address'],
];

const ipv6Ranges: Array<[base: bigint, prefix: number, description: string]> = [
  [v6('::'), 128, 'the unspecified address'],
  [v6('::1'), 128, 'a loopback address'],
  [v6('64:ff9b:1::'), 48, 'a local-use NAT64 address'],
  [v6('100::'), 64, 'a discard-only address'],
  // Teredo tunnels to an IPv4 host hidden (XOR-ed) in the address; only 2001:0000::/32, not the rest of 2001::.
  [v6('2001::'), 32, 'a Teredo tunnel address'],
  [v6('2001:db8::'), 32, 'a documentation address'],
  [v6('fc00::'), 7, 'a unique-local (private) address'],
  [v6('fe80::'), 10, 'a link-local address'],
  [v6('fec0::'), 10, 'a site-local address'],
  [v6('ff00::'), 8, 'a multicast address'],
];

/** IPv6 forms that carry an IPv4 address, and where its 32 bits sit: these reach the IPv4 host. */
const ipv4Carriers: Array<[base: bigint, prefix: number, shift: bigint, name: string]> = [
  [v6('::ffff:0:0'), 96, 0n, 'IPv4-mapped'],
  [v6('::'), 96, 0n, 'IPv4-compatible'],
  [v6('::ffff:0:0:0'), 96, 0n, 'IPv4-translated'],
  [v6('64:ff9b::'), 96, 0n, 'NAT64'],
  [v6('2002::'), 16, 80n, '6to4'],
];

function inIPv4Range(value: number, base: number, prefix: number): boolean {
  const size = 2 ** (32 - prefix);
  return Math.floor(value / size) === Math.floor(base / size);
}

function inIPv6Range(value: bigint, base: bigint, prefix: number): boolean {
  const shift = BigInt(128 - prefix);
  return value >> shift === base >> shift;
}

function formatIPv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Why an address is not on the public internet ("a loopback address"), or null when it is. */
export function nonPublicReason(address: IpAddress): string | null {
  if (address.version === 4) {
    return ipv4Ranges.find(([base, prefix]) => inIPv4Range(address.value, base, prefix))?.[2] ?? null;
  }
  const exact = ipv6Ranges.find(([base, prefix]) => prefix === 128 && address.value === base);
  if (exact) return exact[2];
  for (const [base, prefix, shift, name] of ipv4Carriers) {
    if (!inIPv6Range(address.value, base, prefix)) continue;
    const embedded = Number((address.value >> shift) & 0xffffffffn);
    const reason = nonPublicReason({ version: 4, value: embedded });
    return reason === null ? null : `the ${name} form of ${formatIPv4(embedded)}, ${reason}`;
  }
  return ipv6Ranges.find(([base, prefix]) => inIPv6Range(address.value, base, prefix))?.[2] ?? null;
}
