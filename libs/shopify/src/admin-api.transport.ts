import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import {
  ConnectFailedError,
  NetError,
  pinnedLookup,
  TimeoutError,
  TooLargeError,
  type SsrfGuard,
} from '@brandshelf/net';

export interface TransportResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One HTTP POST of a JSON body; non-2xx answers are returned, not thrown (the caller reads 429/5xx). */
export interface AdminApiTransport {
  post(url: string, headers: Record<string, string>, body: string, signal?: AbortSignal): Promise<TransportResponse>;
}

export interface GuardedTransportOptions {
  guard: SsrfGuard;
  connectTimeoutMs: number;
  /** Longest wait for the response head or the next body chunk. */
  readTimeoutMs: number;
  /** A products page is a few hundred KB; anything near this is not the Admin API. */
  maxBytes?: number;
  /**
   * Longest one request may take in all, from connecting to the last byte (default twice the read timeout, at
   * least 60 s). The read timeout only bounds the wait for the next chunk: a store trickling a byte at a time
   * would otherwise hold a sync (kept alive by its heartbeat) or a connectShopifyStore for as long as it likes.
   */
  deadlineMs?: number;
}

/**
 * POST through the SSRF guard: the connection goes only to the addresses the guard approved (no second
 * DNS lookup), redirects are not followed (the Admin API does not redirect, and the access token must
 * not travel), time and bytes are bounded.
 *
 * SafeHttpClient (libs/net) only does GET and throws on non-2xx without the headers (Retry-After);
 * once it grows a request method with a body, this class can become a call to it.
 */
export class GuardedAdminApiTransport implements AdminApiTransport {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 4 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 4 }),
  };
  private readonly maxBytes: number;
  private readonly deadlineMs: number;

  constructor(private readonly options: GuardedTransportOptions) {
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.deadlineMs = options.deadlineMs ?? Math.max(60_000, options.readTimeoutMs * 2);
  }

  async post(
    url: string,
    headers: Record<string, string>,
    body: string,
    signal?: AbortSignal,
  ): Promise<TransportResponse> {
    const target = await this.options.guard.check(url);
    const secure = target.url.protocol === 'https:';
    const payload = Buffer.from(body, 'utf8');
    return new Promise<TransportResponse>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = setTimeout(
        () => req.destroy(new TimeoutError('deadline', this.deadlineMs, target.url.href)),
        this.deadlineMs,
      );
      const stop = () => {
        clearTimeout(timer);
        clearTimeout(deadline);
      };
      const arm = (phase: 'connect' | 'read', ms: number) => {
        clearTimeout(timer);
        timer = setTimeout(() => req.destroy(new TimeoutError(phase, ms, target.url.href)), ms);
      };
      const req = (secure ? https : http).request({
        protocol: target.url.protocol,
        hostname: target.hostname,
        port: target.url.port || (secure ? 443 : 80),
        path: `${target.url.pathname}${target.url.search}`,
        method: 'POST',
        headers: { ...headers, 'content-length': String(payload.length) },
        agent: this.agents[secure ? 'https:' : 'http:'],
        lookup: pinnedLookup(target.addresses),
        signal,
      });
      req.on('socket', (socket) => {
        const connected = () => arm('read', this.options.readTimeoutMs);
        if (!socket.connecting) return connected();
        arm('connect', this.options.connectTimeoutMs);
        socket.once(secure ? 'secureConnect' : 'connect', connected);
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let total = 0;
        arm('read', this.options.readTimeoutMs);
        res.on('data', (chunk: Buffer) => {
          arm('read', this.options.readTimeoutMs);
          total += chunk.length;
          if (total > this.maxBytes) {
            res.destroy(new TooLargeError(this.maxBytes, target.url.href));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          stop();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on('error', (error: NodeJS.ErrnoException) => {
          stop();
          reject(
            error instanceof NetError
              ? error
              : new ConnectFailedError(error.code ?? 'EUNKNOWN', target.url.href, error),
          );
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        stop();
        if (error instanceof NetError || error.name === 'AbortError') return reject(error);
        reject(new ConnectFailedError(error.code ?? 'EUNKNOWN', target.url.href, error));
      });
      req.end(payload);
    });
  }

  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }
}
