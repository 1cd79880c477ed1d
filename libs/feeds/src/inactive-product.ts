import { CUSTOM_PREFIX, type ItemIssue } from '@brandshelf/catalog-rules';
import { readerIssue } from './feed.issues.js';

/**
 * A status column of a shop export (Shopify Status/Published, WooCommerce Published, Wix visible), read by
 * header name; the column is still copied into the item as a custom attribute like any other.
 */
export class StatusColumn {
  private readonly index: number;
  /** The header as written, for the issue's `custom:` attribute. */
  readonly header: string;

  constructor(headers: readonly string[], key: string) {
    this.index = headers.findIndex((header) => header.trim().toLowerCase() === key);
    this.header = this.index >= 0 ? headers[this.index].trim() : key;
  }

  /** The trimmed value in a row, '' when the column is absent. */
  get(cells: readonly string[]): string {
    if (this.index < 0) return '';
    const value = cells[this.index];
    return value ? value.trim() : '';
  }
}

/** The WARNING for an item not emitted because the shop does not sell it (draft, archived, hidden…). */
export function inactiveProductIssue(
  line: number,
  column: StatusColumn,
  value: string,
  itemId: string | null,
): ItemIssue {
  return readerIssue(
    'WARNING',
    'INACTIVE_PRODUCT_SKIPPED',
    line,
    `${column.header} is "${value}": the product is not active in the shop, so this item was skipped.`,
    { attribute: `${CUSTOM_PREFIX}${column.header}`, value, itemId },
  );
}
