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

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.search = new Gate('search', config.overload.search);
    this.upload = new Gate('upload', config.overload.upload);
    const { perMinute, burst } = config.rateLimit;
    this.rateLimiter = perMinute > 0 ? new RateLimiter(perMinute, burst) : null;
  }
}
