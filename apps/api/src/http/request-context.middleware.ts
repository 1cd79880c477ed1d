import { Inject, Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AccountsService } from '@brandshelf/accounts';
import { AppError, logContext, newId, type RequestContext } from '@brandshelf/core';
import { runAsPrincipal } from '@brandshelf/db';

export interface ContextualRequest extends Request {
  context: RequestContext;
  /** Set when a key was presented but refused; operations that need a caller answer with it. */
  authError?: AppError;
}

/**
 * The path a request line logs: without its query, and without the secret a path can carry. A channel export's URL
 * (`/exports/<token>.xml`) is its only credential and only its hash is stored, so the log must not keep it either;
 * Express routes paths case-insensitively, so `/EXPORTS/…` is redacted too, and so is anything shaped like an API key
 * or export token elsewhere in a path.
 */
export function loggedPath(url: string): string {
  const path = url.split('?')[0];
  const exportFile = /^\/exports\/(.*?)(\.[A-Za-z0-9]{1,8})?$/i.exec(path);
  if (exportFile) return `${path.slice(0, '/exports/'.length)}[token]${exportFile[2] ?? ''}`;
  return path.replace(/bs[kx]_[A-Za-z0-9_%-]+/g, '[token]');
}

/**
 * Gives every request an id (echoed as X-Request-Id and on every log line) and a principal from
 * its `Authorization: Bearer <key>` header, then logs one line when the response is finished.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  private readonly logger = new Logger('Http');

  constructor(@Inject(AccountsService) private readonly accounts: AccountsService) {}

  async use(req: ContextualRequest, res: Response, next: NextFunction): Promise<void> {
    const incoming = req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : newId();
    res.setHeader('X-Request-Id', requestId);
    req.context = { requestId, principal: { kind: 'anonymous' }, receivedAt: performance.now() };
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logContext.run({ requestId }, () =>
        this.logger.log({
          msg: 'request',
          method: req.method,
          path: loggedPath(req.originalUrl),
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          principal: req.context.principal.kind,
        }),
      );
    });
    const auth = req.header('authorization');
    if (auth) {
      const match = /^Bearer\s+(\S+)$/i.exec(auth);
      try {
        if (!match) throw new AppError('UNAUTHENTICATED', 'Use "Authorization: Bearer <key>".');
        req.context.principal = await this.accounts.authenticate(match[1]);
      } catch (error) {
        if (!(error instanceof AppError)) return next(error);
        req.authError = error;
      }
    }
    const principal = req.context.principal;
    const fields: Record<string, unknown> = { requestId };
    if (principal.kind === 'brand') fields.brandId = principal.brandId;
    if (principal.kind === 'creator') fields.creatorId = principal.creatorId;
    // Everything the request does in the database runs as its caller: row-level security shows that brand's or
    // creator's rows only, and an anonymous request's none (public paths that read across brands say so).
    logContext.run(fields, () => runAsPrincipal(principal, () => next()));
  }
}
