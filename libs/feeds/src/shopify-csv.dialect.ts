import { CUSTOM_PREFIX, lookupCategory } from '@brandshelf/catalog-rules';
import type { HeaderTable } from './column.planner.js';
import { exportNumber, type CsvDialectDefinition, type CsvDialectReader, type ItemSink } from './csv.dialect.js';
import { addField, addImages, type ItemFields } from './item-fields.builder.js';
import { readerIssue } from './feed.issues.js';
import { inactiveProductIssue, StatusColumn } from './inactive-product.js';
import { optionAttribute } from './variant-option.mapper.js';

const CONSUMED: Record<string, string> = {
  handle: 'item_group_id|custom:Handle',
  title: 'title',
  'body (html)': 'description',
  vendor: 'brand',
  type: 'product_type',
  'product category': 'google_product_category|custom:Product Category',
  'variant sku': 'id',
  'variant price': 'price|sale_price',
  'variant compare at price': 'price',
  'variant barcode': 'gtin',
  'variant inventory qty': 'quantity|availability',
  'variant inventory policy': 'availability',
  'variant grams': 'shipping_weight',
  'variant image': 'image_link',
  'image src': 'image_link|additional_image_link',
  'image position': '',
  'image alt text': '',
  'google shopping / google product category': 'google_product_category',
  'google shopping / gender': 'gender',
  'google shopping / age group': 'age_group',
  'google shopping / mpn': 'mpn',
  'google shopping / condition': 'condition',
};
for (let n = 0; n <= 4; n++) CONSUMED[`google shopping / custom label ${n}`] = `custom_label_${n}`;
for (let o = 1; o <= 3; o++) {
  CONSUMED[`option${o} name`] = '';
  CONSUMED[`option${o} value`] = 'color|size|material|pattern|custom';
  CONSUMED[`option${o} linked to`] = '';
}

/** Any of these on a continuation row makes it a variant; otherwise it only adds an image. */
const VARIANT_MARKERS = [
  'option1 value',
  'option2 value',
  'option3 value',
  'variant sku',
  'variant price',
  'variant compare at price',
  'variant barcode',
  'variant grams',
  'variant inventory qty',
];

/** Copied columns that belong to one variant, so a variant row never takes them from the product row. */
const VARIANT_ONLY = /^(variant |price \/ |compare at price \/ |cost per item$)/;

/** Shopify allows 2,048 variants and 250 images a product; past that a group is flushed early. */
const MAX_GROUP_VARIANTS = 2048;
const MAX_GROUP_IMAGES = 250;
const MAX_REMEMBERED_CATEGORIES = 1000;

interface ShopifyRow {
  cells: readonly string[];
  line: number;
}

interface ShopifyGroup {
  handle: string;
  parent: ShopifyRow;
  variants: ShopifyRow[];
  images: string[];
  flushed: number;
}

/**
 * Shopify product CSV. Rows are grouped by Handle (one handle buffered at a time): the first row holds
 * the product, continuation rows are variants (options, SKU or price set) or image-only rows. Each
 * variant becomes one item; see `emitVariant` for how columns become attributes.
 */
export const SHOPIFY_CSV_DIALECT: CsvDialectDefinition = {
  name: 'SHOPIFY',
  columns: {
    consumes: (key) => CONSUMED[key],
    claims: [
      ...new Set(
        Object.values(CONSUMED)
          .flatMap((value) => value.split('|'))
          .filter((value) => value && value !== 'custom' && !value.startsWith(CUSTOM_PREFIX)),
      ),
    ],
  },
  // The Online Store's product page; a store with another theme route sets the feed's linkTemplate.
  linkTemplate: '{store}/products/{handle}',
  create: (table, sink) => new ShopifyCsvReader(table, sink),
};

class ShopifyCsvReader implements CsvDialectReader {
  private group: ShopifyGroup | null = null;
  private readonly inherits: boolean[];
  private readonly handleHeader: string;
  private readonly categoryHeader: string;
  /** Shopify category → what google_product_category gets; a catalog repeats a few categories many times. */
  private readonly categories = new Map<string, string>();
  private readonly status: StatusColumn;
  private readonly published: StatusColumn;

