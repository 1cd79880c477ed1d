import http, {
  type ClientRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import https from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import { pipeline, Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import {
  ConnectFailedError,
  HttpStatusError,
  InvalidUrlError,
  NetError,
  TimeoutError,
  TooLargeError,
  TooManyRedirectsError,
} from './net.errors.js';
import type { HostLimiter } from './host-limiter.js';
import { SsrfGuard, type CheckedTarget, type ResolvedAddress } from './ssrf.guard.js';

export interface SafeHttpClientOptions {
  /** Checks every hop; the default refuses everything but public addresses. */
  guard?: SsrfGuard;
  /** Until the TCP (and TLS) connection is up. */
  connectTimeoutMs?: number;
  /** Longest wait for the response head or for the next body chunk. Time the consumer spends not reading is not counted. */
  readTimeoutMs?: number;
  /** Cap on the (decompressed) body; per-request `maxBytes` overrides it. */
  maxBytes?: number;
  maxRedirects?: number;
  userAgent?: string;
  /** Concurrent connections per host:port, to stay polite with one brand's server. */
  maxSocketsPerHost?: number;
}

export interface SafeGetOptions {
  headers?: Record<string, string>;
  basicAuth?: { username: string; password: string };
  ifNoneMatch?: string | null;
  ifModifiedSince?: string | Date | null;
  maxBytes?: number;
  signal?: AbortSignal;
  /**
   * Slots per host: each hop waits for one before connecting and holds it until its body is read or
   * dropped, so the caller's downloads never exceed the limiter's count on one host.
   */
  limiter?: HostLimiter;
  /**
   * Total time for the whole download, from the first hop until the body is read, redirects included. The
   * read timeout only bounds the wait for the next chunk, so a server that trickles a byte at a time would
   * otherwise hold the caller (and its host slot) for as long as it likes. Past it, the request or the body
   * fails with a TimeoutError of phase 'deadline'.
   */
  deadlineMs?: number;
}

export interface SafeResponse {
  status: number;
  /** The final URL after redirects, without credentials. */
  url: string;
  /** As received; `content-encoding`/`content-length` describe the wire bytes, `body` is already decoded. */
  headers: IncomingHttpHeaders;
  /** The server answered 304 to a conditional request: `body` is empty. */
  notModified: boolean;
  /** Decoded, streamed; errors with TooLargeError past maxBytes, TimeoutError when the server stalls. */
  body: Readable;
  etag: string | null;
  lastModified: string | null;
  /** From Content-Length when the body is not content-encoded, else null. */
  contentLength: number | null;
  redirects: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers that carry the caller's credentials; never forwarded to another origin. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
const DEFAULT_USER_AGENT = 'BrandshelfBot/0.1 (+https://brandshelf.app/bot)';
/** A redirect or error body smaller than this is drained so its keep-alive socket can be reused. */
const DRAIN_LIMIT = 64 * 1024;

/**
 * GET over http(s) that only ever connects to addresses the guard approved, re-checks every redirect hop,
 * bounds time and bytes, and streams the body.
 */
export class SafeHttpClient {
  private readonly guard: SsrfGuard;
  private readonly connectTimeoutMs: number;
  private readonly readTimeoutMs: number;
  private readonly maxBytes: number;
  private readonly maxRedirects: number;
  private readonly userAgent: string;
  private readonly agents: { 'http:': http.Agent; 'https:': https.Agent };

  constructor(options: SafeHttpClientOptions = {}) {
    this.guard = options.guard ?? new SsrfGuard();
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.readTimeoutMs = options.readTimeoutMs ?? 30_000;
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.maxRedirects = options.maxRedirects ?? 5;
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    const agentOptions = { keepAlive: true, maxSockets: options.maxSocketsPerHost ?? 16, scheduling: 'lifo' as const };
    this.agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
  }

  async get(input: string, options: SafeGetOptions = {}): Promise<SafeResponse> {
    if (!options.deadlineMs) return this.fetch(input, options, options.signal);
    const deadline = new Deadline(options.deadlineMs, input);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
    let response: SafeResponse;
    try {
      response = await this.fetch(input, options, signal);
    } catch (error) {
      deadline.clear();
      throw deadline.expired ?? error;
    }
    if (response.notModified) {
      deadline.clear();
      return response;
    }
    deadline.onExpire((error) => response.body.destroy(error));
    response.body.once('close', () => deadline.clear());
    return response;
  }

  private async fetch(input: string, options: SafeGetOptions, signal: AbortSignal | undefined): Promise<SafeResponse> {
    const maxBytes = options.maxBytes ?? this.maxBytes;
    const headers: OutgoingHttpHeaders = {
      'user-agent': this.userAgent,
      accept: '*/*',
      'accept-encoding': 'gzip, deflate, br',
      ...lowerCaseKeys(options.headers),
    };
    if (options.ifNoneMatch) headers['if-none-match'] = options.ifNoneMatch;
    if (options.ifModifiedSince) {
      const since = options.ifModifiedSince;
      headers['if-modified-since'] = since instanceof Date ? since.toUTCString() : since;
    }

    let url: string | URL = input;
    for (let redirects = 0; ; redirects++) {
      const target = await this.guard.check(url);
      if (redirects === 0) applyCredentials(target.url, options.basicAuth, headers);
      const release = options.limiter ? await options.limiter.acquire(target.url.host, signal) : () => {};
      let res: IncomingMessage;
      try {
        res = await this.send(target, headers, signal);
      } catch (error) {
        release();
        throw error;
      }
      const status = res.statusCode ?? 0;
      const finalUrl = target.url.href;

      if (REDIRECT_STATUSES.has(status) && res.headers.location) {
        discard(res);
        release();
        if (redirects >= this.maxRedirects) throw new TooManyRedirectsError(this.maxRedirects, finalUrl);
        const { location } = res.headers;
        if (!URL.canParse(location, finalUrl)) throw new InvalidUrlError(location);
        const next = new URL(location, finalUrl);
        next.username = next.password = '';
        if (next.origin !== target.url.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
        url = next;
        continue;
      }
      const common = {
        status,
        url: finalUrl,
        headers: res.headers,
        etag: res.headers.etag ?? null,
        lastModified: res.headers['last-modified'] ?? null,
        redirects,
      };
      if (status === 304) {
        discard(res);
        release();
        return { ...common, notModified: true, body: Readable.from([]), contentLength: null };
      }
      if (status < 200 || status >= 300) {
        discard(res);
        release();
        throw new HttpStatusError(status, finalUrl);
      }
      const declared = Number(res.headers['content-length'] ?? NaN);
      // Wire bytes count against the cap as well (see decodedBody), so a declared length over it can never fit.
      if (declared > maxBytes) {
        res.destroy();
        release();
        throw new TooLargeError(maxBytes, finalUrl);
      }
      const encoded = isEncoded(res.headers['content-encoding']);
      const body = this.decodedBody(res, maxBytes, finalUrl);
      body.once('close', release);
      return {
        ...common,
        notModified: false,
        body,
        contentLength: !encoded && Number.isFinite(declared) ? declared : null,
      };
    }
  }

  /** Closes idle keep-alive sockets (shutdown, tests). */
  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  private async send(
    target: CheckedTarget,
    headers: OutgoingHttpHeaders,
    signal?: AbortSignal,
  ): Promise<IncomingMessage> {
    try {
      return await this.sendOnce(target, headers, signal);
    } catch (error) {
      // A pooled socket the server closed while idle fails on first write; GET is safe to retry once.
      if ((error as { retryable?: boolean }).retryable) return this.sendOnce(target, headers, signal);
      throw error;
    }
  }

  private sendOnce(
    target: CheckedTarget,
    headers: OutgoingHttpHeaders,
    signal?: AbortSignal,
  ): Promise<IncomingMessage> {
    const { url } = target;
    const secure = url.protocol === 'https:';
    return new Promise<IncomingMessage>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const fail = (error: Error) => req.destroy(error);
      const arm = (phase: 'connect' | 'read', ms: number) => {
        clearTimeout(timer);
        timer = setTimeout(() => fail(new TimeoutError(phase, ms, url.href)), ms);
      };
      const req: ClientRequest = (secure ? https : http).request({
        protocol: url.protocol,
        hostname: target.hostname,
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers,
        agent: this.agents[secure ? 'https:' : 'http:'],
        lookup: pinnedLookup(target.addresses),
        signal,
      });
      // Armed on socket assignment, not creation: waiting for a free pooled socket is not a connect problem.
      req.on('socket', (socket: Socket) => {
        const connected = () => arm('read', this.readTimeoutMs);
        if (!socket.connecting) return connected();
        arm('connect', this.connectTimeoutMs);
        socket.once(secure ? 'secureConnect' : 'connect', connected);
      });
      req.on('response', (res) => {
        clearTimeout(timer);
        resolve(res);
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (error instanceof NetError || error.name === 'AbortError') return reject(error);
        const wrapped = new ConnectFailedError(error.code ?? 'EUNKNOWN', url.href, error);
        if (req.reusedSocket && error.code === 'ECONNRESET') Object.assign(wrapped, { retryable: true });
        reject(wrapped);
      });
      req.end();
    });
  }

  /** Decompresses in-stream and bounds both the wire bytes and the decoded bytes, so a zip bomb stops early. */
  private decodedBody(res: IncomingMessage, maxBytes: number, url: string): Readable {
    const decoders = decodersFor(res.headers['content-encoding']);
    let decodeFailed = false;
    for (const decoder of decoders) decoder.once('error', () => (decodeFailed = true));
    const source = decoders.length
      ? (pipeline([res, byteLimit(maxBytes, url), ...decoders], () => undefined) as unknown as Readable)
      : res;
    const iterator = source[Symbol.asyncIterator]();
    const readTimeoutMs = this.readTimeoutMs;
    const status = res.statusCode ?? 0;

    let complete = false;

    async function* chunks(): AsyncGenerator<Buffer> {
      let total = 0;
      try {
        for (;;) {
          const next = await withTimeout(
            iterator.next(),
            readTimeoutMs,
            () => new TimeoutError('read', readTimeoutMs, url),
          );
          if (next.done) {
            complete = true;
            return;
          }
          total += next.value.length;
          if (total > maxBytes) throw new TooLargeError(maxBytes, url);
          yield next.value;
        }
      } catch (error) {
        if (error instanceof NetError) throw error;
        if (decodeFailed) throw new HttpStatusError(status, url, `undecodable ${res.headers['content-encoding']} body`);
        throw new ConnectFailedError((error as NodeJS.ErrnoException).code ?? 'EUNKNOWN', url, error);
      }
    }
    const body = Readable.from(chunks(), { objectMode: false });
    // Whether it failed or the consumer gave up early, an unfinished response must not keep its socket.
    body.once('close', () => {
      if (complete) return;
      res.destroy();
      source.destroy();
    });
    return body;
  }
}

/** A download's total deadline: aborts its requests, and fails its body with the TimeoutError once it passes. */
class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private listener: ((error: TimeoutError) => void) | null = null;
  expired: TimeoutError | null = null;

  constructor(ms: number, url: string) {
    this.timer = setTimeout(() => {
      this.expired = new TimeoutError('deadline', ms, url);
      // The body first, so its reader sees the deadline rather than the connection reset that aborting causes.
      this.listener?.(this.expired);
      this.controller.abort(this.expired);
    }, ms);
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  onExpire(listener: (error: TimeoutError) => void): void {
    this.listener = listener;
  }

  clear(): void {
    clearTimeout(this.timer);
    this.listener = null;
  }
}

/**
 * Answers Node's connect-time lookup with the addresses the guard already checked: no second DNS query.
 * Exported for other clients that must connect only where the guard allowed (the Shopify Admin API POSTs).
 */
export function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
    const usable = wanted ? addresses.filter((a) => a.family === wanted) : addresses;
    if (usable.length === 0) {
      const error: NodeJS.ErrnoException = Object.assign(new Error(`No IPv${wanted} address`), { code: 'ENOTFOUND' });
      return callback(error, '', 0);
    }
    if (options.all)
      return callback(
        null,
        usable.map(({ address, family }) => ({ address, family })),
      );
    callback(null, usable[0].address, usable[0].family);
  };
}

