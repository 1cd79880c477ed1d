import { CUSTOM_PREFIX } from '@brandshelf/catalog-rules';
import type { HeaderTable } from './column.planner.js';
import { exportNumber, type CsvDialectDefinition, type CsvDialectReader, type ItemSink } from './csv.dialect.js';
import { addField, addImages, type ItemFields } from './item-fields.builder.js';
import { readerIssue } from './feed.issues.js';
import { inactiveProductIssue, StatusColumn } from './inactive-product.js';
import { optionAttribute } from './variant-option.mapper.js';

const CONSUMED: Record<string, string> = {
  id: 'custom:ID',
  type: 'custom:Type',
  sku: 'id',
  name: 'title',
  description: 'description',
  'short description': 'description',
  'regular price': 'price',
  'sale price': 'sale_price',
  'date sale price starts': 'sale_price_effective_date',
  'date sale price ends': 'sale_price_effective_date',
  'in stock?': 'availability',
  stock: 'quantity',
  categories: 'product_type',
  images: 'image_link|additional_image_link',
  parent: 'item_group_id',
  'external url': 'link',
  'gtin, upc, ean, or isbn': 'gtin',
  brands: 'brand',
};
const WEIGHT = /^weight \((\w+)\)$/;
const ATTRIBUTE_COLUMN = /^attribute (\d+) (name|value\(s\)|visible|global|default)$/;

/** Variable parents remembered for their variations; past this the oldest are forgotten. */
const MAX_REMEMBERED_PARENTS = 5000;

interface VariableParent {
  line: number;
  /** How variations name it: its SKU and `id:<ID>`. */
  keys: string[];
  sku: string;
  /** The parent's WooCommerce ID: its product page. */
  wooId: string;
  title: string;
  description: string;
  productType: string;
  brand: string;
  images: string[];
  /** The parent's Published value when it is not published (its variations are not sold either), else ''. */
  unpublished: string;
  /** Whether its row has been accounted for: skipped as the parent of a variation read, or as inactive. */
  accounted: boolean;
}

/** Published: 1 published, 0 private, -1 draft. */
const UNPUBLISHED = /^(0|-1)$/;

/**
 * WooCommerce product CSV (core exporter/importer columns). One row is one product or variation:
 * SKU → id (else the WooCommerce ID), Name → title, Description (else Short description) →
 * description, Regular/Sale price, a scheduled sale's dates → sale_price_effective_date, `In stock?`
 * 1/0/backorder → availability, Stock → quantity, Categories → product_type, Images (comma-space list) → image_link + additional, `Weight (unit)` →
 * shipping_weight (`0.5 lb`), Attribute N name/value(s) → colour/size/… or custom, External URL → link.
 * Variations name their parent by SKU or `id:<ID>` → item_group_id (the parent's SKU when known).
 * Variable parents are not sellable themselves: they are skipped as VARIANT_PARENT once a variation
 * names them; when they come before their variations (as WooCommerce exports them) they lend
 * description, category, brand and images the variation lacks. A variable parent no variation row
 * names is an ERROR on its row (VARIABLE_WITHOUT_VARIATIONS): WooCommerce sells a variable product only
 * through its variations, and Merchant Center needs one item per variant with its own price, so it
 * would otherwise vanish without a word. Grouped products (a page listing other products, with no
 * price) are skipped as GROUPED_PRODUCT; external products are emitted like simple ones.
 */
export const WOOCOMMERCE_CSV_DIALECT: CsvDialectDefinition = {
  name: 'WOOCOMMERCE',
  columns: {
    consumes(key) {
      const known = CONSUMED[key];
      if (known !== undefined) return known;
      if (WEIGHT.test(key)) return 'shipping_weight';
      const attribute = ATTRIBUTE_COLUMN.exec(key);
      if (attribute) return attribute[2] === 'value(s)' ? 'color|size|material|pattern|custom' : '';
      return undefined;
    },
    claims: [
      'id',
      'title',
      'description',
      'price',
      'sale_price',
      'sale_price_effective_date',
      'availability',
      'quantity',
      'product_type',
      'image_link',
      'additional_image_link',
      'item_group_id',
      'link',
      'gtin',
      'brand',
      'shipping_weight',
      'color',
      'size',
      'material',
      'pattern',
    ],
  },
  // The export has no slug, so the default is WordPress's plain permalink by post id, which every shop answers
  // (redirecting to the pretty one); a variation links to its parent's page.
  linkTemplate: '{store}/?post_type=product&p={product_id}',
  create: (table, sink) => new WooCommerceCsvReader(table, sink),
};

