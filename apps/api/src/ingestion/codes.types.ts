import { registerEnumType } from '@nestjs/graphql';
import {
  CODES,
  ISSUE_CODE_LIST,
  LEFT_OUT_REASON_LIST,
  RUN_ERROR_CODE_LIST,
  type IssueCode as IssueCodeValue,
  type LeftOutReason as LeftOutReasonValue,
  type RunErrorCode as RunErrorCodeValue,
} from '@brandshelf/catalog-rules';
import { enumOf } from '../graphql/enum-of.js';

/**
 * The GraphQL enums of the code catalogue (libs/catalog-rules/src/code.catalog.ts): values and descriptions come
 * from it, so a code added there is in the schema, and a code not there can be neither raised nor returned.
 */
function describe(codes: readonly (IssueCodeValue | RunErrorCodeValue | LeftOutReasonValue)[], withSeverity: boolean) {
  return Object.fromEntries(
    codes.map((code) => {
      const info = CODES[code];
      const severity = withSeverity ? ` Raised as ${info.severity}.` : '';
      const note = 'note' in info ? ` ${info.note}` : '';
      return [code, { description: `${info.summary}${severity}${note}` }];
    }),
  );
}

export const IssueCode = enumOf(ISSUE_CODE_LIST);
export type IssueCode = IssueCodeValue;
registerEnumType(IssueCode, {
  name: 'IssueCode',
  description:
    "Stable code of a run's issue: what the validator, a reader or the images step found, or the problem that " +
    'stopped reading (then also the run’s error code). Each issue carries its own message and hint.',
  valuesMap: describe(ISSUE_CODE_LIST, true),
});

export const RunErrorCode = enumOf(RUN_ERROR_CODE_LIST);
export type RunErrorCode = RunErrorCodeValue;
registerEnumType(RunErrorCode, {
  name: 'RunErrorCode',
  description:
    'Stable code of why a run failed as a whole: a file that cannot be read on, a store sync that cannot go on ' +
    '(SHOPIFY_…), a failed fetch of a URL feed (FETCH_…), or a failure of the run itself.',
  valuesMap: describe(RUN_ERROR_CODE_LIST, false),
});

export const LeftOutReason = enumOf(LEFT_OUT_REASON_LIST);
export type LeftOutReason = LeftOutReasonValue;
registerEnumType(LeftOutReason, {
  name: 'LeftOutReason',
  description:
    "Why a publish left an item out: its main image's IssueCode (IMAGE_…), or IMAGE_NOT_PROCESSED when the image " +
    'has not been fetched (yet).',
  valuesMap: describe(LEFT_OUT_REASON_LIST, false),
});
