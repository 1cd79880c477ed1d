import { unwrapResolverError } from '@apollo/server/errors';
import { Logger } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError } from '@brandshelf/core';
import { publicDetails, publicMessage } from './global-id.js';

const logger = new Logger('GraphQL');

/** The codes Apollo itself produces for bad requests; passed through untouched. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/**
 * Every error leaves with a stable `extensions.code`. Ours keep their message and details; anything
 * unexpected is logged whole and answered with a generic message, so internals never leak.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const unwrapped = unwrapResolverError(error);
  // Errors raised before execution (admission: OVERLOADED) wrap our AppError without a path.
  const original =
    unwrapped instanceof GraphQLError && unwrapped.originalError instanceof AppError
      ? unwrapped.originalError
      : unwrapped;
  if (original instanceof AppError) {
    // userErrorCode is for a mutation's userErrors (user-error.ts); an error that reaches `errors` keeps its own code.
    const { userErrorCode: _userErrorCode, ...details } = original.details;
    return {
      message: publicMessage(original.message, details),
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: original.code, ...publicDetails(details) },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_CODES.has(code)) {
    return { message: formatted.message, locations: formatted.locations, extensions: { code } };
  }
  // Nest's HttpExceptions (e.g. from guards or pipes) carry a status we can keep.
  const status = (original as { status?: number })?.status;
  if (status === 401 || status === 403) {
    return {
      message: formatted.message,
      path: formatted.path,
      extensions: { code: status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN' },
    };
  }
  logger.error(original as Error);
  return {
    message: 'Something went wrong on our side; the request id in the X-Request-Id header helps us find it.',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/**
 * graphql-ws sends errors past Apollo, so they are formatted here with the same codes: an error thrown by a
 * resolver or by the subscription's stream (wrapped by graphql-ws without a path) by its original error, and
 * the request errors graphql-js raises with no code (syntax, validation, variable values) as Apollo names them.
 */
export function formatSubscriptionError(error: GraphQLError): GraphQLFormattedError {
  const formatted = error.toJSON();
  const original = error.originalError;
  if (original && !(original instanceof GraphQLError)) return formatGraphQLError(formatted, original);
  if (typeof formatted.extensions?.code === 'string') return formatGraphQLError(formatted, error);
  const code = error.message.startsWith('Syntax Error')
    ? 'GRAPHQL_PARSE_FAILED'
    : error.message.startsWith('Variable "$')
      ? 'BAD_USER_INPUT'
      : 'GRAPHQL_VALIDATION_FAILED';
  return { message: formatted.message, locations: formatted.locations, extensions: { code } };
}
