const LF = 10;
const CR = 13;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** A quote ended the previous chunk inside a quoted field: closing or the first half of `""`. */
const QUOTE_AT_CHUNK_END = 3;
const AFTER_QUOTE = 4;
/** Only blanks so far in this cell: an opening quote may still follow. */
const LEADING_BLANKS = 5;

/**
 * Columns a record may have; past this it is surely no product feed (exports have a few hundred at most), so
 * the record is only counted: a header that wide fails the run with TOO_MANY_COLUMNS.
 */
export const MAX_CSV_COLUMNS = 10_000;

export interface CsvRecord {
  cells: string[];
  /** Physical line (1-based) where the record starts. */
  line: number;
  /** Number of cells the record had, even when they were not all kept. */
  cellCount: number;
  /** Index of the first cell over the cell limit, or -1. Its content was discarded. */
  oversizeCell: number;
  /** First characters of that cell, for the issue. */
  oversizePreview: string;
  /** The whole record went over the record limit; its cells were discarded. */
  tooLarge: boolean;
}

export interface UnterminatedQuote {
  /** Line where the quote that never closes was opened. */
  quoteLine: number;
  recordLine: number;
}

/**
 * A streaming RFC 4180 tokenizer over decoded text, written for this reader because csv-parse
 * (byte-at-a-time with several calls per byte) measured 31–37k rows/s here on 740-byte rows before any
 * mapping, below the 40k target. It is lenient where real exports are sloppy: a quote inside an
 * unquoted cell is text, blanks around a quoted cell are padding (Vendure), text after a closing quote
 * is kept with the blanks before it. It counts physical lines (CRLF, LF or CR) so rows can be reported where they start, and it
 * stops storing a cell once it is over `maxCellChars`, so one huge cell cannot exhaust memory.
 */
export class CsvTokenizer {
  private state = FIELD_START;
  private field = '';
  private dropField = false;
  private cells: string[] = [];
  private cellCount = 0;
  private recordChars = 0;
  private oversizeCell = -1;
  private oversizePreview = '';
  private tooLarge = false;
  private line = 1;
  private recordLine = 1;
  private quoteLine = 0;
  /** Blanks read after a closing quote: padding if the cell ends next, else kept before the text that follows. */
  private blanksAfterQuote = '';
  /** A CR ended the previous chunk; 'record' when it ended a record, 'quoted' when it was cell content. */
  private crPending: 'record' | 'quoted' | null = null;
  private readonly delimiter: number;
  private readonly padTab: boolean;

  constructor(
    delimiter: string,
    private readonly maxCellChars: number,
    private readonly maxRecordChars: number,
    private readonly onRecord: (record: CsvRecord) => void,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
    this.padTab = this.delimiter !== TAB;
  }