  constructor(
    private readonly table: HeaderTable,
    private readonly sink: ItemSink,
  ) {
    this.inherits = table.copied.map((column) => !VARIANT_ONLY.test(column.header.toLowerCase()));
    this.handleHeader = this.originalHeader('handle', 'Handle');
    this.categoryHeader = this.originalHeader('product category', 'Product Category');
    this.status = new StatusColumn(table.headers, 'status');
    this.published = new StatusColumn(table.headers, 'published');
  }

  row(cells: readonly string[], line: number): void {
    const t = this.table;
    const handle = t.get(cells, 'handle');
    let group = this.group;
    if (handle && handle !== group?.handle) {
      this.flush();
      group = this.group = { handle, parent: { cells, line }, variants: [{ cells, line }], images: [], flushed: 0 };
    } else if (!group) {
      this.sink.issue(
        readerIssue(
          'ERROR',
          'ORPHAN_VARIANT',
          line,
          'The row has no Handle and no product row comes before it, so it cannot be placed.',
          { hint: 'Give every row the Handle of its product; the first row of a product carries its Title.' },
        ),
      );
      return;
    } else if (VARIANT_MARKERS.some((key) => t.get(cells, key) !== '')) {
      group.variants.push({ cells, line });
    } else {
      // Its image (if any) joins the product's images below; the row itself is no item.
      this.sink.skip(line, 'IMAGE_ONLY_ROW');
    }
    const image = t.get(cells, 'image src');
    if (image && group.images.length < MAX_GROUP_IMAGES && !group.images.includes(image)) group.images.push(image);
    if (group.variants.length >= MAX_GROUP_VARIANTS) this.emitVariants(group, true);
  }

  end(): void {
    this.flush();
  }

  private flush(): void {
    if (this.group) this.emitVariants(this.group, false);
    this.group = null;
  }

  private emitVariants(group: ShopifyGroup, more: boolean): void {
    const inactive = this.inactive(group.parent.cells);
    if (inactive) {
      group.variants.forEach((variant, k) => {
        const id = this.table.get(variant.cells, 'variant sku') || `${group.handle}-${group.flushed + k + 1}`;
        this.sink.issue(inactiveProductIssue(variant.line, inactive.column, inactive.value, id));
        this.sink.skip(variant.line, 'INACTIVE');
      });
      group.flushed += group.variants.length;
      group.variants = [];
      return;
    }
    const grouped = more || group.flushed + group.variants.length > 1;
    group.variants.forEach((variant, k) => this.emitVariant(group, variant, group.flushed + k + 1, grouped));
    group.flushed += group.variants.length;
    group.variants = [];
  }

