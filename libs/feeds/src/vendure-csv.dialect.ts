import { CUSTOM_PREFIX } from '@brandshelf/catalog-rules';
import type { HeaderTable } from './column.planner.js';
import type { CsvDialectDefinition, CsvDialectReader, ItemSink } from './csv.dialect.js';
import { addField, addImages, type ItemFields } from './item-fields.builder.js';
import { readerIssue } from './feed.issues.js';
import { optionAttribute } from './variant-option.mapper.js';

const CONSUMED: Record<string, string> = {
  name: 'title',
  slug: 'item_group_id|custom:slug',
  description: 'description',
  assets: 'image_link|additional_image_link',
  facets: 'brand|product_type|custom:facets',
  optiongroups: '',
  optionvalues: 'color|size|material|pattern|custom',
  sku: 'id',
  price: 'price',
  stockonhand: 'quantity|availability',
  trackinventory: 'availability|custom:trackInventory',
  variantassets: 'image_link',
  variantfacets: 'color|custom:variantFacets',
};

/** Columns that belong to a variant row; the rest are inherited from the product row. */
const VARIANT_ONLY = new Set([
  'sku',
  'price',
  'taxcategory',
  'stockonhand',
  'trackinventory',
  'variantassets',
  'variantfacets',
]);

interface VendureRow {
  cells: readonly string[];
  line: number;
}

/**
 * Vendure product import CSV: a row with a name starts a product and is its first variant; following
 * rows with the product columns blank are further variants (one product buffered at a time). id = sku
 * (else `<slug>-<n>`), item_group_id = slug when there is more than one variant, assets (bare file
 * names, kept as written) → images after the variant's own, `brand:` facet → brand, `category:` facets →
 * product_type, option groups + values and `color:` variant facets → colour/size or custom,
 * stockOnHand → quantity/availability (in stock when inventory is not tracked).
 */
export const VENDURE_CSV_DIALECT: CsvDialectDefinition = {
  name: 'VENDURE',
  columns: {
    consumes: (key) => CONSUMED[key],
    claims: [
      'id',
      'title',
      'description',
      'image_link',
      'additional_image_link',
      'brand',
      'product_type',
      'price',
      'quantity',
      'availability',
      'item_group_id',
      'color',
      'size',
      'material',
      'pattern',
    ],
  },
  create: (table, sink) => new VendureCsvReader(table, sink),
};

class VendureCsvReader implements CsvDialectReader {
  private product: VendureRow | null = null;
  private variants: VendureRow[] = [];
  private readonly inherits: boolean[];

  constructor(
    private readonly table: HeaderTable,
    private readonly sink: ItemSink,
  ) {
    this.inherits = table.copied.map((column) => !VARIANT_ONLY.has(column.header.toLowerCase()));
  }

  row(cells: readonly string[], line: number): void {
    const t = this.table;
    if (t.get(cells, 'name') || t.get(cells, 'slug')) {
      this.flush();
      this.product = { cells, line };
    } else if (!this.product) {
      this.sink.issue(
        readerIssue(
          'ERROR',
          'ORPHAN_VARIANT',
          line,
          'The variant row comes before any product row (a row with a name), so it cannot be placed.',
          'Start each product with a row that has its name and slug, followed by its other variants.',
        ),
      );
      return;
    }
    this.variants.push({ cells, line });
  }

  end(): void {
    this.flush();
  }

  private flush(): void {
    const product = this.product;
    const variants = this.variants;
    this.product = null;
    this.variants = [];
    if (!product) return;
    variants.forEach((variant, k) => this.emit(product.cells, variant, k + 1, variants.length > 1));
  }

  private emit(product: readonly string[], variant: VendureRow, n: number, grouped: boolean): void {
    const t = this.table;
    const own = variant.cells;
    const slug = t.get(product, 'slug');
    const fields: ItemFields = {};

    addField(fields, 'id', t.get(own, 'sku') || `${slug}-${n}`);
    addField(fields, 'title', t.get(product, 'name'));
    addField(fields, 'description', t.get(product, 'description'));
    addImages(fields, [...splitPipes(t.get(own, 'variantassets')), ...splitPipes(t.get(product, 'assets'))]);

    const facets = facetPairs(t.get(product, 'facets'));
    addField(fields, 'brand', facets.find(([code]) => code === 'brand')?.[1] ?? '');
    addField(
      fields,
      'product_type',
      facets
        .filter(([code]) => code === 'category')
        .map(([, value]) => value)
        .join(' > '),
    );
    if (grouped) addField(fields, 'item_group_id', slug);
    addField(fields, 'price', t.get(own, 'price'));

    const groups = splitPipes(t.get(product, 'optiongroups'));
    const values = splitPipes(t.get(own, 'optionvalues'));
    groups.forEach((group, k) => addField(fields, optionAttribute(group), values[k] ?? ''));
    for (const [code, value] of facetPairs(t.get(own, 'variantfacets'))) {
      if (optionAttribute(code) === 'color') addField(fields, 'color', value);
    }

    const stock = t.get(own, 'stockonhand');
    const tracked = t.get(own, 'trackinventory').toLowerCase() !== 'false';
    const count = Number.parseInt(stock, 10);
    addField(fields, 'quantity', stock);
    addField(fields, 'availability', Number.isFinite(count) && tracked && count <= 0 ? 'out_of_stock' : 'in_stock');

    addField(fields, `${CUSTOM_PREFIX}${this.header('slug')}`, slug);
    addField(fields, `${CUSTOM_PREFIX}${this.header('facets')}`, t.get(product, 'facets'));
    addField(fields, `${CUSTOM_PREFIX}${this.header('variantfacets')}`, t.get(own, 'variantfacets'));
    addField(fields, `${CUSTOM_PREFIX}${this.header('trackinventory')}`, t.get(own, 'trackinventory'));
    t.copy(fields, own, product, this.inherits);
    t.override(fields, own, product);
    this.sink.item(variant.line, fields);
  }

  private header(key: string): string {
    const index = this.table.col(key);
    return index >= 0 ? this.table.headers[index] : key;
  }
}

function splitPipes(value: string): string[] {
  return value ? value.split('|').map((part) => part.trim()) : [];
}

/** `category:Electronics|brand:Apple` → [['category', 'Electronics'], ['brand', 'Apple']]. */
function facetPairs(value: string): [string, string][] {
  return splitPipes(value)
    .map((facet) => {
      const colon = facet.indexOf(':');
      return (
        colon < 0 ? ['', facet] : [facet.slice(0, colon).trim().toLowerCase(), facet.slice(colon + 1).trim()]
      ) as [string, string];
    })
    .filter(([, value]) => value !== '');
}
