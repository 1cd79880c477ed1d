import { execute, subscribe, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { runAsPrincipal } from '@brandshelf/db';
import type { CallerContext } from './request-context.decorator.js';

type Principal = Parameters<typeof runAsPrincipal>[0];

/** The principal of a graphql-ws operation's context (the connection's caller); anonymous without one. */
function principalOf(args: ExecutionArgs): Principal {
  return (args.contextValue as CallerContext | undefined)?.context?.principal ?? { kind: 'anonymous' };
}

/**
 * An async iterator whose every step runs as `principal`. A subscription's events are resolved (the root field's
 * `resolve` and every nested field, batch loaders included) inside `next()`, which graphql-ws calls from its own
 * message loop, outside the request that opened the subscription: without this they would run with no database scope
 * and row-level security would show them nothing.
 */
function scopedIterator<T>(principal: Principal, source: AsyncGenerator<T>): AsyncGenerator<T> {
  const inScope = <R>(fn: () => R): R => runAsPrincipal(principal, fn);
  const iterator: AsyncGenerator<T> = {
    next: (...args) => inScope(() => source.next(...args)),
    return: (value) => inScope(() => source.return(value)),
    throw: (error) => inScope(() => source.throw(error)),
    [Symbol.asyncIterator]: () => iterator,
    [Symbol.asyncDispose]: async () => {
      await inScope(() => source.return(undefined));
    },
  };
  return iterator;
}

/**
 * graphql-ws's `execute` and `subscribe` (HTTP requests get their scope from RequestContextMiddleware): each runs
 * as the connection's principal (libs/db tenancy.ts), and so does the resolution of every event of a subscription,
 * so each nested field of each subscription reads under the caller's row-level security scope.
 */
export const scopedExecution = {
  execute: (args: ExecutionArgs) => runAsPrincipal(principalOf(args), () => execute(args)),
  subscribe: async (args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> => {
    const principal = principalOf(args);
    const result = await runAsPrincipal(principal, () => subscribe(args));
    return Symbol.asyncIterator in result ? scopedIterator(principal, result) : result;
  },
};