function applyCredentials(url: URL, basicAuth: SafeGetOptions['basicAuth'], headers: OutgoingHttpHeaders): void {
  // Feed URLs are often given as https://user:pass@host/feed.csv; treat that as basic auth, never send it on.
  const fromUrl = url.username
    ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
    : undefined;
  url.username = url.password = '';
  const credentials = basicAuth ?? fromUrl;
  if (credentials) {
    const token = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    headers.authorization = `Basic ${token}`;
  }
}

function lowerCaseKeys(headers: Record<string, string> | undefined): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
}

function encodings(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((value) => value.trim().toLowerCase())
    .filter((value) => value && value !== 'identity');
}

function isEncoded(header: string | undefined): boolean {
  return encodings(header).length > 0;
}

/** Decoders in the order to apply them (the reverse of the order the server applied the encodings). */
function decodersFor(header: string | undefined): Transform[] {
  const decoders: Transform[] = [];
  for (const encoding of encodings(header).reverse()) {
    if (encoding === 'gzip' || encoding === 'x-gzip') decoders.push(zlib.createGunzip());
    else if (encoding === 'deflate') decoders.push(zlib.createInflate());
    else if (encoding === 'br') decoders.push(zlib.createBrotliDecompress());
    // An unknown coding is passed through undecoded; whoever reads the body sees it is not what it expected.
    else break;
  }
  return decoders;
}

function byteLimit(maxBytes: number, url: string): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      callback(total > maxBytes ? new TooLargeError(maxBytes, url) : null, chunk);
    },
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  // The losing promise may still reject once the stream is torn down; nobody needs to hear about it.
  promise.catch(() => undefined);
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(error()), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Frees the socket for reuse when the unwanted body is small; otherwise closing it is cheaper than reading it. */
function discard(res: IncomingMessage): void {
  const length = Number(res.headers['content-length'] ?? NaN);
  if (res.statusCode === 304 || res.statusCode === 204 || length <= DRAIN_LIMIT) res.resume();
  else res.destroy();
}
