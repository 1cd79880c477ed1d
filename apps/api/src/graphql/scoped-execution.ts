import { GraphQLError, execute, getOperationAST, subscribe, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { AppError, UnauthenticatedError } from '@brandshelf/core';
import { admitOperation } from '../overload/overload.plugin.js';
import { rateLimitClient, rateLimitedMessage } from '../overload/rate-limit.middleware.js';
import type { OverloadService } from '../overload/overload.service.js';
import { runAsPrincipal } from '@brandshelf/db';
import type { CallerContext } from './request-context.decorator.js';

type Principal = Parameters<typeof runAsPrincipal>[0];

/** The principal of a graphql-ws operation's context (the connection's caller); anonymous without one. */
function principalOf(args: ExecutionArgs): Principal {
  return (args.contextValue as CallerContext | undefined)?.context?.principal ?? { kind: 'anonymous' };
}

/** How often, at most, an open subscription checks that its connection's key still authenticates. */
export const SUBSCRIPTION_RECHECK_MS = 1_000;

/** Whether `fresh` is still the caller `principal` was (the same key of the same account). */
function samePrincipal(principal: Principal, fresh: Principal): boolean {
  if (principal.kind === 'anonymous' || fresh.kind === 'anonymous') return principal.kind === fresh.kind;
  return (principal as { apiKeyId?: string }).apiKeyId === (fresh as { apiKeyId?: string }).apiKeyId;
}

/**
 * An async iterator whose every step runs as `principal`. A subscription's events are resolved (the root field's
 * `resolve` and every nested field, batch loaders included) inside `next()`, which graphql-ws calls from its own
 * message loop, outside the request that opened the subscription: without this they would run with no database scope
 * and row-level security would show them nothing.
 *
 * With `reauthenticate` (a graphql-ws connection's key), an event is delivered only while the key still authenticates
 * (checked at most every SUBSCRIPTION_RECHECK_MS): once it is revoked, the next event is replaced by its
 * UNAUTHENTICATED error and the subscription ends, so a revoked key stops reading a brand's runs on a socket it
 * opened before.
 */
function scopedIterator<T>(
  principal: Principal,
  source: AsyncGenerator<T>,
  reauthenticate?: () => Promise<CallerContext>,
): AsyncGenerator<T> {
  const inScope = <R>(fn: () => R): R => runAsPrincipal(principal, fn);
  let checkedAt = Date.now();
  let ended = false;
  /** The error that ends the subscription, or null while the key still authenticates. */
  const refusal = async (): Promise<Error | null> => {
    if (!reauthenticate || Date.now() - checkedAt < SUBSCRIPTION_RECHECK_MS) return null;
    const fresh = await reauthenticate();
    checkedAt = Date.now();
    if (samePrincipal(principal, fresh.context.principal)) return null;
    return fresh.authError ?? new UnauthenticatedError('The API key is invalid or has been revoked.');
  };
  const iterator: AsyncGenerator<T> = {
    next: async (...args) => {
      if (ended) return { value: undefined, done: true };
      const step = await inScope(() => source.next(...args));
      if (step.done) return step;
      const refused = await refusal();
      if (!refused) return step;
      ended = true;
      await inScope(() => source.return(undefined));
      const error = new GraphQLError(refused.message, { originalError: refused });
      return { value: { errors: [error] } as T, done: false };
    },
    return: (value) => {
      ended = true;
      return inScope(() => source.return(value));
    },
    throw: (error) => inScope(() => source.throw(error)),
    [Symbol.asyncIterator]: () => iterator,
    [Symbol.asyncDispose]: async () => {
      await inScope(() => source.return(undefined));
    },
  };
  return iterator;
}

/**
 * What an HTTP operation meets before it runs, for a graphql-ws query or mutation: the per-client rate limit (an
 * account's bucket; RateLimitMiddleware counts a POST the same way) and the search and upload gates (admitOperation).
 * Without it a socket ran any number of searches and run-starting mutations at once, past both. Refusals are the
 * same errors (`RATE_LIMITED`, `OVERLOADED`, with retryAfterSeconds), as the operation's result.
 */
async function admitted(
  overload: OverloadService,
  args: ExecutionArgs,
): Promise<{ release: () => void } | { refused: ExecutionResult }> {
  const principal = principalOf(args);
  const limiter = overload.rateLimiter;
  // Anonymous operations (registerBrand, registerCreator…) by the connection's address, as HTTP counts them.
  const address = (args.contextValue as CallerContext | undefined)?.clientAddress;
  const refusal = (error: AppError) => ({
    refused: { errors: [new GraphQLError(error.message, { originalError: error })] },
  });
  if (limiter && (principal.kind !== 'anonymous' || address)) {
    const verdict = limiter.take(rateLimitClient(principal, address ?? 'unknown'));
    if (!verdict.allowed) {
      const { retryAfterSeconds } = verdict;
      return refusal(
        new AppError('RATE_LIMITED', rateLimitedMessage(limiter, principal, retryAfterSeconds), { retryAfterSeconds }),
      );
    }
  }
  const operation = getOperationAST(args.document, args.operationName);
  if (!operation) return { release: () => undefined };
  try {
    return { release: await admitOperation(overload, args.document, operation) };
  } catch (error) {
    if (error instanceof AppError) return refusal(error);
    throw error;
  }
}

/**
 * graphql-ws's `execute` and `subscribe` (HTTP requests get their scope from RequestContextMiddleware): each runs
 * as the connection's principal (libs/db tenancy.ts), and so does the resolution of every event of a subscription,
 * so each nested field of each subscription reads under the caller's row-level security scope. A query or mutation
 * is admitted first as over HTTP (`admitted`).
 */
export function scopedExecution(overload: OverloadService) {
  return {
    execute: async (args: ExecutionArgs): Promise<ExecutionResult> => {
      const admission = await admitted(overload, args);
      if ('refused' in admission) return admission.refused;
      try {
        return await runAsPrincipal(principalOf(args), () => execute(args));
      } finally {
        admission.release();
      }
    },
    subscribe: async (args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> => {
      const principal = principalOf(args);
      const result = await runAsPrincipal(principal, () => subscribe(args));
      const reauthenticate = (args.contextValue as CallerContext | undefined)?.reauthenticate;
      return Symbol.asyncIterator in result ? scopedIterator(principal, result, reauthenticate) : result;
    },
  };
}
