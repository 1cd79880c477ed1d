import {
  CUSTOM_PREFIX,
  encodeHeaderGroups,
  readGroupHeader,
  resolveHeader,
  type ItemIssue,
} from '@brandshelf/catalog-rules';
import { addField, fieldMode, mappingFor, type FieldMode, type ItemFields } from './item-fields.builder.js';
import { readerIssue } from './feed.issues.js';
import type { FeedColumn } from './feed.types.js';

/** What a dialect says about headers. Keys are lower-cased, trimmed headers. */
export interface DialectColumns {
  /** Columns the dialect reads itself; the value describes what they become (for `meta.columns`). */
  consumes?(header: string): string | undefined;
  /** Columns copied like any other, but to this attribute instead of the table's answer. */
  maps?(header: string): string | undefined;
  /** Attributes the dialect derives itself, so another column naming them is kept as custom. */
  claims?: readonly string[];
}

export interface PlannedColumn {
  index: number;
  header: string;
  attribute: string;
  mode: FieldMode;
  /**
   * A `shipping(country:postal_code:price)` column: the parts its header names, in order; each comma-separated
   * group of a cell becomes one value of the attribute (encodeHeaderGroups).
   */
  parts?: readonly string[];
}

/**
 * How each header of a CSV is read: `columnMapping` first, then the dialect, then Merchant Center's sub-attribute
 * form (`shipping(country:region:service:price)`, `tax(…)`), then the attribute table, else `custom:<header>`. A
 * second column that would fill the same single-valued attribute is kept as custom (a second image column becomes
 * additional images) and reported once; so is a sub-attribute header that names parts wrongly.
 */
export class HeaderTable {
  readonly columns: FeedColumn[];
  /** Columns copied generically into every item. */
  readonly copied: PlannedColumn[] = [];
  /** `columnMapping` columns, applied after the dialect so they win. */
  readonly overrides: PlannedColumn[] = [];
  readonly issues: ItemIssue[] = [];
  private readonly consumed = new Map<string, number>();

  constructor(
    readonly headers: string[],
    mapping: Record<string, string> | null | undefined,
    dialect: DialectColumns = {},
  ) {
    const attributes: string[] = new Array(headers.length).fill('');
    const claimed = new Set<string>(dialect.claims ?? []);
    const decided = new Array<boolean>(headers.length).fill(false);

    // Mapped columns win over the dialect's claims, so they are planned against each other only.
    const mappedClaims = new Set<string>();
    headers.forEach((header, index) => {
      const mapped = mappingFor(mapping, header);
      if (!mapped) return;
      decided[index] = true;
      if (mapped.target === null) return;
      attributes[index] = this.plan(index, header, mapped.target, this.overrides, mappedClaims);
    });
    for (const attribute of mappedClaims) claimed.add(attribute);
    headers.forEach((header, index) => {
      if (decided[index]) return;
      const key = header.toLowerCase();
      const described = dialect.consumes?.(key);
      if (described === undefined) return;
      decided[index] = true;
      attributes[index] = described;
      if (!this.consumed.has(key)) this.consumed.set(key, index);
    });
    headers.forEach((header, index) => {
      if (decided[index]) return;
      const key = header.toLowerCase();
      const mapped = dialect.maps?.(key);
      const form = mapped === undefined ? readGroupHeader(header) : null;
      if (form && 'parts' in form) {
        attributes[index] = form.attribute;
        this.copied.push({ index, header, attribute: form.attribute, mode: 'list', parts: form.parts });
        return;
      }
      const custom = `${CUSTOM_PREFIX}${header || `column_${index + 1}`}`;
      if (form) {
        this.issues.push(
          readerIssue(
            'WARNING',
            'INVALID_SUB_ATTRIBUTE_HEADER',
            0,
            `Column "${header}" ${form.problem}, so it is not read as ${form.attribute}: it is kept as ${custom}.`,
            { attribute: form.attribute, value: header, hint: form.hint },
          ),
        );
      }
      const attribute = mapped ?? (form ? custom : (resolveHeader(header)?.name ?? custom));
      attributes[index] = this.plan(index, header, attribute, this.copied, claimed);
    });
    this.columns = headers.map((header, index) => ({ header, attribute: attributes[index] }));
  }

  /** Index of a column the dialect consumes, by lower-cased header; -1 when absent or taken over by `columnMapping`. */
  col(key: string): number {
    return this.consumed.get(key) ?? -1;
  }

  has(key: string): boolean {
    return this.consumed.has(key);
  }

  /** A consumed column's trimmed value in a row, '' when absent. */
  get(cells: readonly string[], key: string): string {
    const index = this.consumed.get(key);
    if (index === undefined) return '';
    const value = cells[index];
    return value ? value.trim() : '';
  }

  /**
   * Copies the generic columns. `fallback` (the product row of a variant) fills cells the row leaves
   * empty, for the copied columns whose `inherits` entry is not false.
   */
  copy(
    fields: ItemFields,
    cells: readonly string[],
    fallback?: readonly string[],
    inherits?: readonly boolean[],
  ): void {
    const copied = this.copied;
    for (let k = 0; k < copied.length; k++) {
      const column = copied[k];
      let value = cells[column.index];
      if (!value && fallback && inherits?.[k] !== false) value = fallback[column.index];
      if (!value) continue;
      if (column.parts) {
        for (const group of encodeHeaderGroups(column.parts, value)) addField(fields, column.attribute, group, 'list');
      } else {
        addField(fields, column.attribute, value, column.mode);
      }
    }
  }

  /** Applies `columnMapping` columns over whatever the dialect derived. */
  override(fields: ItemFields, cells: readonly string[], fallback?: readonly string[]): void {
    const cleared = new Set<string>();
    for (const column of this.overrides) {
      let value = cells[column.index];
      if (!value?.trim() && fallback) value = fallback[column.index];
      if (!value?.trim()) continue;
      if (!cleared.has(column.attribute)) {
        delete fields[column.attribute];
        cleared.add(column.attribute);
      }
      addField(fields, column.attribute, value, column.mode);
    }
  }

  private plan(index: number, header: string, wanted: string, into: PlannedColumn[], claimed: Set<string>): string {
    let attribute = wanted;
    let mode = fieldMode(attribute);
    if (mode === 'single') {
      if (claimed.has(attribute) && attribute === 'image_link') {
        attribute = 'additional_image_link';
        mode = 'list';
      } else if (claimed.has(attribute)) {
        const custom = `${CUSTOM_PREFIX}${header || `column_${index + 1}`}`;
        this.issues.push(
          readerIssue(
            'WARNING',
            'DUPLICATE_COLUMN',
            0,
            `Column "${header}" also names ${attribute}; an earlier column already fills it, so this one is kept as ${custom}.`,
            { attribute, value: header },
          ),
        );
        attribute = custom;
        mode = 'custom';
      } else {
        claimed.add(attribute);
      }
    }
    into.push({ index, header, attribute, mode });
    return attribute;
  }
}
