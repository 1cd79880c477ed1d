/** Stable codes callers switch on (feed runs store them as issue codes, the image pipeline maps them). */
export type NetErrorCode =
  | 'BLOCKED_ADDRESS'
  | 'TIMEOUT'
  | 'CONNECT_FAILED'
  | 'HTTP_ERROR'
  | 'TOO_LARGE'
  | 'TOO_MANY_REDIRECTS'
  | 'UNSUPPORTED_SCHEME'
  | 'INVALID_URL'
  | 'DNS_FAILED';

export class NetError extends Error {
  constructor(
    readonly code: NetErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class BlockedAddressError extends NetError {
  constructor(
    readonly hostname: string,
    readonly address: string,
    readonly category: string,
  ) {
    super('BLOCKED_ADDRESS', `Refused to connect to ${hostname}: ${address} is a ${category} address`);
  }
}

export class TimeoutError extends NetError {
  constructor(
    readonly phase: 'connect' | 'read',
    readonly timeoutMs: number,
    url: string,
  ) {
    super('TIMEOUT', `${phase === 'connect' ? 'Connecting' : 'Reading'} timed out after ${timeoutMs} ms (${url})`);
  }
}

export class ConnectFailedError extends NetError {
  constructor(
    /** The system error code, e.g. ECONNREFUSED, ECONNRESET, CERT_HAS_EXPIRED. */
    readonly errno: string,
    url: string,
    cause?: unknown,
  ) {
    super('CONNECT_FAILED', `Connection failed with ${errno} (${url})`, { cause });
  }
}

/** A non-2xx answer, or a 2xx whose body could not be decoded (bad gzip/deflate/br stream). */
export class HttpStatusError extends NetError {
  constructor(
    readonly status: number,
    readonly url: string,
    detail?: string,
  ) {
    super('HTTP_ERROR', `HTTP ${status}${detail ? ` (${detail})` : ''} from ${url}`);
  }
}

export class TooLargeError extends NetError {
  constructor(
    readonly maxBytes: number,
    url: string,
  ) {
    super('TOO_LARGE', `Response body exceeds ${maxBytes} bytes (${url})`);
  }
}

export class TooManyRedirectsError extends NetError {
  constructor(
    readonly maxRedirects: number,
    url: string,
  ) {
    super('TOO_MANY_REDIRECTS', `More than ${maxRedirects} redirects (last: ${url})`);
  }
}

export class UnsupportedSchemeError extends NetError {
  constructor(url: string) {
    super('UNSUPPORTED_SCHEME', `Only http: and https: URLs can be fetched, not ${describeUrl(url)}`);
  }
}

export class InvalidUrlError extends NetError {
  constructor(url: string) {
    super('INVALID_URL', `Not a valid URL: ${JSON.stringify(url.slice(0, 200))}`);
  }
}

export class DnsFailedError extends NetError {
  constructor(
    readonly hostname: string,
    readonly errno: string,
    cause?: unknown,
  ) {
    super('DNS_FAILED', `Could not resolve ${hostname} (${errno})`, { cause });
  }
}

function describeUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0];
  return scheme ?? JSON.stringify(url.slice(0, 80));
}
