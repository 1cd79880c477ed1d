import { CUSTOM_PREFIX } from '@brandshelf/catalog-rules';
import type { HeaderTable } from './column.planner.js';
import {
  exportNumber,
  formatPrice,
  type CsvDialectDefinition,
  type CsvDialectReader,
  type ItemSink,
} from './csv.dialect.js';
import { addField, addImages, type ItemFields } from './item-fields.builder.js';
import { readerIssue } from './feed.issues.js';
import { inactiveProductIssue, StatusColumn } from './inactive-product.js';
import { optionAttribute } from './variant-option.mapper.js';

/** Wix exports media as bare ids; this is where Wix serves them. */
const WIX_MEDIA_BASE = 'https://static.wixstatic.com/media/';

const CONSUMED: Record<string, string> = {
  handleid: 'item_group_id|custom:handleId',
  fieldtype: '',
  name: 'title',
  description: 'description',
  productimageurl: 'image_link|additional_image_link',
  collection: 'product_type',
  sku: 'id',
  price: 'price',
  surcharge: 'price',
  discountmode: 'sale_price',
  discountvalue: 'sale_price',
  inventory: 'availability|quantity',
  brand: 'brand',
  // Unitless (the store's unit), so kept as written rather than passed off as a shipping weight.
  weight: 'custom:weight',
};
const OPTION_COLUMN = /^productoption(name|type|description)(\d+)$/;

interface WixRow {
  cells: readonly string[];
  line: number;
}

interface WixGroup {
  handleId: string;
  product: WixRow;
  variants: WixRow[];
}

/**
 * Wix Stores catalog CSV: a `Product` row, then its `Variant` rows, tied by handleId (one product
 * buffered at a time). A product without variant rows is one item (id = sku, else handleId); otherwise
 * each variant is one (id = variant sku, else `<handleId>-<n>`) with the product's name, description,
 * images, collection (→ product_type) and brand, price = product price + surcharge, sale_price from a
 * percent or amount discount, availability/quantity from the variant's inventory (a number or
 * InStock/OutOfStock), and option values (colour choices lose their `#hex:` prefix) → colour/size or
 * custom. Image ids become https://static.wixstatic.com/media/<id> URLs.
 */
export const WIX_CSV_DIALECT: CsvDialectDefinition = {
  name: 'WIX',
  columns: {
    consumes(key) {
      const known = CONSUMED[key];
      if (known !== undefined) return known;
      const option = OPTION_COLUMN.exec(key);
      if (option) return option[1] === 'description' ? 'color|size|material|pattern|custom' : '';
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
      'sale_price',
      'availability',
      'quantity',
      'brand',
      'item_group_id',
      'color',
      'size',
      'material',
      'pattern',
    ],
  },
  create: (table, sink) => new WixCsvReader(table, sink),
};

class WixCsvReader implements CsvDialectReader {
  private group: WixGroup | null = null;
  private readonly optionNumbers: number[];
  private readonly handleHeader: string;
  private readonly visible: StatusColumn;

  constructor(
    private readonly table: HeaderTable,
    private readonly sink: ItemSink,
  ) {
    this.optionNumbers = [
      ...new Set(
        table.headers
          .map((header) => OPTION_COLUMN.exec(header.toLowerCase()))
          .filter((match): match is RegExpExecArray => match !== null && match[1] === 'name')
          .map((match) => Number(match[2])),
      ),
    ].sort((a, b) => a - b);
    this.handleHeader = table.col('handleid') >= 0 ? table.headers[table.col('handleid')] : 'handleId';
    this.visible = new StatusColumn(table.headers, 'visible');
  }

  row(cells: readonly string[], line: number): void {
    const t = this.table;
    const handleId = t.get(cells, 'handleid');
    const isVariant = t.get(cells, 'fieldtype').toLowerCase() === 'variant';
    if (!isVariant) {
      this.flush();
      this.group = { handleId, product: { cells, line }, variants: [] };
      return;
    }
    if (!this.group || (handleId && handleId !== this.group.handleId)) {
      this.sink.issue(
        readerIssue(
          'ERROR',
          'ORPHAN_VARIANT',
          line,
          `The Variant row's handleId "${handleId}" does not follow its Product row, so it cannot be placed.`,
          {
            attribute: 'item_group_id',
            value: handleId,
            hint: 'Keep each product’s Variant rows right after its Product row, with the same handleId.',
          },
        ),
      );
      return;
    }
    this.group.variants.push({ cells, line });
  }

  end(): void {
    this.flush();
  }

