/** A format reader fed decoded text; it pushes events into the queue it was given. */
export interface FeedTextReader {
  write(text: string): void;
  /** Flushes what is buffered; throws a FeedReadError for problems found at the end. */
  end(): void;
}

export interface ReaderLimits {
  maxCellBytes: number;
  maxRecordBytes: number;
}

export const DEFAULT_MAX_CELL_BYTES = 1024 * 1024;
export const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;
