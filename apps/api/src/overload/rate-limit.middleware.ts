import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import type { ContextualRequest } from '../http/request-context.middleware.js';
import { OverloadService } from './overload.service.js';
import type { RateLimiter } from './rate-limiter.js';

/** A caller as both request paths know it (RequestContext's principal, a graphql-ws connection's). */
type Caller = { kind: string; brandId?: string; creatorId?: string };

/**
 * The bucket a caller's requests are counted in, over HTTP and graphql-ws alike: its account when its key is valid,
 * else its client address (as TRUST_PROXY reads it).
 */
export function rateLimitClient(principal: Caller, address: string): string {
  if (principal.kind === 'brand') return `brand:${principal.brandId}`;
  if (principal.kind === 'creator') return `creator:${principal.creatorId}`;
  return `ip:${address}`;
}

/** What a caller over its limit is told (HTTP 429 or a graphql-ws operation's RATE_LIMITED error). */
export function rateLimitedMessage(limiter: RateLimiter, principal: Caller, retryAfterSeconds: number): string {
  return (
    `Too many requests from this ${principal.kind === 'anonymous' ? 'address' : 'account'}: ` +
    `${limiter.perMinute} a minute (bursts of ${limiter.burst}); retry in ${retryAfterSeconds} s.`
  );
}

/** The API proper; /health, /media, the IDE's assets and Shopify's webhooks are not limited. */
const LIMITED = /^\/(graphql|feeds|runs)(\/|$)/;

/**
 * Per-client rate limit (after authentication, so a made-up key cannot buy a fresh bucket): a caller with a
 * valid API key is counted by its account, anyone else by client IP (X-Forwarded-For only from TRUST_PROXY
 * hops). Every limited response carries RateLimit-Limit, -Remaining, -Reset and -Policy; beyond the limit,
 * 429 with Retry-After and `RATE_LIMITED`, before any work is done.
 */
@Injectable()
export class RateLimitMiddleware implements NestMiddleware {
  constructor(@Inject(OverloadService) private readonly overload: OverloadService) {}

  use(req: ContextualRequest, res: Response, next: NextFunction): void {
    const limiter = this.overload.rateLimiter;
    const path = req.originalUrl.split('?')[0];
    if (!limiter || !LIMITED.test(path)) return next();
    const principal = req.context.principal;
    const verdict = limiter.take(rateLimitClient(principal, req.ip ?? req.socket.remoteAddress ?? 'unknown'));
    res.setHeader('RateLimit-Limit', String(verdict.limit));
    res.setHeader('RateLimit-Remaining', String(verdict.remaining));
    res.setHeader('RateLimit-Reset', String(verdict.resetSeconds));
    res.setHeader('RateLimit-Policy', `${limiter.burst};w=${limiter.windowSeconds}`);
    if (verdict.allowed) return next();
    const message = rateLimitedMessage(limiter, principal, verdict.retryAfterSeconds);
    const details = { retryAfterSeconds: verdict.retryAfterSeconds };
    req.resume(); // an upload's body is drained, not read
    res.setHeader('Retry-After', String(verdict.retryAfterSeconds));
    res.status(429);
    if (path.startsWith('/graphql'))
      res.json({ errors: [{ message, extensions: { code: 'RATE_LIMITED', ...details } }] });
    else res.json({ code: 'RATE_LIMITED', message, ...details });
  }
}
