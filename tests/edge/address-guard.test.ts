// The address guard, table-driven, in workerd (so URL parsing is workerd's own: it turns 2130706433, 0x7f.1,
// 0177.0.0.1 and 127.1 into 127.0.0.1 before the guard sees them).
import { describe, expect, it } from 'vitest';
import { checkFetchableUrl, checkResolvedHost } from '../../worker-edge/net/address-guard.ts';
import { FetchFailure } from '../../worker-edge/net/fetch-failure.ts';

const strict = { allowPrivateNetwork: false };
const permissive = { allowPrivateNetwork: true };

function failureOf(run: () => unknown): FetchFailure {
  try {
    run();
  } catch (error) {
    if (error instanceof FetchFailure) return error;
    throw error;
  }
  throw new Error('expected a FetchFailure');
}

const blockedAddresses: Array<[url: string, reason: RegExp]> = [
  ['http://127.0.0.1/feed', /loopback/],
  ['http://127.255.255.254/', /loopback/],
  ['http://2130706433/', /loopback/],
  ['http://0x7f000001/', /loopback/],
  ['http://0x7f.1/', /loopback/],
  ['http://0177.0.0.1/', /loopback/],
  ['http://127.1/', /loopback/],
  ['http://%31%32%37.0.0.1/', /loopback/],
  ['http://１２７.０.０.１/', /loopback/],
  ['http://127.0.0.1./', /loopback/],
  // The URL parser keeps every trailing dot, and such a host is a name to it, not an address.
  ['http://127.0.0.1../', /loopback/],
  ['http://10.0.0.1.../feed', /private/],
  ['http://10.0.0.1/', /private/],
  ['http://10.255.255.255/', /private/],
  ['http://172.16.0.1/', /private/],
  ['http://172.31.255.255/', /private/],
  ['http://192.168.1.1:8080/', /private/],
  ['http://100.64.0.1/', /carrier-grade NAT/],
  ['http://100.127.255.255/', /carrier-grade NAT/],
  ['http://169.254.169.254/latest/meta-data/', /link-local/],
  ['http://169.254.0.1/', /link-local/],
  ['http://0.0.0.0/', /this network/],
  ['http://0/', /this network/],
  ['http://0.1.2.3/', /this network/],
  ['http://224.0.0.1/', /multicast/],
  ['http://239.255.255.250/', /multicast/],
  ['http://240.0.0.1/', /reserved/],
  ['http://255.255.255.255/', /reserved/],
  ['http://192.0.2.10/', /documentation/],
  ['http://192.88.99.1/', /6to4 relay anycast/],
  ['http://192.88.99.255/', /6to4 relay anycast/],
  ['http://198.18.0.1/', /benchmarking/],
  ['http://[::1]/', /loopback/],
  ['http://[0:0:0:0:0:0:0:1]/', /loopback/],
  ['http://[::]/', /unspecified/],
  ['http://[fc00::1]/', /unique-local/],
  ['http://[fd12:3456:789a::1]/', /unique-local/],
  ['http://[fe80::1]/', /link-local/],
  ['http://[febf::1]/', /link-local/],
  ['http://[ff02::1]/', /multicast/],
  ['http://[2001:db8::1]/', /documentation/],
  ['http://[::ffff:127.0.0.1]/', /IPv4-mapped form of 127\.0\.0\.1, a loopback/],
  ['http://[::ffff:7f00:1]/', /IPv4-mapped form of 127\.0\.0\.1/],
  ['http://[::ffff:a9fe:a9fe]/', /IPv4-mapped form of 169\.254\.169\.254, a link-local/],
  ['http://[::ffff:10.1.2.3]/', /IPv4-mapped form of 10\.1\.2\.3, a private/],
  ['http://[::127.0.0.1]/', /IPv4-compatible form of 127\.0\.0\.1/],
  ['http://[::ffff:0:7f00:1]/', /IPv4-translated form of 127\.0\.0\.1/],
  ['http://[64:ff9b::10.0.0.1]/', /NAT64 form of 10\.0\.0\.1/],
  ['http://[64:ff9b::a9fe:a9fe]/', /NAT64 form of 169\.254\.169\.254/],
  ['http://[64:ff9b:1::1]/', /local-use NAT64/],
  ['http://[2002:7f00:1::]/', /6to4 form of 127\.0\.0\.1/],
  ['http://[::ffff:192.88.99.1]/', /IPv4-mapped form of 192\.88\.99\.1, a 6to4 relay anycast/],
  ['http://[2002:c058:6301::]/', /6to4 form of 192\.88\.99\.1, a 6to4 relay anycast/],
  ['http://[64:ff9b::192.88.99.1]/', /NAT64 form of 192\.88\.99\.1/],
  ['http://[2001::1]/', /Teredo/],
  ['http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', /Teredo/],
  ['http://[2001:0:ffff:ffff:ffff:ffff:ffff:ffff]/', /Teredo/],
  ['http://localhost/', /this machine/],
  ['http://LOCALHOST./', /this machine/],
  ['http://localhost../', /this machine/],
  ['http://localhost.../feed', /this machine/],
  ['http://localhost.localdomain/', /this machine/],
  ['http://LOCALHOST.LOCALDOMAIN./', /this machine/],
  ['http://localhost6.localdomain6/', /this machine/],
  ['http://localhost4.localdomain4:8080/', /this machine/],
  ['http://feeds.localhost../', /this machine/],
  ['http://a.b.localhost/', /this machine/],
  ['http://printer.local../', /mDNS/],
  ['http://localhost:8787/feed', /this machine/],
  ['http://feeds.localhost/', /this machine/],
  ['http://printer.local/', /mDNS/],
  ['http://metadata.google.internal/computeMetadata/v1/', /internal name/],
  ['http://db.corp.internal/', /internal name/],
  ['http://metadata/', /single-label/],
  ['http://intranet/', /single-label/],
  ['http://router.home.arpa/', /home-network/],
];

