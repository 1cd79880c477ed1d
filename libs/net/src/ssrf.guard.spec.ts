import { SsrfGuard, type LookupAll } from './ssrf.guard.js';
import { NetError } from './net.errors.js';

/** No test here ever opens a connection: literals are classified, names go through an injected resolver. */
function fakeDns(table: Record<string, string[]>): LookupAll & { calls: string[] } {
  const calls: string[] = [];
  const lookup = async (hostname: string) => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(lookup, { calls });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof NetError) return `${error.code}: ${error.message}`;
    throw error;
  }
}

describe('SsrfGuard', () => {
  const dns = fakeDns({
    'shop.example': ['93.184.216.34'],
    'dual.example': ['93.184.216.34', '2606:4700::1'],
    'sneaky.example': ['93.184.216.34', '10.0.0.1'],
    'internal.example': ['10.0.0.1'],
    'metadata.example': ['169.254.169.254'],
    'mapped.example': ['::ffff:127.0.0.1'],
    localhost: ['127.0.0.1', '::1'],
    'localhost.': ['127.0.0.1'],
    'intranet.corp': ['10.20.30.40'],
    'evil.corp': ['169.254.169.254'],
    'garbage.example': ['not-an-ip'],
  });
  const guard = new SsrfGuard({ lookup: dns });

  it('returns the checked address for a public name, and every address it has', async () => {
    const target = await guard.check('https://dual.example/feed.xml');
    expect(target.address).toBe('93.184.216.34');
    expect(target.addresses.map((a) => a.address)).toEqual(['93.184.216.34', '2606:4700::1']);
    expect(target.hostname).toBe('dual.example');
  });

  it('refuses a name when ANY of its addresses is not public, naming category and address', async () => {
    expect(await codeOf(guard.check('http://sneaky.example/'))).toMatch(/^BLOCKED_ADDRESS: .*10\.0\.0\.1 is a private/);
    expect(await codeOf(guard.check('http://internal.example/'))).toMatch(/^BLOCKED_ADDRESS: .*private/);
    expect(await codeOf(guard.check('http://metadata.example/'))).toMatch(/^BLOCKED_ADDRESS: .*metadata/);
    expect(await codeOf(guard.check('http://mapped.example/'))).toMatch(/^BLOCKED_ADDRESS: .*loopback/);
    expect(await codeOf(guard.check('http://localhost:8080/'))).toMatch(/^BLOCKED_ADDRESS: .*loopback/);
    expect(await codeOf(guard.check('http://garbage.example/'))).toMatch(/^BLOCKED_ADDRESS: .*reserved/);
  });

  it.each([
    ['http://127.0.0.1/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://0x7f000001/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::ffff:7f00:1]/', 'loopback'],
    ['http://[64:ff9b::7f00:1]/', 'loopback'],
    ['http://[2002:7f00:1::1]/', 'loopback'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://[fd00:ec2::254]/', 'metadata'],
    ['http://0.0.0.0:3000/', 'unspecified'],
    ['http://0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://10.1.2.3/', 'private'],
    ['http://167772161/', 'private'],
    ['http://100.64.1.1/', 'cgnat'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://255.255.255.255/', 'reserved'],
  ])('refuses the IP literal %s (%s) without resolving anything', async (url, category) => {
    const before = dns.calls.length;
    expect(await codeOf(guard.check(url))).toMatch(new RegExp(`^BLOCKED_ADDRESS: .* is a ${category} address`));
    expect(dns.calls.length).toBe(before);
  });

  it('accepts public IP literals without a lookup', async () => {
    expect((await guard.check('http://93.184.216.34:8080/x')).address).toBe('93.184.216.34');
    expect((await guard.check('http://[2606:4700:4700::1111]/')).address).toBe('2606:4700:4700::1111');
  });

  it('refuses schemes other than http and https, and unparsable URLs', async () => {
    expect(await codeOf(guard.check('file:///etc/passwd'))).toMatch(/^UNSUPPORTED_SCHEME: .*file:/);
    expect(await codeOf(guard.check('ftp://shop.example/feed.csv'))).toMatch(/^UNSUPPORTED_SCHEME/);
    expect(await codeOf(guard.check('gopher://shop.example/'))).toMatch(/^UNSUPPORTED_SCHEME/);
    expect(await codeOf(guard.check('data:text/plain,hi'))).toMatch(/^UNSUPPORTED_SCHEME/);
    expect(await codeOf(guard.check('not a url'))).toMatch(/^INVALID_URL/);
    expect(await codeOf(guard.check('http://[::1/'))).toMatch(/^INVALID_URL/);
  });

  it('reports resolver failures as DNS_FAILED with the errno', async () => {
    expect(await codeOf(guard.check('http://nowhere.example/'))).toMatch(/^DNS_FAILED: .*nowhere\.example.*ENOTFOUND/);
    const empty = new SsrfGuard({ lookup: async () => [] });
    expect(await codeOf(empty.check('http://shop.example/'))).toMatch(/^DNS_FAILED: .*ENODATA/);
  });

  it('allowHosts by name trusts what the name resolves to, except metadata', async () => {
    const allowing = new SsrfGuard({ lookup: dns, allowHosts: ['localhost', '*.corp'] });
    expect((await allowing.check('http://localhost:3000/')).address).toBe('127.0.0.1');
    expect((await allowing.check('http://LOCALHOST./')).address).toBe('127.0.0.1');
    expect((await allowing.check('http://intranet.corp/')).address).toBe('10.20.30.40');
    expect(await codeOf(allowing.check('http://evil.corp/'))).toMatch(/^BLOCKED_ADDRESS: .*metadata/);
    // The name is allowed, not the address: the literal stays refused.
    expect(await codeOf(allowing.check('http://127.0.0.1:3000/'))).toMatch(/^BLOCKED_ADDRESS: .*loopback/);
  });

  it('allowHosts by IP or CIDR permits exactly those addresses', async () => {
    const allowing = new SsrfGuard({ lookup: dns, allowHosts: ['127.0.0.1', '10.0.0.0/8', '::1'] });
    expect((await allowing.check('http://127.0.0.1:3000/')).address).toBe('127.0.0.1');
    expect((await allowing.check('http://[::1]:3000/')).address).toBe('::1');
    expect((await allowing.check('http://internal.example/')).address).toBe('10.0.0.1');
    expect(await codeOf(allowing.check('http://127.0.0.2/'))).toMatch(/^BLOCKED_ADDRESS/);
    expect(await codeOf(allowing.check('http://192.168.0.1/'))).toMatch(/^BLOCKED_ADDRESS/);
  });

  it('allowPrivate opens RFC 1918 and CGNAT space but not loopback, link-local or metadata', async () => {
    const lenient = new SsrfGuard({ lookup: dns, allowPrivate: true });
    expect((await lenient.check('http://10.1.2.3/')).address).toBe('10.1.2.3');
    expect((await lenient.check('http://100.64.0.1/')).address).toBe('100.64.0.1');
    expect((await lenient.check('http://[fd00::1]/')).address).toBe('fd00::1');
    expect(await codeOf(lenient.check('http://127.0.0.1/'))).toMatch(/^BLOCKED_ADDRESS: .*loopback/);
    expect(await codeOf(lenient.check('http://169.254.1.1/'))).toMatch(/^BLOCKED_ADDRESS: .*link-local/);
    expect(await codeOf(lenient.check('http://169.254.169.254/'))).toMatch(/^BLOCKED_ADDRESS: .*metadata/);
    expect(await codeOf(lenient.check('http://100.100.100.200/'))).toMatch(/^BLOCKED_ADDRESS: .*metadata/);
  });
});