class WooCommerceCsvReader implements CsvDialectReader {
  private readonly parents = new Map<string, VariableParent>();
  private readonly weightKey: string | null;
  private readonly weightUnit: string;
  private readonly attributeNumbers: number[];
  private readonly idHeader: string;
  private readonly typeHeader: string;
  private readonly published: StatusColumn;

  constructor(
    private readonly table: HeaderTable,
    private readonly sink: ItemSink,
  ) {
    const keys = table.headers.map((header) => header.toLowerCase());
    const weight = keys.map((key) => WEIGHT.exec(key)).find((match) => match && table.has(match[0]));
    this.weightKey = weight?.[0] ?? null;
    this.weightUnit = weight?.[1] ?? '';
    this.attributeNumbers = [
      ...new Set(
        keys
          .map((key) => ATTRIBUTE_COLUMN.exec(key))
          .filter((match): match is RegExpExecArray => match !== null && match[2] === 'name')
          .map((match) => Number(match[1])),
      ),
    ].sort((a, b) => a - b);
    this.idHeader = table.col('id') >= 0 ? table.headers[table.col('id')] : 'ID';
    this.typeHeader = table.col('type') >= 0 ? table.headers[table.col('type')] : 'Type';
    this.published = new StatusColumn(table.headers, 'published');
  }

  row(cells: readonly string[], line: number): void {
    const t = this.table;
    const type = t.get(cells, 'type');
    const types = type
      .toLowerCase()
      .split(',')
      .map((part) => part.trim());
    const sku = t.get(cells, 'sku');
    const wooId = t.get(cells, 'id');
    const images = splitImages(t.get(cells, 'images'));
    const published = this.published.get(cells);

    // A grouped product is a page listing other products (each its own row); it has no price of its own.
    if (types.includes('grouped')) {
      this.sink.skip(line, 'GROUPED_PRODUCT');
      return;
    }
    if (types.includes('variable')) {
      const unpublished = UNPUBLISHED.test(published) ? published : '';
      // Not for sale with or without variations; each variation says so with its own warning.
      if (unpublished) this.sink.skip(line, 'INACTIVE');
      this.remember({
        line,
        keys: [sku, wooId && `id:${wooId}`].filter(Boolean),
        sku: sku || wooId,
        wooId,
        title: t.get(cells, 'name'),
        description: t.get(cells, 'description') || t.get(cells, 'short description'),
        productType: t.get(cells, 'categories'),
        brand: t.get(cells, 'brands'),
        images,
        unpublished,
        accounted: unpublished !== '',
      });
      return;
    }

    const parentRef = t.get(cells, 'parent');
    const parent = parentRef ? this.parents.get(parentRef) : undefined;
    if (parent && !parent.accounted) {
      parent.accounted = true;
      this.sink.skip(parent.line, 'VARIANT_PARENT');
    }
    const unpublished = UNPUBLISHED.test(published) ? published : (parent?.unpublished ?? '');
    if (unpublished) {
      this.sink.issue(inactiveProductIssue(line, this.published, unpublished, sku || wooId || null));
      this.sink.skip(line, 'INACTIVE');
      return;
    }
    const fields: ItemFields = {};
    addField(fields, 'id', sku || wooId);
    addField(fields, 'title', t.get(cells, 'name') || (parent?.title ?? ''));
    addField(
      fields,
      'description',
      t.get(cells, 'description') || t.get(cells, 'short description') || (parent?.description ?? ''),
    );
    if (t.get(cells, 'description') && t.get(cells, 'short description')) {
      addField(fields, `${CUSTOM_PREFIX}${t.headers[t.col('short description')]}`, t.get(cells, 'short description'));
    }
    if (parentRef) addField(fields, 'item_group_id', parent?.sku || parentRef.replace(/^id:/i, ''));
    addField(fields, 'product_type', t.get(cells, 'categories') || (parent?.productType ?? ''));
    addField(fields, 'brand', t.get(cells, 'brands') || (parent?.brand ?? ''));
    addImages(fields, images.length ? images : (parent?.images ?? []));
    addField(fields, 'price', t.get(cells, 'regular price'));
    addField(fields, 'sale_price', t.get(cells, 'sale price'));
    addField(
      fields,
      'sale_price_effective_date',
      saleWindow(t.get(cells, 'date sale price starts'), t.get(cells, 'date sale price ends')),
    );
    addField(fields, 'availability', availability(t.get(cells, 'in stock?')));
    addField(fields, 'quantity', t.get(cells, 'stock'));
    addField(fields, 'gtin', t.get(cells, 'gtin, upc, ean, or isbn'));
    addField(fields, 'link', t.get(cells, 'external url'));
    if (this.weightKey) {
      const weight = t.get(cells, this.weightKey);
      if (weight) addField(fields, 'shipping_weight', shippingWeight(weight, this.weightUnit));
    }
    for (const n of this.attributeNumbers) {
      const name = t.get(cells, `attribute ${n} name`);
      const value = t.get(cells, `attribute ${n} value(s)`);
      if (name && value) addField(fields, optionAttribute(name), value);
    }
    addField(fields, `${CUSTOM_PREFIX}${this.idHeader}`, wooId);
    addField(fields, `${CUSTOM_PREFIX}${this.typeHeader}`, type);
    t.copy(fields, cells);
    t.override(fields, cells);
    const productId = parentRef ? parent?.wooId || /^id:(\d+)$/i.exec(parentRef)?.[1] : wooId;
    this.sink.item(line, fields, productId ? { product_id: productId } : {});
  }

