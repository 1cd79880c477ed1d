import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AppError } from '@brandshelf/core';
import { publicMessage } from './global-id.js';

/**
 * Expected failures of a mutation, the ones a client must handle (bad input, a publish already in progress, a run
 * that is not publishable, a limit reached), are answered as data: the payload's `userErrors` list, each with a
 * typed code (Shopify's userErrors pattern). Unexpected failures (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND,
 * RATE_LIMITED, OVERLOADED, INTERNAL_SERVER_ERROR) stay in the response's `errors` with `extensions.code`.
 *
 * A library signals a specific code by throwing an AppError whose `details.userErrorCode` is one of these values;
 * otherwise the AppError's own code is used (BAD_USER_INPUT, CONFLICT, QUOTA_EXCEEDED, PAYLOAD_TOO_LARGE).
 * New codes are appended to the list below, each with its description.
 */
export enum UserErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  CONFLICT = 'CONFLICT',
  QUOTA_EXCEEDED = 'QUOTA_EXCEEDED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  PUBLISH_IN_PROGRESS = 'PUBLISH_IN_PROGRESS',
  RUN_NOT_PUBLISHABLE = 'RUN_NOT_PUBLISHABLE',
  RUN_ALREADY_ACTIVE = 'RUN_ALREADY_ACTIVE',
  RUN_ALREADY_FINISHED = 'RUN_ALREADY_FINISHED',
  ALREADY_REGISTERED = 'ALREADY_REGISTERED',
  ALREADY_CONNECTED = 'ALREADY_CONNECTED',
  NO_PROCESSED_IMAGE = 'NO_PROCESSED_IMAGE',
  REFUND_LINE_NOT_IN_ORDER = 'REFUND_LINE_NOT_IN_ORDER',
}

const DESCRIPTIONS: Record<UserErrorCode, string> = {
  BAD_USER_INPUT: 'A value of the input is invalid; `field` names it and `message` says what to change.',
  CONFLICT: 'The operation collides with one already under way or with existing data; `message` says which.',
  QUOTA_EXCEEDED: "The brand's storage or row quota would be exceeded; free space or ask for a larger quota.",
  PAYLOAD_TOO_LARGE: 'The input is larger than the documented limit.',
  PUBLISH_IN_PROGRESS:
    'Another publish or rollback of the same feed is in progress; nothing changed. Try again when it has finished.',
  RUN_NOT_PUBLISHABLE:
    'The run staged nothing to publish: it has not SUCCEEDED, was validateOnly, or kept no items. Nothing changed.',
  RUN_ALREADY_ACTIVE:
    'The feed already has a run queued or running (one at a time per feed); `message` names it. Nothing was started.',
  RUN_ALREADY_FINISHED: 'The run has already finished, so there is nothing to cancel; it is left as it was.',
  ALREADY_REGISTERED: 'An account with that email (or handle) exists; `field` names the value already taken.',
  ALREADY_CONNECTED: 'The Shopify store is already connected to a feed of this brand; `message` names the feed.',
  NO_PROCESSED_IMAGE:
    'The product has no processed main image to draw a creative from; `message` says how to get one (fix the ' +
    'image_link, run the feed with images on, publish). Nothing was rendered.',
  REFUND_LINE_NOT_IN_ORDER:
    'A refund line names a product (productId or offerId) that no line of the reported order has; `field` gives ' +
    'its position (["input", "lines", "<i>"]) and `message` lists the order\'s offer ids. Nothing was refunded.',
};

registerEnumType(UserErrorCode, {
  name: 'UserErrorCode',
  description: 'Why a mutation could not do what it was asked, as a code a client can branch on.',
  valuesMap: Object.fromEntries(
    Object.entries(DESCRIPTIONS).map(([value, description]) => [value, { description }]),
  ) as Record<UserErrorCode, { description: string }>,
});

@ObjectType({ description: 'An expected failure of a mutation: what went wrong, where, and what to do.' })
export class UserError {
  @Field(() => UserErrorCode, { description: 'What went wrong, as a stable code.' })
  code: UserErrorCode;

  @Field({ description: 'What went wrong and what to do about it, for a person.' })
  message: string;

  @Field(() => [String], {
    nullable: true,
    description: 'Path of the input field at fault, e.g. ["input", "schedule"]; null when no one field is.',
  })
  field: string[] | null;
}

const USER_ERROR_CODES = new Set<string>(Object.values(UserErrorCode));

/** The UserError an expected failure becomes, or null for an unexpected one (which the caller rethrows). */
export function toUserError(error: unknown): UserError | null {
  if (!(error instanceof AppError)) return null;
  const specific = error.details.userErrorCode;
  const code =
    typeof specific === 'string' && USER_ERROR_CODES.has(specific)
      ? (specific as UserErrorCode)
      : USER_ERROR_CODES.has(error.code)
        ? (error.code as UserErrorCode)
        : null;
  if (!code) return null;
  const field = typeof error.details.field === 'string' ? ['input', ...error.details.field.split('.')] : null;
  return { code, message: publicMessage(error.message, error.details), field };
}

/** A payload type's common part: every mutation payload has `userErrors`, empty on success. */
export interface WithUserErrors {
  userErrors: UserError[];
}

/** What a resolver answers for payload type T: T's fields (all of them on success, none on failure) and userErrors. */
export type Payload<T extends WithUserErrors> = Partial<Omit<T, 'userErrors'>> & WithUserErrors;

/**
 * The base class of every mutation payload type: `userErrors: [UserError!]!`. The payload's other fields are
 * nullable, null when `userErrors` is not empty (apps/api/test/mutation-payloads.spec.ts checks every mutation).
 */
@ObjectType({ isAbstract: true })
export abstract class MutationPayload implements WithUserErrors {
  @Field(() => [UserError], {
    description: 'Expected failures, each with a code to branch on; empty when the mutation did what it was asked.',
  })
  userErrors: UserError[];
}

/**
 * Runs a mutation and answers its payload: the result with an empty `userErrors` on success, or only `userErrors`
 * (the other fields null) on an expected failure. Unexpected failures propagate to `errors`.
 */
export async function mutationPayload<P extends object>(
  run: () => Promise<P>,
): Promise<(P & WithUserErrors) | (Partial<P> & WithUserErrors)> {
  try {
    const result = await run();
    return { ...result, userErrors: [] };
  } catch (error) {
    const userError = toUserError(error);
    if (!userError) throw error;
    return { userErrors: [userError] } as Partial<P> & WithUserErrors;
  }
}
