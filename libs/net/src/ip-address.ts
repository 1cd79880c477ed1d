import { isIPv4, isIPv6 } from 'node:net';

export type AddressCategory =
  'public' | 'loopback' | 'private' | 'link-local' | 'cgnat' | 'multicast' | 'metadata' | 'unspecified' | 'reserved';

/** An IP as a number: 32 bits for IPv4, 128 for IPv6. IPv4-mapped IPv6 is unwrapped to IPv4. */
export interface ParsedIp {
  family: 4 | 6;
  value: bigint;
}

export interface IpRange {
  family: 4 | 6;
  base: bigint;
  prefix: number;
}

interface CategorizedRange extends IpRange {
  category: AddressCategory;
}

/** `a.b.c.d`, `x:y::z`, `[x::y]`, `fe80::1%eth0`; null when it is not an IP literal. */
export function parseIp(input: string): ParsedIp | null {
  let text = input.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  if (isIPv4(text)) return { family: 4, value: parseIPv4(text) };
  if (!isIPv6(text)) return null;
  const value = parseIPv6(text);
  // An IPv4-mapped IPv6 address is the IPv4 host: match and classify it as such.
  if (value >> 32n === 0xffffn) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

function parseIPv4(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

/** Expects text that `isIPv6` accepted: at most one `::`, an optional dotted IPv4 tail. */
function parseIPv6(text: string): bigint {
  const toGroups = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const v4 = Number(parseIPv4(group));
          return [v4 >>> 16, v4 & 0xffff];
        });
  const [head, tail] = text.split('::');
  const headGroups = toGroups(head);
  const tailGroups = tail === undefined ? [] : toGroups(tail);
  const zeros = new Array<number>(8 - headGroups.length - tailGroups.length).fill(0);
  return [...headGroups, ...zeros, ...tailGroups].reduce((acc, group) => (acc << 16n) | BigInt(group), 0n);
}

/** `10.0.0.0/8`, `fd00::/8`, or a bare address (a /32 or /128). Throws on anything else. */
export function parseCidr(input: string): IpRange {
  const [addressPart, prefixPart, extra] = input.trim().split('/');
  const ip = extra === undefined ? parseIp(addressPart) : null;
  if (!ip) throw new Error(`Not an IP address or CIDR: ${input}`);
  const bits = ip.family === 4 ? 32 : 128;
  // A mapped IPv6 CIDR (::ffff:10.0.0.0/104) describes IPv4 space; parseIp already unwrapped the address.
  let prefix = prefixPart === undefined ? bits : Number(prefixPart);
  if (ip.family === 4 && prefixPart !== undefined && addressPart.includes(':')) prefix -= 96;
  if ((prefixPart !== undefined && !/^\d{1,3}$/.test(prefixPart)) || prefix < 0 || prefix > bits) {
    throw new Error(`Bad prefix length in ${input}`);
  }
  return { family: ip.family, base: ip.value, prefix };
}

export function inRange(ip: ParsedIp, range: IpRange): boolean {
  if (ip.family !== range.family) return false;
  const shift = BigInt((ip.family === 4 ? 32 : 128) - range.prefix);
  return ip.value >> shift === range.base >> shift;
}

function ranges(category: AddressCategory, ...cidrs: string[]): CategorizedRange[] {
  return cidrs.map((cidr) => ({ ...parseCidr(cidr), category }));
}

// First match wins, so the specific entries (metadata endpoints) come before their enclosing blocks.
const IPV4_RANGES: CategorizedRange[] = [
  // AWS/GCP/Azure/OpenStack instance metadata, AWS ECS task metadata, Alibaba Cloud metadata.
  ...ranges('metadata', '169.254.169.254', '169.254.170.2', '100.100.100.200'),
  ...ranges('unspecified', '0.0.0.0/8'),
  ...ranges('loopback', '127.0.0.0/8'),
  ...ranges('private', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'),
  ...ranges('cgnat', '100.64.0.0/10'),
  ...ranges('link-local', '169.254.0.0/16'),
  ...ranges('multicast', '224.0.0.0/4'),
  ...ranges(
    'reserved',
    '240.0.0.0/4', // includes 255.255.255.255 broadcast
    '192.0.0.0/24', // IETF protocol assignments
    '192.0.2.0/24', // documentation
    '198.51.100.0/24', // documentation
    '203.0.113.0/24', // documentation
    '198.18.0.0/15', // benchmarking
    '192.88.99.0/24', // deprecated 6to4 relay anycast
  ),
];

const IPV6_RANGES: CategorizedRange[] = [
  ...ranges('metadata', 'fd00:ec2::254'),
  ...ranges('unspecified', '::'),
  ...ranges('loopback', '::1'),
  ...ranges('multicast', 'ff00::/8'),
  ...ranges('link-local', 'fe80::/10'),
  ...ranges('private', 'fc00::/7', 'fec0::/10'),
  ...ranges(
    'reserved',
    '100::/64', // discard-only
    '2001::/23', // IETF protocol assignments: Teredo, ORCHID, benchmarking
    '2001:db8::/32', // documentation
    '3fff::/20', // documentation (RFC 9637)
  ),
];

/** IPv6 prefixes that carry an IPv4 address: the IPv4 address decides, since that is where packets end up. */
const EMBEDDING_PREFIXES: Array<{ range: IpRange; shift: bigint; ifPublic: AddressCategory }> = [
  { range: parseCidr('64:ff9b::/96'), shift: 0n, ifPublic: 'public' }, // NAT64 well-known prefix
  { range: parseCidr('64:ff9b:1::/48'), shift: 0n, ifPublic: 'private' }, // NAT64 local-use
  { range: parseCidr('::ffff:0:0:0/96'), shift: 0n, ifPublic: 'reserved' }, // SIIT IPv4-translated
  { range: parseCidr('::/96'), shift: 0n, ifPublic: 'reserved' }, // deprecated IPv4-compatible
  { range: parseCidr('2002::/16'), shift: 80n, ifPublic: 'public' }, // 6to4
];

const GLOBAL_UNICAST = parseCidr('2000::/3');

/**
 * What kind of address an IP literal is. Anything that is not an IP literal is 'reserved', so callers
 * that forget to resolve a name first fail closed.
 */
export function classifyAddress(ip: string): AddressCategory {
  const parsed = parseIp(ip);
  return parsed ? classifyParsed(parsed) : 'reserved';
}

export function classifyParsed(ip: ParsedIp): AddressCategory {
  if (ip.family === 4) return IPV4_RANGES.find((range) => inRange(ip, range))?.category ?? 'public';
  const known = IPV6_RANGES.find((range) => inRange(ip, range));
  if (known) return known.category;
  for (const { range, shift, ifPublic } of EMBEDDING_PREFIXES) {
    if (!inRange(ip, range)) continue;
    const embedded = classifyParsed({ family: 4, value: (ip.value >> shift) & 0xffffffffn });
    return embedded === 'public' ? ifPublic : embedded;
  }
  // Only 2000::/3 is allocated for global unicast; the rest of the space is unassigned.
  return inRange(ip, GLOBAL_UNICAST) ? 'public' : 'reserved';
}
