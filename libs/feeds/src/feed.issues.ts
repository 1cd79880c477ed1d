import { truncateValue, type ItemIssue } from '@brandshelf/catalog-rules';

/** Issue codes the readers emit (validation adds its own later). */
export type ReaderIssueCode =
  | 'ENCODING_FALLBACK'
  | 'RAGGED_ROW'
  | 'CELL_TOO_LARGE'
  | 'RECORD_TOO_LARGE'
  | 'XML_TOO_DEEP'
  | 'NO_ITEMS'
  | 'DUPLICATE_COLUMN'
  | 'DUPLICATE_ELEMENT'
  | 'XML_UNESCAPED_AMPERSAND'
  | 'ORPHAN_VARIANT'
  | 'INACTIVE_PRODUCT_SKIPPED'
  | 'VARIABLE_WITHOUT_VARIATIONS';

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