const publicAddresses = [
  'https://example.com/feed.xml',
  'http://8.8.8.8/',
  'http://1.1.1.1:8080/rss',
  'http://172.15.255.255/',
  'http://172.32.0.1/',
  'http://100.63.255.255/',
  'http://100.128.0.1/',
  'http://169.253.255.255/',
  'http://192.167.1.1/',
  'http://223.255.255.255/',
  'http://[2606:4700:4700::1111]/',
  'http://[::ffff:8.8.8.8]/',
  'http://[64:ff9b::808:808]/',
  'http://[2002:808:808::]/',
  'http://192.88.98.255/',
  'http://192.88.100.0/',
  // Only 2001:0000::/32 is Teredo: the rest of 2001:: is ordinary public space.
  'http://[2001:4860:4860::8888]/',
  'http://[2001:1:0:1::1]/',
  'http://[2001:200:dff:fff1:216:3eff:feb1:44d7]/',
  'https://localhost.example.com/',
  'https://localhost.localdomain.example.com/',
  'https://mylocalhost.example/',
  'https://localdomain.example/',
  'https://local.example/',
  'https://internal.example.org/',
  'https://xn--bcher-kva.example/',
];

describe('checkFetchableUrl refuses what is not on the public internet', () => {
  it.each(blockedAddresses)('%s', (url, reason) => {
    const failure = failureOf(() => checkFetchableUrl(url, strict));
    expect(failure.code).toBe('blocked-address');
    expect(failure.message).toMatch(reason);
    expect(failure.message).toMatch(/ALLOW_PRIVATE_NETWORK/);
  });

  it.each(blockedAddresses)('but lets %s through when private networks are allowed', (url) => {
    expect(checkFetchableUrl(url, permissive)).toBeInstanceOf(URL);
  });
});

describe('checkFetchableUrl lets public addresses through', () => {
  it.each(publicAddresses)('%s', (url) => {
    expect(checkFetchableUrl(url, strict).href).toBe(new URL(url).href);
  });
});

describe('checkFetchableUrl refuses what is not a fetchable web address, whatever the network policy', () => {
  const invalid: Array<[url: string, message: RegExp]> = [
    ['not a url', /not a valid web address/],
    ['', /not a valid web address/],
    ['//example.com/feed', /not a valid web address/],
    ['http://exa mple.com/', /not a valid web address/],
    ['http://[fe80::1%25eth0]/', /not a valid web address/],
    ['ftp://example.com/feed.xml', /Only http and https.*ftp:/],
    ['file:///etc/passwd', /Only http and https.*file:/],
    ['javascript:alert(1)', /Only http and https/],
    ['data:text/xml,<rss/>', /Only http and https/],
    ['http://user:secret@example.com/feed', /user name or password/],
    ['https://token@example.com/feed', /user name or password/],
  ];
  it.each(invalid)('%s', (url, message) => {
    for (const policy of [strict, permissive]) {
      const failure = failureOf(() => checkFetchableUrl(url, policy));
      expect(failure.code).toBe('invalid-url');
      expect(failure.message).toMatch(message);
    }
  });
});

describe('checkResolvedHost checks a DNS answer when a resolver is available', () => {
  const resolver = (answers: Record<string, string[]>) => async (host: string) => {
    const found = answers[host];
    if (!found) throw new Error(`NXDOMAIN ${host}`);
    return found;
  };
  const resolveHost = resolver({
    'public.example': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    'sneaky.example': ['93.184.215.14', '10.0.0.7'],
    'rebind.example': ['::ffff:127.0.0.1'],
    'empty.example': [],
    'garbage.example': ['not-an-ip'],
  });
  const check = async (url: string) => {
    try {
      await checkResolvedHost(new URL(url), resolveHost);
      return null;
    } catch (error) {
      return error as FetchFailure;
    }
  };

  it('passes a name whose every address is public', async () => {
    expect(await check('https://public.example/feed')).toBeNull();
  });

  it('refuses a name with any private address among its answers', async () => {
    const failure = await check('https://sneaky.example/feed');
    expect(failure).toMatchObject({ code: 'blocked-address' });
    expect(failure?.message).toMatch(/^sneaky\.example resolves to 10\.0\.0\.7, which is a private address/);
    expect((await check('https://rebind.example/'))?.message).toMatch(/IPv4-mapped form of 127\.0\.0\.1/);
  });

  it('reports names that do not resolve, resolve to nothing or to nonsense as DNS failures', async () => {
    expect(await check('https://missing.example/')).toMatchObject({
      code: 'dns',
      message: 'DNS lookup failed for missing.example',
    });
    expect(await check('https://empty.example/')).toMatchObject({
      code: 'dns',
      message: 'DNS lookup found no address for empty.example',
    });
    expect(await check('https://garbage.example/')).toMatchObject({ code: 'dns' });
  });

  it('does not ask the resolver about IP literals (the literal check already ran)', async () => {
    expect(await check('http://93.184.215.14/')).toBeNull();
    expect(await check('http://[2606:4700:4700::1111]/')).toBeNull();
  });
});