  write(s: string): void {
    const n = s.length;
    if (n === 0) return;
    let i = 0;
    if (this.crPending) {
      const lf = s.charCodeAt(0) === LF;
      if (this.crPending === 'record') {
        this.line++;
        this.recordLine = this.line;
        if (lf) i = 1;
      } else if (!lf) {
        this.line++;
      }
      this.crPending = null;
    }
    const d = this.delimiter;
    let segStart = i;
    while (i < n) {
      switch (this.state) {
        case FIELD_START:
        case LEADING_BLANKS: {
          const c = s.charCodeAt(i);
          if (c === QUOTE) {
            // Blanks before an opening quote are padding, not content.
            this.field = '';
            this.state = QUOTED;
            this.quoteLine = this.line;
            segStart = ++i;
            continue;
          }
          if (c === SPACE || (c === TAB && this.padTab)) {
            let j = i + 1;
            while (j < n && (s.charCodeAt(j) === SPACE || (s.charCodeAt(j) === TAB && this.padTab))) j++;
            this.append(s, i, j);
            i = j;
            this.state = LEADING_BLANKS;
            continue;
          }
          this.state = UNQUOTED;
          segStart = i;
          continue;
        }
        case UNQUOTED: {
          let c = 0;
          for (; i < n; i++) {
            c = s.charCodeAt(i);
            if (c === d || c === LF || c === CR) break;
          }
          if (i === n) {
            this.append(s, segStart, n);
            return;
          }
          this.append(s, segStart, i);
          this.endField();
          i++;
          if (c !== d) i = this.endRecordAtNewline(s, i, c);
          this.state = FIELD_START;
          continue;
        }
        case QUOTED: {
          for (; i < n; i++) {
            const c = s.charCodeAt(i);
            if (c === QUOTE) break;
            if (c === LF) this.line++;
            else if (c === CR) {
              if (i + 1 === n) this.crPending = 'quoted';
              else if (s.charCodeAt(i + 1) !== LF) this.line++;
            }
          }
          if (i === n) {
            this.append(s, segStart, n);
            return;
          }
          this.append(s, segStart, i);
          i++;
          if (i === n) {
            this.state = QUOTE_AT_CHUNK_END;
            return;
          }
          if (s.charCodeAt(i) === QUOTE) {
            segStart = i++;
            continue;
          }
          this.state = AFTER_QUOTE;
          continue;
        }
        case QUOTE_AT_CHUNK_END: {
          if (s.charCodeAt(i) === QUOTE) {
            this.state = QUOTED;
            segStart = i++;
          } else {
            this.state = AFTER_QUOTE;
          }
          continue;
        }
        case AFTER_QUOTE: {
          const c = s.charCodeAt(i);
          if (c === d) {
            this.blanksAfterQuote = '';
            this.endField();
            i++;
            this.state = FIELD_START;
          } else if (c === LF || c === CR) {
            this.blanksAfterQuote = '';
            this.endField();
            i = this.endRecordAtNewline(s, i + 1, c);
            this.state = FIELD_START;
          } else if (c === SPACE || c === TAB) {
            // Kept up to the cell limit: past it, text after them makes the cell oversized anyway (append), and a
            // cell ending here drops them as padding; a quote followed by endless blanks holds no more than that.
            if (this.blanksAfterQuote.length <= this.maxCellChars) this.blanksAfterQuote += s[i];
            i++;
          } else {
            // `"Deluxe" Pizza Pan` is `Deluxe Pizza Pan`, as spreadsheets read it: the blanks are text here.
            if (this.blanksAfterQuote) {
              this.append(this.blanksAfterQuote, 0, this.blanksAfterQuote.length);
              this.blanksAfterQuote = '';
            }
            this.state = UNQUOTED;
            segStart = i;
          }
          continue;
        }
      }
    }
    // The chunk ended right after the second quote of `""`: that quote is content still to keep.
    if (this.state === QUOTED) this.append(s, segStart, n);
  }

  /** Flushes the last record; returns where an unterminated quote opened, if the input ended inside one. */
  end(): UnterminatedQuote | null {
    if (this.crPending === 'record') this.crPending = null;
    this.blanksAfterQuote = '';
    if (this.state === QUOTED) return { quoteLine: this.quoteLine, recordLine: this.recordLine };
    if (this.state !== FIELD_START || this.cellCount > 0) {
      this.endField();
      this.emit();
    }
    this.state = FIELD_START;
    return null;
  }

  private append(s: string, from: number, to: number): void {
    if (to <= from || this.dropField) return;
    const piece = s.slice(from, to);
    this.field = this.field.length === 0 ? piece : this.field + piece;
    if (this.field.length > this.maxCellChars) this.markOversize();
  }

  private markOversize(): void {
    if (this.oversizeCell < 0) {
      this.oversizeCell = this.cellCount;
      // Never more than the limit allows, so the preview does not depend on where the chunks ended.
      this.oversizePreview = this.field.slice(0, Math.min(200, this.maxCellChars + 1));
    }
    this.dropField = true;
    this.field = '';
  }

  private endField(): void {
    let value = this.field;
    // Characters are a lower bound for UTF-8 bytes; count bytes only when it can matter.
    if (!this.dropField && value.length * 3 > this.maxCellChars && Buffer.byteLength(value) > this.maxCellChars) {
      this.markOversize();
      value = '';
    }
    this.field = '';
    this.dropField = false;
    this.cellCount++;
    if (this.tooLarge || this.cellCount > MAX_CSV_COLUMNS) {
      this.tooLarge = true;
      return;
    }
    this.recordChars += value.length;
    if (this.recordChars > this.maxRecordChars) {
      this.tooLarge = true;
      this.cells = [];
      return;
    }
    this.cells.push(value);
  }

  private endRecordAtNewline(s: string, i: number, c: number): number {
    this.emit();
    if (c === CR) {
      if (i === s.length) {
        this.crPending = 'record';
        return i;
      }
      if (s.charCodeAt(i) === LF) i++;
    }
    this.line++;
    this.recordLine = this.line;
    return i;
  }

  private emit(): void {
    const record: CsvRecord = {
      cells: this.cells,
      line: this.recordLine,
      cellCount: this.cellCount,
      oversizeCell: this.oversizeCell,
      oversizePreview: this.oversizePreview,
      tooLarge: this.tooLarge,
    };
    this.cells = [];
    this.cellCount = 0;
    this.recordChars = 0;
    this.oversizeCell = -1;
    this.oversizePreview = '';
    this.tooLarge = false;
    this.onRecord(record);
  }
}
