import { finding, type RuleFinding } from './code.catalog.js';

export interface UrlCheck {
  /** The URL to store (spaces encoded, `//` made https), or null when it is unusable. */
  url: string | null;
  /** INVALID_URL or VALUE_TOO_LONG when `url` is null; PROTOCOL_RELATIVE_URL when it was repaired. */
  finding: RuleFinding | null;
}

export const MAX_URL_LENGTH = 2000;

// Scheme, optional user info, a host with at least one dot (a public name), optional port, then anything
// without whitespace. Cheaper than `new URL()` on the hot path, and stricter about hosts like "localhost".
const ABSOLUTE_HTTP_URL =
  /^https?:\/\/(?:[^\s/?#@]+@)?(?:[^\s/?#:@.]+\.)+[^\s/?#:@.]+\.?(?::\d{1,5})?(?:[/?#][^\s]*)?$/i;
const INNER_SPACES = /\s/g;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
// "www.shop.com/x" or "shop.com/x": a host name without a scheme.
const HOST_WITHOUT_SCHEME = /^(?:www\.|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\/)/i;

/** Checks that a value is an absolute http(s) URL of at most 2,000 characters. */
export function checkUrl(raw: string): UrlCheck {
  let url = raw.trim();
  // A space inside a URL is a file name with a space: encoding it is what the shop meant.
  if (url.includes(' ')) url = url.replace(INNER_SPACES, '%20');
  let repaired: RuleFinding | null = null;
  if (url.startsWith('//')) {
    url = `https:${url}`;
    repaired = finding('PROTOCOL_RELATIVE_URL', `"${raw.trim()}" has no scheme; https was assumed.`);
  }
  if (url.length > MAX_URL_LENGTH) {
    return {
      url: null,
      finding: finding(
        'VALUE_TOO_LONG',
        `The URL is ${url.length} characters long; at most ${MAX_URL_LENGTH} are allowed.`,
      ),
    };
  }
  if (!ABSOLUTE_HTTP_URL.test(url)) return { url: null, finding: invalid(url) };
  return { url, finding: repaired };
}

function invalid(url: string): RuleFinding {
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme && scheme !== 'http' && scheme !== 'https') {
    return finding('INVALID_URL', `"${url}" uses the ${scheme}: scheme; only http and https links work in a shop.`);
  }
  if (url.startsWith('/')) {
    return finding(
      'INVALID_URL',
      `"${url}" is a path without a host.`,
      `Write the full address including your domain, e.g. https://shop.example.com${url}.`,
    );
  }
  if (!scheme && HOST_WITHOUT_SCHEME.test(url)) {
    return finding('INVALID_URL', `"${url}" has no scheme.`, `Add https:// in front: https://${url}.`);
  }
  const host = HTTP_HOST.exec(url)?.[1];
  if (host !== undefined && host !== '' && !host.includes('.')) {
    return finding(
      'INVALID_URL',
      `"${url}" names the host "${host}", which is not a public domain name (it has no dot); shoppers and our ` +
        `image fetcher can only reach public sites.`,
      `Write the host's full domain, e.g. https://${host}.example.com/…, as a shopper's browser would reach it.`,
    );
  }
  return finding('INVALID_URL', `"${url}" is not an absolute http(s) URL.`);
}

// The host of an http(s) URL (after any user info, before the port or path), to say what is wrong with it.
const HTTP_HOST = /^https?:\/\/(?:[^\s/?#@]+@)?([^\s/?#:@]*)/i;
