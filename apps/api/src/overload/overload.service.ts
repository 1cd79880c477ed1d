import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@brandshelf/core';
import { Gate } from './gate.js';
import { RateLimiter } from './rate-limiter.js';

/** The process's admission control: the search and upload gates and the per-client rate limiter. */
@Injectable()
export class OverloadService {
  readonly search: Gate;
  readonly upload: Gate;
  /** Null when RATE_LIMIT_PER_MINUTE is 0. */
  readonly rateLimiter: RateLimiter | null;
  /**
   * Failed signatures on POST /conversions per client address, at the same rate (null when it is 0): the signed
   * endpoint takes no API key, so only failures are counted (a brand's server that signs right is never held back)
   * and an address out of them is refused before its body is read or its brand's secret is looked up.
   */
  readonly signatureFailures: RateLimiter | null;
  /**
   * The client address of a request the HTTP server got outside Express (a graphql-ws connection's upgrade), read as
   * Express reads req.ip under TRUST_PROXY: createApi sets it once Express's `trust proxy` is set. Until then (and
   * without createApi) the socket's own address.
   */
  clientAddressOf: (req: IncomingMessage) => string = (req) => req.socket.remoteAddress ?? 'unknown';

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.search = new Gate('search', config.overload.search);
    this.upload = new Gate('upload', config.overload.upload);
    const { perMinute, burst } = config.rateLimit;
    this.rateLimiter = perMinute > 0 ? new RateLimiter(perMinute, burst) : null;
    this.signatureFailures = perMinute > 0 ? new RateLimiter(perMinute, burst) : null;
  }
}
