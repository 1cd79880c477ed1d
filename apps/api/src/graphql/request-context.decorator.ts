import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { RequestContext } from '@brandshelf/core';

/** What both HTTP requests (after the middleware) and GraphQL operations carry. */
export interface CallerContext {
  context: RequestContext;
  /** A presented key that was refused; operations that need a caller answer with it. */
  authError?: Error;
  /**
   * graphql-ws only: authenticates the connection's key again, answering the caller it is now (anonymous with its
   * `authError` once the key is revoked). A connection outlives any one operation, so each operation and each
   * subscription's events ask again rather than trust the answer of when the socket opened.
   */
  reauthenticate?: () => Promise<CallerContext>;
  /** graphql-ws only: the connection's client address (as TRUST_PROXY reads it), which counts its anonymous operations. */
  clientAddress?: string;
}

export function contextOf(execution: ExecutionContext): CallerContext {
  if (execution.getType<string>() === 'graphql')
    return GqlExecutionContext.create(execution).getContext<CallerContext>();
  return execution.switchToHttp().getRequest<CallerContext>();
}

/** The caller's RequestContext, for the one service call a resolver makes. */
export const Ctx = createParamDecorator((_data: unknown, execution: ExecutionContext) => contextOf(execution).context);
