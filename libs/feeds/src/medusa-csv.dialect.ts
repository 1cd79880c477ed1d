import { CUSTOM_PREFIX, currencyExponent } from '@brandshelf/catalog-rules';
import type { HeaderTable } from './column.planner.js';
import { exportNumber, type CsvDialectDefinition, type CsvDialectReader, type ItemSink } from './csv.dialect.js';
import { addField, addImages, type ItemFields } from './item-fields.builder.js';
import { inactiveProductIssue, StatusColumn } from './inactive-product.js';
import { optionAttribute } from './variant-option.mapper.js';

const CONSUMED: Record<string, string> = {
  // Empty in the import template (it names an existing product to update), so never the item id.
  'product id': 'custom:Product Id',
  'product handle': 'item_group_id|custom:Product Handle',
  'product title': 'title',
  'product description': 'description',
  'product thumbnail': 'image_link',
  'product type': 'product_type',
  'product material': 'material',
  'product weight': 'shipping_weight',
  'variant id': 'id|custom:Variant Id',
  'variant sku': 'id',
  'variant barcode': 'gtin',
  'variant ean': 'gtin',
  'variant upc': 'gtin',
  'variant material': 'material',
  'variant weight': 'shipping_weight',
  'variant inventory quantity': 'quantity|availability',
  'variant allow backorder': 'availability',
  'variant manage inventory': 'availability',
};
/** v1 `Price EUR` / `Price Europe [EUR]` and v2 `Variant Price EUR` / `Variant Price Europe [EUR]`. */
const PRICE = /^(variant )?price (?:(.+) \[([a-z]{3})\]|([a-z]{3}))$/;
const OPTION = /^(?:variant )?option (\d+) (name|value)$/;
const IMAGE = /^(?:image (\d+) url|product image (\d+))$/;

/** Medusa allows many variants a product; past this a handle's rows are emitted before the next arrives. */
const MAX_GROUP_VARIANTS = 2048;

interface PriceColumn {
  key: string;
  header: string;
  currency: string;
  /** Medusa v1 columns (`Price EUR`) hold minor units, as v1 stored amounts; v2 (`Variant Price EUR`) major units. */
  minorUnits: boolean;
}

interface MedusaRow {
  cells: readonly string[];
  line: number;
}

/** Medusa's product export/import CSV, from its header row: product and variant columns side by side. */
export function isMedusaExport(keys: ReadonlySet<string>): boolean {
  return (
    keys.has('product handle') &&
    keys.has('product title') &&
    ['variant sku', 'variant id', 'variant title'].some((key) => keys.has(key))
  );
}

/**
 * Medusa product export/import CSV (v1 template and v2 export): one row per variant, the product columns
 * repeated on each, rows of one product sharing `Product Handle` (one handle buffered at a time). One item
 * per variant: id = Variant SKU, else Variant Id, else `<handle>-<n>` (never the Product Id, which the
 * template leaves empty); item_group_id = handle when the product has more than one variant; image_link =
 * Product Thumbnail, else the first `Image N Url`; options (`Option N Name/Value`) → colour/size/… or
 * custom; price from the price columns (the feed's default currency when one column has it, else the first
 * with a value; the others kept as custom); quantity/availability from inventory (in stock when inventory is
 * not managed or backorders are allowed); weight in grams. Products whose status is not `published` are
 * skipped with INACTIVE_PRODUCT_SKIPPED.
 */
export function medusaCsvDialect(preferredCurrency?: string | null): CsvDialectDefinition {
  return {
    name: 'MEDUSA',
    columns: {
      consumes(key) {
        const known = CONSUMED[key];
        if (known !== undefined) return known;
        if (PRICE.test(key)) return 'price|custom';
        const option = OPTION.exec(key);
        if (option) return option[2] === 'value' ? 'color|size|material|pattern|custom' : '';
        if (IMAGE.test(key)) return 'image_link|additional_image_link';
        return undefined;
      },
      claims: [
        'id',
        'title',
        'description',
        'image_link',
        'additional_image_link',
        'product_type',
        'price',
        'quantity',
        'availability',
        'item_group_id',
        'gtin',
        'shipping_weight',
        'color',
        'size',
        'material',
        'pattern',
      ],
    },
    // Medusa's Next.js storefront serves a product at /products/<handle> (under a country code when it has
    // regions, which a linkTemplate such as `{store}/us/products/{handle}` gives).
    linkTemplate: '{store}/products/{handle}',
    create: (table, sink) => new MedusaCsvReader(table, sink, preferredCurrency?.trim().toUpperCase() || null),
  };
}

class MedusaCsvReader implements CsvDialectReader {
  private handle = '';
  private rows: MedusaRow[] = [];
  private emitted = 0;
  private readonly prices: PriceColumn[];
  private readonly options: number[];
  private readonly images: string[];
  private readonly status: StatusColumn;

