import { HeaderTable } from './column.planner.js';
import type { CsvDialectReader } from './csv.dialect.js';
import { CsvTokenizer, MAX_CSV_COLUMNS, type CsvRecord } from './csv.tokenizer.js';
import { csvDialectDefinition, detectDialect } from './dialect.detector.js';
import type { FeedEventQueue } from './feed-event.queue.js';
import { readerIssue } from './feed.issues.js';
import { FeedReadError } from './feed-read.error.js';
import type { FeedReadMeta } from './feed.types.js';
import type { FeedTextReader, ReaderLimits } from './feed-text.reader.js';
import { LinkBuilder } from './link.template.js';

export interface CsvReaderSetup {
  delimiter: string;
  /** The first line is Excel's `sep=` hint and is skipped. */
  sepLine: boolean;
  meta: Pick<FeedReadMeta, 'format' | 'encoding' | 'compression'>;
  columnMapping?: Record<string, string> | null;
  limits: ReaderLimits;
  /** The feed's language (Vendure `name:en` columns) and default currency (Medusa price columns). */
  language?: string | null;
  defaultCurrency?: string | null;
  /** The feed's storeUrl / linkTemplate settings. */
  links?: { storeUrl?: string | null; linkTemplate?: string | null };
}

/**
 * CSV/TSV text → items. The first non-empty record is the header; the dialect is detected from it and
 * decides how rows become items. Row problems (ragged rows, oversized cells) are issues on their line.
 */
export class CsvFeedReader implements FeedTextReader {
  private readonly tokenizer: CsvTokenizer;
  private table: HeaderTable | null = null;
  private dialect: CsvDialectReader | null = null;
  private skipSepLine: boolean;

  constructor(
    private readonly queue: FeedEventQueue,
    private readonly setup: CsvReaderSetup,
  ) {
    this.skipSepLine = setup.sepLine;
    this.tokenizer = new CsvTokenizer(
      setup.delimiter,
      setup.limits.maxCellBytes,
      setup.limits.maxRecordBytes,
      (record) => this.onRecord(record),
    );
  }

  write(text: string): void {
    this.tokenizer.write(text);
  }

  end(): void {
    const open = this.tokenizer.end();
    // Items of a buffered product before the broken record are still good.
    this.dialect?.end();
    if (open) {
      throw new FeedReadError(
        'UNTERMINATED_QUOTE',
        `The quote opened on line ${open.quoteLine} is never closed, so the file from line ${open.recordLine} on could not be read.`,
        {
          hint: `Close the quote on line ${open.quoteLine}, or write a quote inside a quoted cell as two quotes ("").`,
          row: open.quoteLine,
        },
      );
    }
    if (!this.table) {
      throw new FeedReadError('EMPTY_FEED', 'The file has no header row and no rows.');
    }
    // Rows that all became skips or row errors are explained by those; this is for a file with no rows.
    if (this.queue.rowCount === 0) {
      this.queue.issue(readerIssue('WARNING', 'NO_ITEMS', 0, 'The file has a header row but no product rows.'));
    }
  }

  private onRecord(record: CsvRecord): void {
    if (this.skipSepLine) {
      this.skipSepLine = false;
      return;
    }
    if (!this.table) {
      this.readHeader(record);
      return;
    }
    const table = this.table;
    if (!record.tooLarge && record.oversizeCell < 0 && isBlankRecord(record.cells)) return;
    this.queue.rowRead();
    if (record.tooLarge) {
      this.queue.issue(
        readerIssue(
          'ERROR',
          'RECORD_TOO_LARGE',
          record.line,
          record.cellCount > MAX_CSV_COLUMNS
            ? `The row has ${record.cellCount} columns, more than the ${MAX_CSV_COLUMNS} a row may have, so it was not read.`
            : `The row is larger than ${this.setup.limits.maxRecordBytes} bytes, so it was not read.`,
        ),
      );
      return;
    }
    if (record.oversizeCell >= 0) {
      const column = table.columns[record.oversizeCell];
      this.queue.issue(
        readerIssue(
          'ERROR',
          'CELL_TOO_LARGE',
          record.line,
          `The cell in column ${record.oversizeCell + 1}${column ? ` ("${column.header}")` : ''} is larger than ${this.setup.limits.maxCellBytes} bytes, so the row was not read.`,
          { attribute: column?.attribute || null, value: record.oversizePreview },
        ),
      );
      return;
    }
    const cells = record.cells;
    const expected = table.headers.length;
    if (record.cellCount !== expected && !(record.cellCount > expected && isBlankRecord(cells.slice(expected)))) {
      this.queue.issue(
        readerIssue(
          'ERROR',
          'RAGGED_ROW',
          record.line,
          `The row has ${record.cellCount} columns but the header has ${expected}, so its values cannot be matched to columns.`,
          {
            value: cells.join(this.setup.delimiter),
            hint: `Make every row have ${expected} columns: check for a missing or extra delimiter ("${printable(this.setup.delimiter)}") or an unquoted cell that contains one.`,
          },
        ),
      );
      return;
    }
    this.dialect!.row(cells, record.line);
  }

  private readHeader(record: CsvRecord): void {
    if (record.tooLarge) {
      // Skipping it would make every later row a header candidate too, and the run would say EMPTY_FEED.
      if (record.cellCount > MAX_CSV_COLUMNS) {
        throw new FeedReadError(
          'TOO_MANY_COLUMNS',
          `The header row (line ${record.line}) has ${record.cellCount} columns; a feed may have at most ${MAX_CSV_COLUMNS}.`,
          {
            hint: `Keep one column per product attribute (a feed needs a few dozen), and check that the delimiter ("${printable(this.setup.delimiter)}") is the one the file uses.`,
            row: record.line,
          },
        );
      }
      throw new FeedReadError(
        'HEADER_TOO_LARGE',
        `The header row (line ${record.line}) is larger than ${this.setup.limits.maxRecordBytes} bytes.`,
        { row: record.line },
      );
    }
    if (isBlankRecord(record.cells)) return;
    const headers = record.cells.map((cell, index) => (index === 0 ? cell.replace(/^\uFEFF/, '') : cell).trim());
    const dialectName = detectDialect(headers);
    const definition = csvDialectDefinition(dialectName, headers, {
      language: this.setup.language,
      defaultCurrency: this.setup.defaultCurrency,
    });
    this.queue.links = LinkBuilder.create(this.setup.links ?? {}, definition.linkTemplate ?? null);
    const table = new HeaderTable(headers, this.setup.columnMapping, definition.columns);
    this.table = table;
    this.dialect = definition.create(table, {
      item: (row, fields, link) => this.queue.item({ row, fields }, link),
      issue: (issue) => this.queue.issue(issue),
      skip: (row, reason) => this.queue.skip(row, reason),
    });
    const { format, encoding, compression } = this.setup.meta;
    this.queue.meta({
      format: this.setup.delimiter === '\t' ? 'TSV' : format,
      dialect: dialectName,
      encoding,
      ...(compression ? { compression } : {}),
      delimiter: this.setup.delimiter,
      headers,
      columns: table.columns,
    });
    for (const issue of table.issues) this.queue.issue(issue);
  }
}

function isBlankRecord(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell.length > 0 && cell.trim().length > 0) return false;
  return true;
}

function printable(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : delimiter;
}
