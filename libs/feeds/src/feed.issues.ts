import { truncateValue, type ItemIssue, type ReaderIssueCode } from '@brandshelf/catalog-rules';

/** An issue a reader found (its code is one of the catalogue's READER codes); reading goes on. */

export function readerIssue(
  severity: ItemIssue['severity'],
  code: ReaderIssueCode,
  row: number,
  message: string,
  hint: string,
  extra: { attribute?: string | null; value?: unknown; itemId?: string | null } = {},
): ItemIssue {
  const issue: ItemIssue = {
    severity,
    code,
    attribute: extra.attribute ?? null,
    row,
    value: truncateValue(extra.value),
    message,
    hint,
  };
  if (extra.itemId) issue.itemId = extra.itemId;
  return issue;
}
