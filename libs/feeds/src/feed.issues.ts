import { CODES, truncateValue, type ItemIssue, type ReaderIssueCode } from '@brandshelf/catalog-rules';

/**
 * An issue a reader found (its code is one of the catalogue's READER codes); reading goes on. Its hint is the
 * code's hint in the catalogue unless `extra.hint` gives one that says more (the row's column count, the
 * dialect's column names…).
 */
export function readerIssue(
  severity: ItemIssue['severity'],
  code: ReaderIssueCode,
  row: number,
  message: string,
  extra: { attribute?: string | null; value?: unknown; itemId?: string | null; hint?: string } = {},
): ItemIssue {
  const issue: ItemIssue = {
    severity,
    code,
    attribute: extra.attribute ?? null,
    row,
    value: truncateValue(extra.value),
    message,
    hint: extra.hint ?? CODES[code].hint,
  };
  if (extra.itemId) issue.itemId = extra.itemId;
  return issue;
}
