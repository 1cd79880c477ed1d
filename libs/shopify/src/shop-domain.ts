import { BadInputError } from '@brandshelf/core';
import { classifyParsed, inRange, parseCidr, parseIp } from '@brandshelf/net';

const MYSHOPIFY = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const STORE_NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * The store's permanent domain, as the Admin API and webhooks (X-Shopify-Shop-Domain) name it:
 * `acme.myshopify.com`. Accepts `acme`, `https://acme.myshopify.com/admin` and the like.
 *
 * Any other host is refused, except one named in SSRF_ALLOW_HOSTS (with an optional port): that is how
 * tests and local development point a store at a fake Admin API on loopback.
 */
export function normalizeShopDomain(input: string, allowHosts: readonly string[]): string {
  const raw = input
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/[/?#].*$/, '');
  if (MYSHOPIFY.test(raw)) return raw;
  if (STORE_NAME.test(raw)) return `${raw}.myshopify.com`;
  const url = URL.canParse(`http://${raw}`) ? new URL(`http://${raw}`) : null;
  if (url && url.host === raw && isAllowListed(hostnameOf(url), allowHosts)) return raw;
  throw new BadInputError(
    `shopDomain "${input}" is not a Shopify store domain; use the store's myshopify.com domain, e.g. acme.myshopify.com.`,
    'shopDomain',
  );
}

/**
 * The GraphQL Admin API endpoint of a store. Always https, except a loopback host (a fake Admin API
 * in tests or development), which speaks plain http.
 */
export function adminApiEndpoint(shopDomain: string, apiVersion: string): string {
  const host = new URL(`http://${shopDomain}`);
  const scheme = isLoopback(hostnameOf(host)) ? 'http' : 'https';
  return `${scheme}://${shopDomain}/admin/api/${apiVersion}/graphql.json`;
}

function hostnameOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost') return true;
  const ip = parseIp(hostname);
  return ip !== null && classifyParsed(ip) === 'loopback';
}

function isAllowListed(hostname: string, allowHosts: readonly string[]): boolean {
  const ip = parseIp(hostname);
  return allowHosts.some((entry) => {
    const name = entry.trim().toLowerCase();
    if (name === hostname) return true;
    if (name.startsWith('*.')) return hostname.endsWith(name.slice(1));
    if (!ip || !name.includes('/')) return false;
    try {
      return inRange(ip, parseCidr(name));
    } catch {
      return false;
    }
  });
}
