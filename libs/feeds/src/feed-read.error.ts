import { CODES, type FeedReadErrorCode, type SyncErrorCode } from '@brandshelf/catalog-rules';

/**
 * A problem that stops reading a feed; its code is a READ_ERROR of the catalogue in libs/catalog-rules (or a
 * SYNC_ERROR when a store sync stops). Everything read before the problem has already been yielded when this
 * is thrown, so callers keep those items and issues.
 */
export class FeedReadError extends Error {
  readonly code: FeedReadErrorCode | SyncErrorCode;
  /** CSV line or XML item index the problem is at, when known. */
  readonly row?: number;
  /** How to fix the file, in a sentence: the code's hint in the catalogue unless one is given. */
  readonly hint: string;

  /**
   * `hint`: only where it says what the catalogue's hint cannot (the line of an unclosed quote, the file's
   * delimiter…); otherwise leave it out and the catalogue's is used.
   */
  constructor(
    code: FeedReadErrorCode | SyncErrorCode,
    message: string,
    { hint, row }: { hint?: string; row?: number } = {},
  ) {
    super(message);
    this.name = 'FeedReadError';
    this.code = code;
    this.hint = hint ?? CODES[code].hint;
    if (row !== undefined) this.row = row;
  }
}
