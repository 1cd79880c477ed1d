import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { AppError, HTTP_STATUS } from '@brandshelf/core';
import { publicDetails, publicMessage } from '../graphql/global-id.js';

/** REST endpoints answer errors as `{ code, message }` with the matching status, like GraphQL's codes. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (error instanceof AppError) {
      if (typeof error.details.retryAfterSeconds === 'number') {
        res.setHeader('Retry-After', String(error.details.retryAfterSeconds));
      }
      // userErrorCode only picks a GraphQL mutation's userError code (graphql/user-error.ts); REST has its own code.
      const { userErrorCode: _userErrorCode, ...details } = error.details;
      res
        .status(HTTP_STATUS[error.code])
        .json({ code: error.code, message: publicMessage(error.message, details), ...publicDetails(details) });
      return;
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      res.status(status).json({ code: status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST', message: error.message });
      return;
    }
    this.logger.error(error as Error);
    res.status(500).json({ code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong on our side.' });
  }
}