  /**
   * id = Variant SKU, else `<handle>-<n>`; title, description (Body), brand (Vendor) and product_type
   * (Type) from the product row; google_product_category = the Google Shopping category, else the
   * Product Category's deepest Google ancestor (the full Product Category kept as custom when it
   * differs); price = Compare At Price when it is higher, with sale_price = Variant Price; gtin =
   * Variant Barcode as written; image_link = Variant Image or the first Image Src, the handle's other
   * images additional; options named like colour/size/material/pattern fill those
   * attributes, others become custom; availability from Variant Inventory Qty and policy, in stock when
   * there is no quantity column. An export has no link: it is built from the Handle when the feed has a storeUrl. Other columns are copied,
   * product-level ones inherited from the product row.
   */
  private emitVariant(group: ShopifyGroup, variant: ShopifyRow, n: number, grouped: boolean): void {
    const t = this.table;
    const own = variant.cells;
    const parent = group.parent.cells;
    const inherited = (key: string) => t.get(own, key) || t.get(parent, key);
    const fields: ItemFields = {};

    addField(fields, 'id', t.get(own, 'variant sku') || `${group.handle}-${n}`);
    addField(fields, 'title', inherited('title'));
    addField(fields, 'description', inherited('body (html)'));
    addField(fields, 'brand', inherited('vendor'));
    addField(fields, 'product_type', inherited('type'));
    const googleCategory = inherited('google shopping / google product category');
    const shopCategory = inherited('product category');
    const category = googleCategory || this.googleAncestor(shopCategory);
    addField(fields, 'google_product_category', category);
    if (shopCategory && category !== shopCategory) {
      addField(fields, `${CUSTOM_PREFIX}${this.categoryHeader}`, shopCategory);
    }
    if (grouped) addField(fields, 'item_group_id', group.handle);

    const price = t.get(own, 'variant price');
    const compareAt = t.get(own, 'variant compare at price');
    if (compareAt && exportNumber(compareAt) > exportNumber(price)) {
      addField(fields, 'price', compareAt);
      addField(fields, 'sale_price', price);
    } else {
      addField(fields, 'price', price);
    }

    addField(fields, 'gtin', t.get(own, 'variant barcode'));
    addField(fields, 'mpn', inherited('google shopping / mpn'));
    addField(fields, 'condition', inherited('google shopping / condition'));
    addField(fields, 'gender', inherited('google shopping / gender'));
    addField(fields, 'age_group', inherited('google shopping / age group'));
    for (let label = 0; label <= 4; label++) {
      addField(fields, `custom_label_${label}`, inherited(`google shopping / custom label ${label}`));
    }

    const variantImage = t.get(own, 'variant image');
    addImages(fields, variantImage ? [variantImage, ...group.images] : group.images);

    for (let o = 1; o <= 3; o++) {
      const value = t.get(own, `option${o} value`);
      if (!value) continue;
      const name = t.get(own, `option${o} name`) || t.get(parent, `option${o} name`) || `Option${o}`;
      // Shopify's placeholder for a product without options.
      if (name.toLowerCase() === 'title' && value.toLowerCase() === 'default title') continue;
      addField(fields, optionAttribute(name), value);
    }

    const quantity = t.get(own, 'variant inventory qty');
    const policy = t.get(own, 'variant inventory policy').toLowerCase();
    const count = Number.parseInt(quantity, 10);
    if (Number.isFinite(count)) {
      addField(fields, 'quantity', quantity);
      addField(fields, 'availability', count > 0 || policy === 'continue' ? 'in_stock' : 'out_of_stock');
    } else {
      addField(fields, 'availability', 'in_stock');
    }

    const grams = t.get(own, 'variant grams');
    if (exportNumber(grams) > 0) addField(fields, 'shipping_weight', `${grams} g`);

    addField(fields, `${CUSTOM_PREFIX}${this.handleHeader}`, group.handle);
    t.copy(fields, own, parent, this.inherits);
    t.override(fields, own, parent);
    this.sink.item(variant.line, fields, { handle: group.handle });
  }

  /** Status draft or archived, or Published false, on the product row: the product is not for sale. */
  private inactive(parent: readonly string[]): { column: StatusColumn; value: string } | null {
    const status = this.status.get(parent);
    if (/^(draft|archived)$/i.test(status)) return { column: this.status, value: status };
    const published = this.published.get(parent);
    if (/^false$/i.test(published)) return { column: this.published, value: published };
    return null;
  }

  /**
   * Shopify's Product Category is Shopify's own taxonomy, which starts from Google's and goes deeper
   * (`… > Cycling > Bicycles > Road Bikes`): the deepest ancestor Google knows is the Google category.
   * A path no prefix of which Google knows is passed on as written, for the validator to report.
   */
  private googleAncestor(path: string): string {
    if (!path) return path;
    let answer = this.categories.get(path);
    if (answer !== undefined) return answer;
    answer = path;
    const segments = path.split('>');
    for (let n = segments.length; n > 0; n--) {
      const ancestor = segments
        .slice(0, n)
        .map((segment) => segment.trim())
        .join(' > ');
      if (lookupCategory(ancestor)) {
        answer = n === segments.length ? path : ancestor;
        break;
      }
    }
    if (this.categories.size >= MAX_REMEMBERED_CATEGORIES) this.categories.clear();
    this.categories.set(path, answer);
    return answer;
  }

  private originalHeader(key: string, fallback: string): string {
    const index = this.table.col(key);
    return index >= 0 ? this.table.headers[index] : fallback;
  }
}
