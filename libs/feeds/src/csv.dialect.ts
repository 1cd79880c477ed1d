import type { ItemIssue } from '@brandshelf/catalog-rules';
import type { DialectColumns, HeaderTable } from './column.planner.js';
import type { ItemFields } from './item-fields.builder.js';
import type { LinkParts } from './link.template.js';
import type { CsvDialect, RowSkipReason } from './feed.types.js';

/**
 * Where a dialect delivers what it made of the rows. Every row handed to a dialect ends as exactly one
 * of: an item, an ERROR issue on its line, or a skip with its reason (a WARNING may accompany a skip).
 */
export interface ItemSink {
  /** `link` parts: what the product page's URL is built from when the row has no link. */
  item(row: number, fields: ItemFields, link?: LinkParts): void;
  issue(issue: ItemIssue): void;
  skip(row: number, reason: RowSkipReason): void;
}

/** Turns the data rows of one CSV into items; grouped dialects buffer one product at a time. */
export interface CsvDialectReader {
  row(cells: readonly string[], line: number): void;
  end(): void;
}

export interface CsvDialectDefinition {
  name: CsvDialect;
  columns: DialectColumns;
  /** Where the platform puts a product page, for exports that carry no URL (`{store}` = the feed's storeUrl). */
  linkTemplate?: string;
  create(table: HeaderTable, sink: ItemSink): CsvDialectReader;
}

/** A number from a shop export: `1299.00`, `1299,00`, `.5`; NaN when there is none. */
export function exportNumber(value: string): number {
  return value ? Number.parseFloat(value.replace(',', '.')) : Number.NaN;
}

/** A price computed from export numbers, in the export's own notation (no currency: exports carry none). */
export function formatPrice(value: number): string {
  return value.toFixed(2);
}
