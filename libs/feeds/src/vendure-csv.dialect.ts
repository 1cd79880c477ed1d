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

/** Columns Vendure writes once per language (`name:en`, `name:de`); custom fields `product:x:en` too. */
const TRANSLATABLE = new Set([
  'name',
  'slug',
  'description',
  'facets',
  'optiongroups',
  'optionvalues',
  'variantfacets',
]);
const LANGUAGE_SUFFIX = /^(.+?):([a-z]{2,3}(?:[_-][a-z0-9]+)*)$/i;
const CUSTOM_FIELD = /^(product|variant):[^:]+$/i;

/** A header without its language suffix when it is a translatable Vendure column: `name:en` → `name`. */
export function vendureBaseKey(header: string): string {
  return translation(header)?.base ?? header;
}

function translation(header: string): { base: string; language: string } | null {
  const match = LANGUAGE_SUFFIX.exec(header);
  if (!match) return null;
  const base = match[1];
  if (!TRANSLATABLE.has(base.toLowerCase()) && !CUSTOM_FIELD.test(base)) return null;
  return { base, language: match[2].toLowerCase().replace('-', '_') };
}

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
 *
 * Translatable columns may be written per language (`name:en`, `description:de`, `product:keywords:en`):
 * the feed's language wins, then the column without a suffix, then English, then the others in header
 * order, cell by cell, so a product not yet translated keeps the text it has.
 */
export function vendureCsvDialect(headers: readonly string[], language?: string | null): CsvDialectDefinition {
  const wanted = (language?.trim() || 'en').toLowerCase();
  const candidates = new Map<string, { key: string; rank: number; order: number }[]>();
  const customBases = new Map<string, string>();
  headers.forEach((header, order) => {
    const key = header.trim().toLowerCase();
    const found = translation(key);
    const base = found?.base ?? key;
    if (!found && !TRANSLATABLE.has(base) && !CUSTOM_FIELD.test(base)) return;
    const rank = !found ? 1 : found.language === wanted ? 0 : found.language === 'en' ? 2 : 3;
    const list = candidates.get(base) ?? [];
    list.push({ key, rank, order });
    candidates.set(base, list);
    if (CUSTOM_FIELD.test(base)) customBases.set(base, translation(header.trim())?.base ?? header.trim());
  });
  const columns = new Map<string, string[]>();
  for (const [base, list] of candidates) {
    // A custom field written once without a suffix is an ordinary column.
    if (customBases.has(base) && list.length === 1 && list[0].rank === 1) {
      customBases.delete(base);
      continue;
    }
    columns.set(
      base,
      list.sort((a, b) => a.rank - b.rank || a.order - b.order).map((candidate) => candidate.key),
    );
  }
  const consumedBy = new Map<string, string>();
  for (const [base, keys] of columns) {
    const described = customBases.has(base) ? `${CUSTOM_PREFIX}${customBases.get(base)}` : CONSUMED[base];
    for (const key of keys) consumedBy.set(key, described);
  }
  return {
    name: 'VENDURE',
    columns: {
      consumes: (key) => consumedBy.get(key) ?? CONSUMED[key],
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
    // Vendure's storefront starters serve a product at /products/<slug>.
    linkTemplate: '{store}/products/{handle}',
    create: (table, sink) => new VendureCsvReader(table, sink, columns, customBases),
  };
}

class VendureCsvReader implements CsvDialectReader {
  private product: VendureRow | null = null;
  private variants: VendureRow[] = [];
  private readonly inherits: boolean[];

  constructor(
    private readonly table: HeaderTable,
    private readonly sink: ItemSink,
    /** Translatable base → its columns, best language first. */
    private readonly translated: ReadonlyMap<string, readonly string[]>,
    /** Translated custom fields (`product:keywords`) → the header they are kept under. */
    private readonly customFields: ReadonlyMap<string, string>,
  ) {
    this.inherits = table.copied.map((column) => !VARIANT_ONLY.has(column.header.toLowerCase()));
  }

  row(cells: readonly string[], line: number): void {
    if (this.get(cells, 'name') || this.get(cells, 'slug')) {
      this.flush();
      this.product = { cells, line };
    } else if (!this.product) {
      this.sink.issue(
        readerIssue(
          'ERROR',
          'ORPHAN_VARIANT',
          line,
          'The variant row comes before any product row (a row with a name), so it cannot be placed.',
          { hint: 'Start each product with a row that has its name and slug, followed by its other variants.' },
        ),
      );
      return;
    }
    this.variants.push({ cells, line });
  }

  end(): void {
    this.flush();
  }

  /** A consumed column's value; for a translatable one, the first language that has text in this row. */
  private get(cells: readonly string[], base: string): string {
    const keys = this.translated.get(base);
    if (!keys) return this.table.get(cells, base);
    for (const key of keys) {
      const value = this.table.get(cells, key);
      if (value) return value;
    }
    return '';
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
    const get = (cells: readonly string[], base: string) => this.get(cells, base);
    const own = variant.cells;
    const slug = get(product, 'slug');
    const fields: ItemFields = {};

    addField(fields, 'id', get(own, 'sku') || `${slug}-${n}`);
    addField(fields, 'title', get(product, 'name'));
    addField(fields, 'description', get(product, 'description'));
    addImages(fields, [...splitPipes(get(own, 'variantassets')), ...splitPipes(get(product, 'assets'))]);

    const facets = facetPairs(get(product, 'facets'));
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
    addField(fields, 'price', get(own, 'price'));

    const groups = splitPipes(get(product, 'optiongroups'));
    const values = splitPipes(get(own, 'optionvalues'));
    groups.forEach((group, k) => addField(fields, optionAttribute(group), values[k] ?? ''));
    for (const [code, value] of facetPairs(get(own, 'variantfacets'))) {
      if (optionAttribute(code) === 'color') addField(fields, 'color', value);
    }

    const stock = get(own, 'stockonhand');
    const tracked = get(own, 'trackinventory').toLowerCase() !== 'false';
    const count = Number.parseInt(stock, 10);
    addField(fields, 'quantity', stock);
    addField(fields, 'availability', Number.isFinite(count) && tracked && count <= 0 ? 'out_of_stock' : 'in_stock');

    addField(fields, `${CUSTOM_PREFIX}${this.header('slug')}`, slug);
    addField(fields, `${CUSTOM_PREFIX}${this.header('facets')}`, get(product, 'facets'));
    addField(fields, `${CUSTOM_PREFIX}${this.header('variantfacets')}`, get(own, 'variantfacets'));
    addField(fields, `${CUSTOM_PREFIX}${this.header('trackinventory')}`, get(own, 'trackinventory'));
    for (const [base, header] of this.customFields) {
      const value = base.startsWith('variant:') ? get(own, base) : get(own, base) || get(product, base);
      addField(fields, `${CUSTOM_PREFIX}${header}`, value);
    }
    this.table.copy(fields, own, product, this.inherits);
    this.table.override(fields, own, product);
    this.sink.item(variant.line, fields, { handle: slug });
  }

  /** The header a column is kept under as custom: as written, without a language suffix. */
  private header(key: string): string {
    const index = this.table.col(this.translated.get(key)?.[0] ?? key);
    return index >= 0 ? vendureBaseKey(this.table.headers[index]) : key;
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
