/**
 * Errors that reach clients carry a stable code (GraphQL `extensions.code`, REST `code`).
 * Everything else is an internal error: logged whole, answered with a generic message.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'QUOTA_EXCEEDED'
  | 'RATE_LIMITED'
  | 'OVERLOADED'
  | 'INTERNAL_SERVER_ERROR';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  QUOTA_EXCEEDED: 413,
  RATE_LIMITED: 429,
  OVERLOADED: 429,
  INTERNAL_SERVER_ERROR: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class NotFoundError extends AppError {
  /**
   * The same answer for a missing id and for another brand's id, so ids leak nothing. The API answers the ids the
   * message names as global ids (apps/api graphql/global-id.ts publicMessage): `id` as one of `entity`, or of
   * `details.idType` when the id is another type's (a Shopify store looked up by its feed's id); other ids the message
   * names go in `details` by their key (`feedId`, `runId`, `productId`).
   */
  constructor(entity: string, id: string, details: Record<string, unknown> = {}) {
    super('NOT_FOUND', `${entity} ${id} was not found.`, { entity, id, ...details });
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Send an API key as "Authorization: Bearer <key>".') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

export class BadInputError extends AppError {
  constructor(message: string, field?: string) {
    super('BAD_USER_INPUT', message, field ? { field } : {});
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CONFLICT', message, details);
  }
}