  constructor(
    private readonly table: HeaderTable,
    private readonly sink: ItemSink,
    private readonly preferredCurrency: string | null,
  ) {
    const keys = table.headers.map((header) => header.toLowerCase());
    this.prices = keys.flatMap((key, index) => {
      const match = PRICE.exec(key);
      const currency = (match?.[3] ?? match?.[4])?.toUpperCase();
      if (!match || !currency || currencyExponent(currency) === undefined || !table.has(key)) return [];
      return [{ key, header: table.headers[index], currency, minorUnits: !match[1] }];
    });
    this.options = [
      ...new Set(
        keys
          .map((key) => OPTION.exec(key))
          .filter((match): match is RegExpExecArray => match !== null)
          .map((match) => Number(match[1])),
      ),
    ].sort((a, b) => a - b);
    this.images = keys
      .map((key) => ({ key, match: IMAGE.exec(key) }))
      .filter((entry) => entry.match !== null && table.has(entry.key))
      .sort((a, b) => Number(a.match![1] ?? a.match![2]) - Number(b.match![1] ?? b.match![2]))
      .map((entry) => entry.key);
    this.status = new StatusColumn(table.headers, 'product status');
  }

  row(cells: readonly string[], line: number): void {
    const handle = this.table.get(cells, 'product handle');
    if (handle !== this.handle || !handle) this.flush(false);
    this.handle = handle;
    this.rows.push({ cells, line });
    if (this.rows.length >= MAX_GROUP_VARIANTS) this.flush(true);
  }

  end(): void {
    this.flush(false);
  }

  private flush(more: boolean): void {
    const rows = this.rows;
    this.rows = [];
    if (rows.length === 0) return;
    const grouped = Boolean(this.handle) && (more || this.emitted + rows.length > 1);
    rows.forEach((row, k) => this.emit(row, this.emitted + k + 1, grouped));
    this.emitted = more ? this.emitted + rows.length : 0;
  }

  private emit(row: MedusaRow, n: number, grouped: boolean): void {
    const t = this.table;
    const cells = row.cells;
    const handle = this.handle;
    const id = t.get(cells, 'variant sku') || t.get(cells, 'variant id') || (handle ? `${handle}-${n}` : '');
    const status = this.status.get(cells);
    if (status && status.toLowerCase() !== 'published') {
      this.sink.issue(inactiveProductIssue(row.line, this.status, status, id || null));
      this.sink.skip(row.line, 'INACTIVE');
      return;
    }
    const fields: ItemFields = {};
    addField(fields, 'id', id);
    addField(fields, 'title', t.get(cells, 'product title'));
    addField(fields, 'description', t.get(cells, 'product description'));
    addField(fields, 'product_type', t.get(cells, 'product type'));
    if (grouped) addField(fields, 'item_group_id', handle);
    addImages(fields, [t.get(cells, 'product thumbnail'), ...this.images.map((key) => t.get(cells, key))]);
    addField(
      fields,
      'gtin',
      t.get(cells, 'variant barcode') || t.get(cells, 'variant ean') || t.get(cells, 'variant upc'),
    );
    addField(fields, 'material', t.get(cells, 'variant material') || t.get(cells, 'product material'));

    const price = this.chosenPrice(cells);
    for (const column of this.prices) {
      const value = t.get(cells, column.key);
      if (column === price) addField(fields, 'price', amount(value, column));
      else addField(fields, `${CUSTOM_PREFIX}${column.header}`, value);
    }

    for (const o of this.options) {
      const value = t.get(cells, `option ${o} value`) || t.get(cells, `variant option ${o} value`);
      const name = t.get(cells, `option ${o} name`) || t.get(cells, `variant option ${o} name`) || `Option ${o}`;
      if (value) addField(fields, optionAttribute(name), value);
    }

    const quantity = t.get(cells, 'variant inventory quantity');
    const managed = t.get(cells, 'variant manage inventory').toLowerCase() !== 'false';
    const backorder = t.get(cells, 'variant allow backorder').toLowerCase() === 'true';
    const count = Number.parseInt(quantity, 10);
    addField(fields, 'quantity', quantity);
    const sold = managed && !backorder && Number.isFinite(count) && count <= 0;
    addField(fields, 'availability', sold ? 'out_of_stock' : 'in_stock');

    const grams = t.get(cells, 'variant weight') || t.get(cells, 'product weight');
    if (exportNumber(grams) > 0) addField(fields, 'shipping_weight', `${grams} g`);

    addField(fields, `${CUSTOM_PREFIX}Product Handle`, handle);
    addField(fields, `${CUSTOM_PREFIX}Product Id`, t.get(cells, 'product id'));
    if (t.get(cells, 'variant sku')) addField(fields, `${CUSTOM_PREFIX}Variant Id`, t.get(cells, 'variant id'));
    t.copy(fields, cells);
    t.override(fields, cells);
    this.sink.item(row.line, fields, handle ? { handle } : {});
  }

  /** The feed's default currency when a column has it in this row, else the first column with a value. */
  private chosenPrice(cells: readonly string[]): PriceColumn | null {
    const filled = this.prices.filter((column) => this.table.get(cells, column.key) !== '');
    return filled.find((column) => column.currency === this.preferredCurrency) ?? filled[0] ?? null;
  }
}

/** `2950` in a v1 `Price EUR` column → `29.50 EUR`; v2 amounts are already major units. */
function amount(value: string, column: PriceColumn): string {
  if (!column.minorUnits || !/^-?\d+$/.test(value)) return `${value} ${column.currency}`;
  const exponent = currencyExponent(column.currency)!;
  if (exponent === 0) return `${value} ${column.currency}`;
  const negative = value.startsWith('-');
  const digits = (negative ? value.slice(1) : value).padStart(exponent + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -exponent)}.${digits.slice(-exponent)} ${column.currency}`;
}
