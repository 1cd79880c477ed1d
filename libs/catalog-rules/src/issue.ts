import type { IssueCode } from './code.catalog.js';

/** A problem with one item (or the file), stored with its run. A row problem is data, not an exception. */
export const ISSUE_SEVERITIES = ['ERROR', 'WARNING'] as const;
export type IssueSeverity = (typeof ISSUE_SEVERITIES)[number];

export interface ItemIssue {
  /** ERROR rejects the item; WARNING accepts it. */
  severity: IssueSeverity;
  /** Stable, documented code clients can switch on, e.g. `MISSING_REQUIRED`, `INVALID_GTIN`. */
  code: IssueCode;
  /** Canonical attribute name (or `custom:<header>`), null for row- or file-level problems. */
  attribute: string | null;
  /** CSV: 1-based line number where the record starts. XML: 1-based item index. 0 for the file itself. */
  row: number;
  /** The offending value, truncated to MAX_ISSUE_VALUE_LENGTH characters. */
  value: string | null;
  /** What is wrong, in a sentence. */
  message: string;
  /** How to fix it, in a sentence. */
  hint: string;
  /** The item id when known, so a person can find the product. */
  itemId?: string | null;
}

export const MAX_ISSUE_VALUE_LENGTH = 200;

export function truncateValue(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = Array.isArray(value) ? value.join(', ') : String(value);
  return text.length > MAX_ISSUE_VALUE_LENGTH ? `${text.slice(0, MAX_ISSUE_VALUE_LENGTH - 1)}…` : text;
}