  private flush(): void {
    const group = this.group;
    this.group = null;
    if (!group) return;
    // A hidden product is hidden with all its variants; a visible one can still hide some variants.
    const hidden = this.hidden(group.product.cells);
    if (group.variants.length === 0) {
      if (hidden) this.skip(group.product, hidden, this.table.get(group.product.cells, 'sku') || group.handleId);
      else this.emit(group, group.product, null, false);
      return;
    }
    // The product row lends name, price and images to its variants, which are the items.
    this.sink.skip(group.product.line, hidden ? 'INACTIVE' : 'VARIANT_PARENT');
    const shown = hidden ? 0 : group.variants.filter((variant) => !this.hidden(variant.cells)).length;
    group.variants.forEach((variant, k) => {
      const value = hidden || this.hidden(variant.cells);
      if (value) this.skip(variant, value, this.table.get(variant.cells, 'sku') || `${group.handleId}-${k + 1}`);
      else this.emit(group, variant, k + 1, shown > 1);
    });
  }

  /** The row's visible value when it is false, else ''. */
  private hidden(cells: readonly string[]): string {
    const visible = this.visible.get(cells);
    return /^false$/i.test(visible) ? visible : '';
  }

  private skip(row: WixRow, value: string, id: string): void {
    this.sink.issue(inactiveProductIssue(row.line, this.visible, value, id));
    this.sink.skip(row.line, 'INACTIVE');
  }

  private emit(group: WixGroup, row: WixRow, n: number | null, grouped: boolean): void {
    const t = this.table;
    const product = group.product.cells;
    const own = row.cells;
    const isProduct = n === null;
    const fields: ItemFields = {};

    addField(fields, 'id', t.get(own, 'sku') || (isProduct ? group.handleId : `${group.handleId}-${n}`));
    addField(fields, 'title', t.get(product, 'name'));
    addField(fields, 'description', t.get(product, 'description'));
    addImages(fields, wixImages(t.get(product, 'productimageurl')));
    addField(fields, 'product_type', t.get(product, 'collection'));
    addField(fields, 'brand', t.get(product, 'brand'));
    if (grouped) addField(fields, 'item_group_id', group.handleId);

    const base = t.get(product, 'price');
    const surcharge = exportNumber(t.get(own, 'surcharge'));
    const price = surcharge ? formatPrice(exportNumber(base) + surcharge) : base;
    addField(fields, 'price', price);
    const discount = exportNumber(t.get(product, 'discountvalue'));
    if (discount > 0 && Number.isFinite(exportNumber(price))) {
      const mode = t.get(product, 'discountmode').toUpperCase();
      const sale = mode === 'PERCENT' ? exportNumber(price) * (1 - discount / 100) : exportNumber(price) - discount;
      if (sale >= 0) addField(fields, 'sale_price', formatPrice(sale));
    }

    const inventory = t.get(own, 'inventory') || t.get(product, 'inventory');
    const stock = Number.parseInt(inventory, 10);
    if (Number.isFinite(stock)) {
      addField(fields, 'quantity', inventory);
      addField(fields, 'availability', stock > 0 ? 'in_stock' : 'out_of_stock');
    } else if (/^instock$/i.test(inventory)) {
      addField(fields, 'availability', 'in_stock');
    } else if (/^outofstock$/i.test(inventory)) {
      addField(fields, 'availability', 'out_of_stock');
    }

    for (const k of this.optionNumbers) {
      const name = t.get(product, `productoptionname${k}`);
      const value = t.get(own, `productoptiondescription${k}`);
      if (!name || !value) continue;
      // A product row lists every choice (`S;M;L`); only a variant row names its own.
      if (isProduct) addField(fields, `${CUSTOM_PREFIX}${name}`, value.split(';').map(stripColorCode).join(';'));
      else addField(fields, optionAttribute(name), stripColorCode(value));
    }

    addField(fields, `${CUSTOM_PREFIX}weight`, t.get(own, 'weight') || t.get(product, 'weight'));
    addField(fields, `${CUSTOM_PREFIX}${this.handleHeader}`, group.handleId);
    t.copy(fields, own, isProduct ? undefined : product);
    t.override(fields, own, isProduct ? undefined : product);
    this.sink.item(row.line, fields);
  }
}

/** `a47bec_…~mv2.jpg;a47bec_…~mv2.png` → full URLs; anything already a URL is kept. */
function wixImages(value: string): string[] {
  if (!value) return [];
  return value
    .split(';')
    .map((id) => id.trim())
    .filter(Boolean)
    .map((id) => (/^https?:\/\//i.test(id) ? id : `${WIX_MEDIA_BASE}${id}`));
}

/** Colour choices are written `#b81616:Red` or `rgb(193,180,123):Cream`. */
function stripColorCode(value: string): string {
  return value.replace(/^(#[0-9a-f]{3,8}|rgba?\([^)]*\)):/i, '').trim();
}
