import { BadInputError } from '@brandshelf/core';
import type { KeysetRequest } from '@brandshelf/db';

/**
 * The page-size policy of every connection, in one place: `first` (or `last`) defaults to DEFAULT_PAGE_SIZE and may
 * be 1 to MAX_PAGE_SIZE; anything else is refused with BAD_USER_INPUT naming the maximum, never clamped.
 * A run's issues are the one documented exception (ISSUES_PAGE: 50 by default, up to 500), being small rows read in
 * bulk by tools.
 */
export interface PageSizePolicy {
  defaultSize: number;
  maxSize: number;
}
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
export const PAGE_SIZE: PageSizePolicy = { defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE };
export const ISSUES_PAGE: PageSizePolicy = { defaultSize: 50, maxSize: 500 };

/** What a connection field is asked for: `first`/`after` forwards, or `last`/`before` from the end. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** Refuses a page size outside the policy with BAD_USER_INPUT naming the maximum; the one check of page sizes. */
export function checkPageSize(value: number, arg: string, policy: PageSizePolicy = PAGE_SIZE): number {
  if (!Number.isInteger(value) || value < 1 || value > policy.maxSize) {
    throw new BadInputError(
      `${arg} must be between 1 and ${policy.maxSize} (the maximum page size); got ${value}.`,
      arg,
    );
  }
  return value;
}

/** Checks the page size against the policy (the one place it is checked) and turns the arguments into a request. */
export function pageRequest(args: PageArgs, policy: PageSizePolicy = PAGE_SIZE): KeysetRequest {
  const first = args.first ?? null;
  const last = args.last ?? null;
  if (first !== null && last !== null) {
    throw new BadInputError('Pass first or last, not both.', 'last');
  }
  if (last !== null) {
    return {
      limit: checkPageSize(last, 'last', policy),
      after: args.after ?? null,
      before: args.before ?? null,
      fromEnd: true,
    };
  }
  return {
    limit: first === null ? policy.defaultSize : checkPageSize(first, 'first', policy),
    after: args.after ?? null,
    before: args.before ?? null,
    fromEnd: false,
  };
}
