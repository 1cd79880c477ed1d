/**
 * Codes of problems that stop reading a feed. Everything read before the problem has already been
 * yielded when this is thrown, so callers keep those items and issues.
 */
export type FeedReadErrorCode =
  | 'EMPTY_FEED'
  | 'NOT_A_FEED'
  | 'FORMAT_MISMATCH'
  | 'TRUNCATED_GZIP'
  | 'CORRUPT_GZIP'
  | 'UNTERMINATED_QUOTE'
  | 'TOO_MANY_COLUMNS'
  | 'HEADER_TOO_LARGE'
  | 'XML_DOCTYPE_FORBIDDEN'
  | 'XML_MALFORMED'
  | 'XML_MARKUP_TOO_LARGE';

export class FeedReadError extends Error {
  readonly code: FeedReadErrorCode;
  /** CSV line or XML item index the problem is at, when known. */
  readonly row?: number;
  /** How to fix the file, in a sentence. */
  readonly hint: string;

  constructor(code: FeedReadErrorCode, message: string, hint: string, row?: number) {
    super(message);
    this.name = 'FeedReadError';
    this.code = code;
    this.hint = hint;
    if (row !== undefined) this.row = row;
  }
}