  end(): void {
    for (const parent of new Set(this.parents.values())) this.account(parent);
    this.parents.clear();
  }

  private remember(parent: VariableParent): void {
    // Nothing can name a parent without SKU or ID.
    if (!parent.keys.length) this.account(parent);
    for (const key of parent.keys) {
      const previous = this.parents.get(key);
      this.parents.delete(key);
      this.parents.set(key, parent);
      if (previous && previous !== parent) this.forget(previous);
    }
    while (this.parents.size > MAX_REMEMBERED_PARENTS * 2) {
      const key = this.parents.keys().next().value!;
      const oldest = this.parents.get(key)!;
      this.parents.delete(key);
      this.forget(oldest);
    }
  }

  /** Once no key leads to a parent any more, no later variation can name it: account for its row now. */
  private forget(parent: VariableParent): void {
    if (!parent.keys.some((key) => this.parents.get(key) === parent)) this.account(parent);
  }

  /** A variable parent no variation named: an ERROR on its row rather than a product that vanishes. */
  private account(parent: VariableParent): void {
    if (parent.accounted) return;
    parent.accounted = true;
    this.sink.issue(
      readerIssue(
        'ERROR',
        'VARIABLE_WITHOUT_VARIATIONS',
        parent.line,
        `"${parent.title || parent.sku}" is a variable product, but no variation row in the file names it as its Parent, so there is nothing to sell: WooCommerce sells a variable product only through its variations, each with its own price.`,
        {
          attribute: 'item_group_id',
          value: parent.sku,
          itemId: parent.sku || null,
          hint: 'Export the product together with its variations (WooCommerce › Products › Export with "Variations" among the product types), or make it a simple product with a Regular price.',
        },
      ),
    );
  }
}

/**
 * A scheduled sale (`Date sale price starts` / `ends`, `2025-03-01` or `2025-03-01 00:00:00` in the shop's time zone,
 * either may be empty) as Merchant Center's `start/end`: WooCommerce applies the sale price only between them, the
 * end day included. An open side becomes a date far enough away; no dates, no window.
 */
function saleWindow(starts: string, ends: string): string {
  if (!starts && !ends) return '';
  return `${starts || '1970-01-01'}/${ends || '9999-12-31'}`;
}

/** WooCommerce writes image lists as `url, url`; commas inside a URL are not followed by a space. */
function splitImages(value: string): string[] {
  return value
    ? value
        .split(/,\s+/)
        .map((url) => url.trim())
        .filter(Boolean)
    : [];
}

/** `.5` in a `Weight (lbs)` column → `0.5 lb`: Merchant Center's units are lb, oz, g and kg. */
function shippingWeight(value: string, unit: string): string {
  const amount = exportNumber(value);
  const written = /^\d*[.,]?\d+$/.test(value) && Number.isFinite(amount) ? String(amount) : value;
  return `${written} ${unit === 'lbs' ? 'lb' : unit}`;
}

function availability(inStock: string): string {
  switch (inStock.toLowerCase()) {
    case '1':
    case 'yes':
    case 'instock':
      return 'in_stock';
    case '0':
    case 'no':
    case 'outofstock':
      return 'out_of_stock';
    case 'backorder':
    case 'onbackorder':
      return 'backorder';
    default:
      return inStock;
  }
}
