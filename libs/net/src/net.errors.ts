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
  /** host[:port] of the URL that timed out. */
  readonly host: string;

  constructor(
    readonly phase: 'connect' | 'read' | 'deadline',
    readonly timeoutMs: number,
    url: string,
  ) {
    super(
      'TIMEOUT',
      phase === 'deadline'
        ? `The download timed out: not finished within its ${timeoutMs / 1000} s deadline (${url})`
        : `${phase === 'connect' ? 'Connecting' : 'Reading'} timed out after ${timeoutMs} ms (${url})`,
    );
    this.host = hostOf(url);
  }
}

export class ConnectFailedError extends NetError {
  /** host[:port] of the URL whose connection failed. */
  readonly host: string;

  constructor(
    /** The system error code, e.g. ECONNREFUSED, ECONNRESET, CERT_HAS_EXPIRED. */
    readonly errno: string,
    url: string,
    cause?: unknown,
  ) {
    super('CONNECT_FAILED', `Connection failed with ${errno} (${url})`, { cause });
    this.host = hostOf(url);
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
    /** host[:port] of the URL being fetched; the host name alone when not given. */
    readonly host: string = hostname,
  ) {
    super('DNS_FAILED', `Could not resolve ${hostname} (${errno})`, { cause });
  }
}

/**
 * A failure that says the host itself is unusable, not just one URL on it: its name does not resolve,
 * nothing accepts connections there, or it accepted and then never answered in time.
 */
export interface HostDown {
  /** host[:port] as URL.host spells it: the key failures are remembered under. */
  host: string;
  kind: 'DNS' | 'REFUSED' | 'TIMEOUT';
  code: NetErrorCode;
  /** What happened, about the host rather than one URL (for the images not tried because of it). */
  reason: string;
}

/** Connect errors that no other URL on the same host would escape (unlike ECONNRESET or a TLS error). */
const HOST_DOWN_ERRNOS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN']);

export function hostDown(error: unknown): HostDown | null {
  if (error instanceof DnsFailedError) {
    return {
      host: error.host,
      kind: 'DNS',
      code: error.code,
      reason: `Could not resolve ${error.hostname} (${error.errno})`,
    };
  }
  if (error instanceof ConnectFailedError && HOST_DOWN_ERRNOS.has(error.errno)) {
    return {
      host: error.host,
      kind: 'REFUSED',
      code: error.code,
      reason: `Connecting to ${error.host} failed with ${error.errno}`,
    };
  }
  if (error instanceof TimeoutError && error.phase === 'deadline') {
    // A host that trickles every download past the deadline is as useless as one that never answers.
    return {
      host: error.host,
      kind: 'TIMEOUT',
      code: error.code,
      reason: `Downloading from ${error.host} timed out: not finished within the ${error.timeoutMs / 1000} s deadline`,
    };
  }
  if (error instanceof TimeoutError) {
    const what = error.phase === 'connect' ? 'Connecting to' : 'Waiting for an answer from';
    return {
      host: error.host,
      kind: 'TIMEOUT',
      code: error.code,
      reason: `${what} ${error.host} timed out after ${error.timeoutMs} ms`,
    };
  }
  return null;
}

/** host[:port] of a URL, the way URL.host normalizes it (lower case, default port dropped). */
export function hostOf(url: string | URL): string {
  try {
    return (url instanceof URL ? url : new URL(url)).host;
  } catch {
    return String(url);
  }
}

function describeUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0];
  return scheme ?? JSON.stringify(url.slice(0, 80));
}
