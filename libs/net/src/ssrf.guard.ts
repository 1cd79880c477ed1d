import { promises as dns } from 'node:dns';
import {
  classifyParsed,
  inRange,
  parseCidr,
  parseIp,
  type AddressCategory,
  type IpRange,
  type ParsedIp,
} from './ip-address.js';
import { BlockedAddressError, DnsFailedError, InvalidUrlError, UnsupportedSchemeError } from './net.errors.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has. Injectable so tests never touch real DNS. */
export type LookupAll = (hostname: string) => Promise<ResolvedAddress[]>;

export interface SsrfGuardOptions {
  /**
   * Host names (`localhost`, `*.corp.example`), IPs or CIDRs that may be reached even when they are private or
   * loopback. A name entry trusts whatever the name resolves to, except metadata, unspecified and multicast
   * addresses, which only an explicit IP/CIDR entry unlocks.
   */
  allowHosts?: string[];
  /** Permit RFC 1918 / ULA and CGNAT addresses (self-hosted setups fetching from an intranet). Never loopback. */
  allowPrivate?: boolean;
  lookup?: LookupAll;
}

export interface CheckedTarget {
  url: URL;
  /** The URL's host without IPv6 brackets. */
  hostname: string;
  /** The address to connect to: the first of `addresses`. */
  address: string;
  family: number;
  /** Every address the name resolved to, all of them checked; connect only to these. */
  addresses: ResolvedAddress[];
}

const ALLOWED_SCHEMES = new Set(['http:', 'https:']);
/** Categories a host-name allow entry does not unlock: reaching them by name is always a mistake or an attack. */
const NOT_BY_NAME = new Set<AddressCategory>(['metadata', 'unspecified', 'multicast']);
const PRIVATE_CATEGORIES = new Set<AddressCategory>(['private', 'cgnat']);

export const systemLookup: LookupAll = async (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/**
 * Decides whether a URL may be fetched, by the addresses its host resolves to. The caller must connect to
 * the returned addresses (not resolve the name again), or DNS rebinding could swap in a private address.
 */
export class SsrfGuard {
  private readonly allowRanges: IpRange[] = [];
  private readonly allowNames: string[] = [];
  private readonly allowSuffixes: string[] = [];
  private readonly allowPrivate: boolean;
  private readonly lookup: LookupAll;

  constructor(options: SsrfGuardOptions = {}) {
    for (const entry of options.allowHosts ?? []) {
      const range = tryParseCidr(entry);
      if (range) this.allowRanges.push(range);
      else if (entry.startsWith('*.')) this.allowSuffixes.push(normalizeHostname(entry.slice(1)));
      else this.allowNames.push(normalizeHostname(entry));
    }
    this.allowPrivate = options.allowPrivate ?? false;
    this.lookup = options.lookup ?? systemLookup;
  }

  async check(input: string | URL): Promise<CheckedTarget> {
    const url = toUrl(input);
    // The WHATWG parser has already turned `2130706433`, `0x7f.1` and `0177.0.0.1` into `127.0.0.1` here.
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const literal = parseIp(hostname);
    const addresses = literal
      ? [{ address: hostname, family: literal.family }]
      : await this.resolve(hostname, url.host);
    const nameAllowed = !literal && this.isAllowedName(hostname);
    for (const { address } of addresses) {
      const ip = parseIp(address);
      const category = ip ? classifyParsed(ip) : 'reserved';
      if (!ip || !this.isPermitted(ip, category, nameAllowed))
        throw new BlockedAddressError(hostname, address, category);
    }
    return { url, hostname, address: addresses[0].address, family: addresses[0].family, addresses };
  }

  private async resolve(hostname: string, host: string): Promise<ResolvedAddress[]> {
    let addresses: ResolvedAddress[];
    try {
      addresses = await this.lookup(hostname);
    } catch (error) {
      throw new DnsFailedError(hostname, (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN', error, host);
    }
    if (addresses.length === 0) throw new DnsFailedError(hostname, 'ENODATA', undefined, host);
    return addresses;
  }

  private isPermitted(ip: ParsedIp, category: AddressCategory, nameAllowed: boolean): boolean {
    if (category === 'public') return true;
    if (this.allowRanges.some((range) => inRange(ip, range))) return true;
    if (NOT_BY_NAME.has(category)) return false;
    return nameAllowed || (this.allowPrivate && PRIVATE_CATEGORIES.has(category));
  }

  private isAllowedName(hostname: string): boolean {
    const name = normalizeHostname(hostname);
    return this.allowNames.includes(name) || this.allowSuffixes.some((suffix) => name.endsWith(suffix));
  }
}

function toUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = input instanceof URL ? input : new URL(input);
  } catch {
    throw new InvalidUrlError(String(input));
  }
  if (!ALLOWED_SCHEMES.has(url.protocol)) throw new UnsupportedSchemeError(url.href);
  return url;
}

function tryParseCidr(entry: string): IpRange | null {
  try {
    return parseCidr(entry);
  } catch {
    return null;
  }
}

function normalizeHostname(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}
