import { classifyAddress, parseCidr, parseIp, inRange, type AddressCategory } from './ip-address.js';

describe('classifyAddress', () => {
  const cases: Array<[string, AddressCategory]> = [
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['100.128.0.1', 'public'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.99', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['2606:4700:4700::1111', 'public'],
    ['2a00:1450:4001:80b::200e', 'public'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:a00:1::1', 'private'],
    ['2002:808:808::1', 'public'],
    ['::127.0.0.1', 'loopback'],
    ['::8.8.8.8', 'reserved'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001:0:4136:e378::1', 'reserved'],
    ['100::1', 'reserved'],
    ['4000::1', 'reserved'],
  ];

  it.each(cases)('%s is %s', (ip, category) => {
    expect(classifyAddress(ip)).toBe(category);
  });

  it('fails closed on anything that is not an IP literal', () => {
    for (const input of ['localhost', '2130706433', '0x7f.1', '0177.0.0.1', '127.1', '', '1.2.3.4.5', ':::']) {
      expect(classifyAddress(input)).toBe('reserved');
    }
  });
});

describe('parseCidr / inRange', () => {
  it('matches IPv4, IPv6 and mapped addresses against ranges', () => {
    expect(inRange(parseIp('10.9.8.7')!, parseCidr('10.0.0.0/8'))).toBe(true);
    expect(inRange(parseIp('11.0.0.1')!, parseCidr('10.0.0.0/8'))).toBe(false);
    expect(inRange(parseIp('::ffff:10.9.8.7')!, parseCidr('10.0.0.0/8'))).toBe(true);
    expect(inRange(parseIp('fd00::5')!, parseCidr('fd00::/8'))).toBe(true);
    expect(inRange(parseIp('127.0.0.1')!, parseCidr('127.0.0.1'))).toBe(true);
    expect(inRange(parseIp('127.0.0.2')!, parseCidr('127.0.0.1'))).toBe(false);
    expect(inRange(parseIp('10.0.0.1')!, parseCidr('::ffff:10.0.0.0/104'))).toBe(true);
  });

  it('rejects malformed ranges', () => {
    for (const input of ['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/x', 'example.com/8', '::/129', '1.2.3.4/8/9']) {
      expect(() => parseCidr(input)).toThrow();
    }
  });
});
