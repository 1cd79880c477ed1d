import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ItemValidator, type ItemIssue, type NormalizedProduct } from '@brandshelf/catalog-rules';
import { FeedReadError, readFeed, type FeedReadMeta, type RawItem } from '@brandshelf/feeds';

/**
 * Acceptance check on the real third-party feeds in test/fixtures/feeds (see its README for each file's
 * quirks). Every number below was counted by reading the file (products, variant rows, image-only rows,
 * which cells are empty or damaged), not copied from the code's output; the comments say how.
 *
 * Currency: shop exports (Shopify, WooCommerce, Wix, Vendure) and the Velofant custom XML write prices
 * as bare numbers, so a feed made from them only works with the feed's defaultCurrency set; without it
 * every price is MISSING_CURRENCY, which the Velofant custom feed test shows once. Those files are read
 * with the currency their shop uses (SEK for Velofant, whose Prisjakt feed prices the same products in
 * SEK; USD for the US templates and demo stores, where the file does not say and USD is the assumed
 * setting). The Meta, Prisjakt and Google feeds write their currency and are read with none.
 */
const SAMPLES = join(process.cwd(), 'test', 'fixtures', 'feeds');

interface SampleRun {
  meta: FeedReadMeta | null;
  items: RawItem[];
  /** The reader's own count of the data rows it read (CSV records after the header, XML items). */
  rowsRead: number;
  accepted: number;
  /** Items the validator rejected, plus rows the reader itself had to reject (ERROR issues on a row). */
  rejected: number;
  /** Rows that are no item, by reason (inactive, image-only row, parent of variants, grouped product). */
  skipped: Record<string, number>;
  /** Reader and validator issues, in file order. */
  issues: ItemIssue[];
  /** Accepted products by offer id. */
  products: Map<string, NormalizedProduct>;
  error: FeedReadError | null;
}

/** Streams a sample through the reader and a REPLACE-mode validator, counting the way the pipeline does. */
async function ingestSample(file: string, defaultCurrency: string | null = null): Promise<SampleRun> {
  const validator = new ItemValidator({ mode: 'REPLACE', defaultCurrency });
  const run: SampleRun = {
    meta: null,
    items: [],
    rowsRead: 0,
    accepted: 0,
    rejected: 0,
    skipped: {},
    issues: [],
    products: new Map(),
    error: null,
  };
  try {
    for await (const event of readFeed(createReadStream(join(SAMPLES, file)))) {
      if (event.type === 'meta') {
        run.meta = event.meta;
      } else if (event.type === 'item') {
        run.items.push(event.item);
        const result = validator.validate(event.item);
        run.issues.push(...result.issues);
        if (result.product) {
          run.accepted++;
          run.products.set(result.product.offerId, result.product);
        } else {
          run.rejected++;
        }
      } else if (event.type === 'issue') {
        run.issues.push(event.issue);
        if (event.issue.severity === 'ERROR' && event.issue.row > 0) run.rejected++;
      } else if (event.type === 'skip') {
        run.skipped[event.reason] = (run.skipped[event.reason] ?? 0) + 1;
      } else {
        run.rowsRead = event.rowsRead;
      }
    }
  } catch (error) {
    if (!(error instanceof FeedReadError)) throw error;
    run.error = error;
  }
  return run;
}

const counts = (run: SampleRun) => ({
  rowsRead: run.rowsRead,
  accepted: run.accepted,
  rejected: run.rejected,
  skipped: run.skipped,
});

/** Issues counted by `CODE:attribute` (just `CODE` for row- and file-level ones). */
function tally(run: SampleRun): Record<string, number> {
  const out: Record<string, number> = {};
  for (const issue of run.issues) {
    const key = issue.attribute ? `${issue.code}:${issue.attribute}` : issue.code;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/** Rows (CSV start lines, XML item numbers) carrying an issue. */
function rowsWith(run: SampleRun, code: string, attribute?: string): number[] {
  return run.issues
    .filter((issue) => issue.code === code && (attribute === undefined || issue.attribute === attribute))
    .map((issue) => issue.row);
}

function field(run: SampleRun, id: string, name: string): RawItem['fields'][string] | undefined {
  return run.items.find((item) => item.fields.id === id)?.fields[name];
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);

describe('the sample feeds in test/fixtures/feeds give sensible results', () => {
  it('shopify/product_template.csv: 16 variants, 4 of them inactive, every barcode destroyed by Excel', async () => {
    // USD: the template's per-market columns price it for "United States"; its cells are bare numbers.
    const run = await ingestSample('shopify/product_template.csv', 'USD');
    expect(run.error).toBeNull();
    expect(run.meta).toMatchObject({ format: 'CSV', dialect: 'SHOPIFY', encoding: 'utf-8', delimiter: ',' });
    // example-shirt: 12 variant rows (lines 2–13, Color × Size); example-pants: 3 variant rows (14–16) and
    // an image-only row (17) that is no item; example-hat: 1 row (18). The pants are Status draft and the hat
    // archived (both Published FALSE): their 4 variants are skipped with a warning each, not read as items.
    // 17 rows = 12 items + 4 inactive + 1 image-only row.
    expect(counts(run)).toEqual({
      rowsRead: 17,
      accepted: 0,
      rejected: 12,
      skipped: { INACTIVE: 4, IMAGE_ONLY_ROW: 1 },
    });
    // Every Variant Barcode is in scientific notation (3.65275E+11 …): the digits are gone, so the items are
    // rejected rather than published with a wrong GTIN. A Shopify CSV has no product URL column, so
    // MISSING_REQUIRED link on every item is expected for a Shopify export uploaded as a generic feed.
    // The shirt's product row (line 2) has Google Shopping / MPN 3.65275E+11, which all 12 variants inherit.
    expect(tally(run)).toEqual({
      'INACTIVE_PRODUCT_SKIPPED:custom:Status': 4,
      'GTIN_SPREADSHEET_DAMAGED:gtin': 12,
      'MPN_SPREADSHEET_DAMAGED:mpn': 12,
      'MISSING_REQUIRED:link': 12,
    });
    expect(rowsWith(run, 'GTIN_SPREADSHEET_DAMAGED')).toEqual(range(2, 13));
    expect(rowsWith(run, 'MPN_SPREADSHEET_DAMAGED')).toEqual(range(2, 13));
    expect(
      run.issues.filter((issue) => issue.code === 'INACTIVE_PRODUCT_SKIPPED').map((i) => [i.row, i.value]),
    ).toEqual([
      [14, 'draft'],
      [15, 'draft'],
      [16, 'draft'],
      [18, 'archived'],
    ]);
    expect(run.issues.find((issue) => issue.row === 3 && issue.code === 'GTIN_SPREADSHEET_DAMAGED')).toMatchObject({
      severity: 'ERROR',
      itemId: 'SRT_COT_122',
      value: '4.6347E+11',
    });
    // Shirt variants are one group told apart by colour and size; the single beanie is no group.
    expect(run.items.filter((item) => item.fields.item_group_id === 'example-shirt')).toHaveLength(12);
    expect(field(run, 'SRT_COT_433', 'color')).toBe('Purple');
    expect(field(run, 'SRT_COT_433', 'size')).toBe('L');
    expect(run.items.some((item) => item.fields.id === 'HAT_GRY_275')).toBe(false);
    // The MPN column holds the same Excel-damaged number (3.65275E+11): warned about and ignored.
    expect(field(run, 'SRT_COT_111', 'mpn')).toBe('3.65275E+11');
    expect(run.issues.find((issue) => issue.code === 'MPN_SPREADSHEET_DAMAGED')).toMatchObject({
      severity: 'WARNING',
      row: 2,
      itemId: 'SRT_COT_111',
      value: '3.65275E+11',
    });
  });

  it('shopify/product_template_legacy.csv: 3 variants of one shirt without description or variant axis', async () => {
    // USD: Shopify's US template; the file's prices are bare numbers.
    const run = await ingestSample('shopify/product_template_legacy.csv', 'USD');
    expect(run.error).toBeNull();
    expect(run.meta).toMatchObject({ format: 'CSV', dialect: 'SHOPIFY', delimiter: ',' });
    // One handle, three variant rows (lines 2–4); the first has no SKU and becomes example-t-shirt-1.
    expect(counts(run)).toEqual({ rowsRead: 3, accepted: 0, rejected: 3, skipped: {} });
    expect(run.items.map((item) => item.fields.id)).toEqual([
      'example-t-shirt-1',
      'example-shirt-s',
      'example-shirt-m',
    ]);
    // Body (HTML) is empty and there is no link column: both required. The only option is named "Title"
    // (values Lithograph…, Small, Medium), which names no colour or size, so the group has no variant axis.
    expect(tally(run)).toEqual({
      'MISSING_REQUIRED:link': 3,
      'MISSING_REQUIRED:description': 3,
      'MISSING_VARIANT_ATTRIBUTE:item_group_id': 3,
    });
    expect(field(run, 'example-t-shirt-1', 'custom:Title')).toBe('Lithograph - Height: 9" x Width: 12"');
    // The MPN on the product row identifies every variant, so no MISSING_IDENTIFIER; condition "used" is valid.
    expect(run.items.every((item) => item.fields.mpn === '7X8ABC910' && item.fields.condition === 'used')).toBe(true);
  });

  it('shopify/products_export_demo.csv: 20 products, 21 variants, no barcodes', async () => {
    // USD assumed: the export does not say its currency.
    const run = await ingestSample('shopify/products_export_demo.csv', 'USD');
    expect(run.error).toBeNull();
    expect(run.meta).toMatchObject({ format: 'CSV', dialect: 'SHOPIFY', delimiter: ',' });
    // 20 handles, each one row, except gardening-gloves with a Green and a Yellow row; black-armchairs'
    // Body runs over lines 3–8, so round-table starts on line 9.
    expect(counts(run)).toEqual({ rowsRead: 21, accepted: 0, rejected: 21, skipped: {} });
    expect(run.items.map((item) => item.row)).toEqual([2, 3, ...range(9, 27)]);
    // No link column (a Shopify export), and neither barcodes nor MPNs; every product has a Vendor.
    expect(tally(run)).toEqual({ 'MISSING_REQUIRED:link': 21, 'MISSING_IDENTIFIER:gtin': 21 });
    expect(field(run, 'gardening-gloves-2', 'color')).toBe('Yellow');
    expect(field(run, 'watering-can-1', 'availability')).toBe('out_of_stock');
  });

  it('shopify/products_export_velofant.csv: 14 products, 19 variants, 2 archived, apostrophe barcodes', async () => {
    // SEK: a Swedish shop; its Prisjakt feed prices the same products (3499/2999, 599 …) in SEK.
    const run = await ingestSample('shopify/products_export_velofant.csv', 'SEK');
    expect(run.error).toBeNull();
    expect(run.meta).toMatchObject({ format: 'CSV', dialect: 'SHOPIFY', delimiter: ',' });
    // 14 handles; ken-mid-rise-bar, ken-frontrack-lego and bell-1 have 2 variants, arkipelago 3, the rest 1;
    // the other 29 of its 48 rows only add images. Two used bikes are Status archived (Published false):
    // crescent-chess-28 (line 66) and vit-bla-monark-28-10vxl (line 99) are skipped, leaving 17 items.
    expect(counts(run)).toEqual({
      rowsRead: 48,
      accepted: 0,
      rejected: 17,
      skipped: { INACTIVE: 2, IMAGE_ONLY_ROW: 29 },
    });
    expect(tally(run)).toEqual({
      'INACTIVE_PRODUCT_SKIPPED:custom:Status': 2,
      // A Shopify export has no product URL column.
      'MISSING_REQUIRED:link': 17,
      // 14 variants have a barcode written '7350177880… (Excel's text marker); all 14 check digits are valid,
      // and all 14 differ.
      'GTIN_SPREADSHEET_APOSTROPHE:gtin': 14,
      // Three used bikes still for sale (nordstjerna, crescent-city, fixie) have no barcode or MPN.
      'MISSING_IDENTIFIER:gtin': 3,
      // The front rack's option is "Mounting point", which is no colour, size, material or pattern.
      'MISSING_VARIANT_ATTRIBUTE:item_group_id': 2,
      // "ABUS - GEMINI LIGHTS", "PIZZA FRONT RACK  🍕" (2 variants), "A  R K I P E L A G O - FRAMEKIT" (3).
      'TITLE_ALL_CAPS:title': 6,
    });
    expect(rowsWith(run, 'MISSING_IDENTIFIER')).toEqual([19, 22, 94]);
    expect(rowsWith(run, 'INACTIVE_PRODUCT_SKIPPED')).toEqual([66, 99]);
    expect(rowsWith(run, 'MISSING_VARIANT_ATTRIBUTE')).toEqual([68, 89]);
    expect(rowsWith(run, 'TITLE_ALL_CAPS')).toEqual([52, 68, 89, 121, 122, 123]);
    expect(run.issues.find((issue) => issue.code === 'GTIN_SPREADSHEET_APOSTROPHE')).toMatchObject({
      severity: 'WARNING',
      row: 2,
      itemId: 'WH-FS-700C-BK-V1',
      value: "'7350177880121",
    });
    // Swedish option names: Färg is colour, Ramstorlek (frame size) is size.
    expect(field(run, 'HB-MID-SIL-72-X', 'color')).toBe('silver');
    expect(field(run, 'CY-ARK-CHR-61', 'size')).toBe('61');
    // Shopify's Product Category is Shopify's taxonomy, deeper than Google's: "… > Bicycles > Road Bikes" is
    // read as its Google ancestor "… > Bicycles", so no UNKNOWN_GOOGLE_PRODUCT_CATEGORY. Only the archived
    // crescent-chess-28 had that category, so it is no item now.
    expect(field(run, 'crescent-chess-28-1', 'google_product_category')).toBeUndefined();
  });

  it('csv/meta_dpa_sample_feed.csv: 9 complete items that all share one GTIN', async () => {
    // Prices are written "1 USD" … "9 USD": no default currency needed.
    const run = await ingestSample('csv/meta_dpa_sample_feed.csv');
    expect(run.error).toBeNull();
    expect(run.meta).toMatchObject({ format: 'CSV', dialect: 'META', delimiter: ',' });
    // DB_1 … DB_9 on lines 2–10, each with id, title, description, link, image_link, availability, price, brand.
    expect(counts(run)).toEqual({ rowsRead: 9, accepted: 9, rejected: 0, skipped: {} });
    expect(tally(run)).toEqual({
      // 4011200000000 has a valid check digit but ends in seven zeros, the shape of a rounded barcode.
      'GTIN_POSSIBLY_ROUNDED:gtin': 9,
      // Every item has an item_group_id (DB_GROUP_1 … 8) but tells its variants apart only by Meta's
      // additional_variant_attribute (cover:LED / cover:LCD), which Google does not read.
      // validator: 7 of these warnings are on groups of one item (DB_GROUP_2 … 8), where there is nothing to
      // tell apart; only DB_1 and DB_2 (DB_GROUP_1) need a variant attribute.
      'MISSING_VARIANT_ATTRIBUTE:item_group_id': 9,
      // All 9 items (9 different products in 8 groups) carry gtin 4011200000000 (and mpn 100020003): one
      // barcode cannot identify 9 products, so lines 3–10 are told the item on line 2 already used it.
      'DUPLICATE_GTIN:gtin': 8,
    });
    expect(rowsWith(run, 'DUPLICATE_GTIN')).toEqual(range(3, 10));
    expect(run.issues.find((issue) => issue.code === 'DUPLICATE_GTIN')).toMatchObject({
      severity: 'WARNING',
      itemId: 'DB_2',
      value: '4011200000000',
    });
    expect(run.issues.find((issue) => issue.code === 'DUPLICATE_GTIN')!.message).toContain('row 2');
    expect(new Set([...run.products.values()].map((product) => product.gtin))).toEqual(new Set(['4011200000000']));
    const first = run.products.get('DB_1')!;
    // image_link is the main image; image[0].url … image[9].url are the 10 additional images.
    expect(first.imageLink).toMatch(/^https:\/\/user-images\.githubusercontent\.com\//);
    expect(first.additionalImageLinks).toHaveLength(10);
    expect(first).toMatchObject({ priceMinor: 100, currency: 'USD', itemGroupId: 'DB_GROUP_1' });
    expect(first.customAttributes.additional_variant_attribute).toBe('cover:LED');
  });

  it('csv/woocommerce_sample_products.csv: variable and grouped parents are no items, variations grouped', async () => {
    // USD: the sample store weighs in lbs and sizes in inches; its prices are bare numbers.
    const run = await ingestSample('csv/woocommerce_sample_products.csv', 'USD');
    expect(run.error).toBeNull();
    expect(run.meta).toMatchObject({ format: 'CSV', dialect: 'WOOCOMMERCE', delimiter: ',' });
    // 25 rows: 2 variable parents (woo-vneck-tee, woo-hoodie) and the grouped logo-collection (no price, a
    // page listing three simple products) are not sellable; 14 simple, 7 variations and 1 external remain.
    expect(counts(run)).toEqual({
      rowsRead: 25,
      accepted: 1,
      rejected: 21,
      skipped: { VARIANT_PARENT: 2, GROUPED_PRODUCT: 1 },
    });
    // WooCommerce exports carry no permalink: only the external product has a URL (its External URL).
    // There is no brand or GTIN column at all.
    expect(tally(run)).toEqual({
      'MISSING_REQUIRED:link': 21,
      'MISSING_BRAND:brand': 22,
      'MISSING_IDENTIFIER:gtin': 22,
    });
    expect([...run.products.keys()]).toEqual(['wp-pennant']);
    expect(run.products.get('wp-pennant')).toMatchObject({
      link: 'https://mercantile.wordpress.org/product/wordpress-pennant/',
      priceMinor: 1105,
      currency: 'USD',
    });
    const groups: Record<string, number[]> = {};
    for (const item of run.items) {
      const group = item.fields.item_group_id as string | undefined;
      if (group) (groups[group] ??= []).push(item.row);
    }
    expect(groups).toEqual({ 'woo-vneck-tee': [16, 17, 18], 'woo-hoodie': [19, 20, 21, 26] });
    // A variation without a category or description of its own takes its parent's.
    expect(field(run, 'woo-vneck-tee-red', 'product_type')).toBe('Clothing > Tshirts');
    // ".5" in Weight (lbs) is half a pound.
    expect(field(run, 'Woo-tshirt-logo', 'shipping_weight')).toBe('0.5 lb');
  });

  it('csv/wix_catalog_products.csv: 33 products, 109 items (18 hidden), media ids become wixstatic URLs', async () => {
    // USD assumed: the export does not say its currency.
    const run = await ingestSample('csv/wix_catalog_products.csv', 'USD');
    expect(run.error).toBeNull();
    expect(run.meta).toMatchObject({ format: 'CSV', dialect: 'WIX', encoding: 'utf-8', delimiter: ',' });
    // 33 Product rows with 95 Variant rows between them: 19 products with variants (2–7 each) give 95
    // items, the 14 without variants one each (the product row) = 109. 18 of them are hidden (visible false)
    // and skipped: 5 products without variants (lines 2, 12, 13, 27, 425), the 4 variants each of the hidden
    // Jeweler's and Vintner's Guild shirts (364–367, 383–386), and the 5 hidden variants of the Cult of Mathilda
    // T-Shirt (4–8), whose product row is visible. 91 items remain. The 19 product rows with variants are no
    // items themselves: 17 are parents of their variants, the 2 hidden Guild shirts count as inactive.
    expect(counts(run)).toEqual({
      rowsRead: 33 + 95,
      accepted: 0,
      rejected: 91,
      skipped: { INACTIVE: 18 + 2, VARIANT_PARENT: 17 },
    });
    expect(tally(run)).toEqual({
      'INACTIVE_PRODUCT_SKIPPED:custom:visible': 18,
      // A Wix catalog export has no product URL column.
      'MISSING_REQUIRED:link': 91,
      // The products without an image ("Just the dice", "The Commander's Collar", "The Crewman's Collar") and
      // the one without a description ("Just the dice") are all hidden.
      // Only the Golden Portal necklace (2 variants), the Palazzo pants (5) and the Human Cut shirt (6) name a brand.
      'MISSING_BRAND:brand': 78,
      'MISSING_IDENTIFIER:gtin': 91,
    });
    expect(rowsWith(run, 'INACTIVE_PRODUCT_SKIPPED')).toEqual([
      2, 4, 5, 6, 7, 8, 12, 13, 27, 364, 365, 366, 367, 383, 384, 385, 386, 425,
    ]);
    const overcoat = run.items.find((item) => item.fields.id === 'CCC6S')!;
    expect(overcoat.fields).toMatchObject({ size: 'S', color: 'Red', price: '380.0' });
    const beanie = run.items.find((item) => item.row === 11)!;
    expect(beanie.fields.image_link).toBe(
      'https://static.wixstatic.com/media/a47bec_2fcee9ff7db04556b3be2d7b0837f93a~mv2.jpg',
    );
    // Every image, main and additional, is a wixstatic URL the validator finds valid (no INVALID_URL above).
    const images = run.items.flatMap((item) =>
      [item.fields.image_link ?? [], item.fields.additional_image_link ?? []].flat(),
    );
    expect(images.length).toBeGreaterThan(100);
    expect(images.every((url) => url.startsWith('https://static.wixstatic.com/media/a47bec_'))).toBe(true);
  });

  it('csv/vendure_products.csv: 54 products, 88 variants, bare asset file names', async () => {
    // USD assumed (Vendure's default channel currency); the mock data has bare prices.
    const run = await ingestSample('csv/vendure_products.csv', 'USD');
    expect(run.error).toBeNull();
    expect(run.meta).toMatchObject({ format: 'CSV', dialect: 'VENDURE', delimiter: ',' });
    // 54 rows with a name start a product; 34 continuation rows are further variants: 88 items.
    expect(counts(run)).toEqual({ rowsRead: 88, accepted: 0, rejected: 88, skipped: {} });
    expect(tally(run)).toEqual({
      // No product URLs in a Vendure import file.
      'MISSING_REQUIRED:link': 88,
      // Assets are file names (derick-david-409858-unsplash.jpg), not URLs.
      'INVALID_URL:image_link': 88,
      // Modern Cafe Chair's three variants (lines 87–89) all have SKU 404.038.96.
      'DUPLICATE_ID:id': 2,
      // 25 products (27 items: Modern Cafe Chair has 3) have only category facets, no brand: facet.
      'MISSING_BRAND:brand': 27,
      'MISSING_IDENTIFIER:gtin': 88,
      // Option groups that are no colour or size: Tablet "storage" (2), Gaming PC "cpu|HDD" (4), Hard Drive "HDD" (5).
      'MISSING_VARIANT_ATTRIBUTE:item_group_id': 11,
    });
    expect(rowsWith(run, 'DUPLICATE_ID')).toEqual([88, 89]);
    expect(run.issues.find((issue) => issue.code === 'INVALID_URL')).toMatchObject({
      severity: 'ERROR',
      row: 2,
      value: 'derick-david-409858-unsplash.jpg',
    });
    // "screen size" names the size axis; RAM is kept as a custom attribute.
    expect(field(run, 'L2201516', 'size')).toBe('15 inch');
    expect(field(run, 'L2201516', 'custom:RAM')).toBe('16GB');
  });

  it('xml/velofant_prisjakt_feed.xml: 9 items, the 5 without g:image_link rejected', async () => {
    // Prices are written "7900.00 SEK".
    const run = await ingestSample('xml/velofant_prisjakt_feed.xml');
    expect(run.error).toBeNull();
    expect(run.meta).toMatchObject({ format: 'XML', dialect: 'GOOGLE_RSS', encoding: 'utf-8' });
    // The repeated channel title/link/description between items 2 and 3 are no items.
    expect(counts(run)).toEqual({ rowsRead: 9, accepted: 4, rejected: 5, skipped: {} });
    expect(tally(run)).toEqual({
      // Items 1–5 (CY-ARK-CHR-57 … RK-CRANE-BLK) have no g:image_link.
      'MISSING_REQUIRED:image_link': 5,
      // 505784, 505783 (twice), 505785, 505776 and 505775 are not Google ids (the feed's own comments call
      // 505776 "Bicycle Handlebars" and 505775 "Bicycle Wheels").
      'UNKNOWN_GOOGLE_PRODUCT_CATEGORY:google_product_category': 6,
      // "A R K I P E L A G O - FRAMEKIT", "ABUS - GEMINI LIGHTS", "PIZZA FRONT RACK 🍕".
      'TITLE_ALL_CAPS:title': 3,
    });
    expect(rowsWith(run, 'MISSING_REQUIRED', 'image_link')).toEqual([1, 2, 3, 4, 5]);
    expect(rowsWith(run, 'UNKNOWN_GOOGLE_PRODUCT_CATEGORY')).toEqual([2, 3, 4, 5, 6, 9]);
    expect([...run.products.keys()]).toEqual([
      'HB-KEN-MID-72',
      'RACK-PIZZA-FRONT',
      'PD-STRAPS-BLK',
      'WH-VF-700C-SILVER',
    ]);
    expect(run.products.get('WH-VF-700C-SILVER')).toMatchObject({
      priceMinor: 349900,
      salePriceMinor: 299900,
      currency: 'SEK',
      mpn: 'WH-VF-700C-SILVER',
    });
    // Item 7's 505771 and item 8's 505765 are real Google ids, of headphones and blender parts: nothing can
    // tell them from a deliberate choice, so they are accepted as written.
    expect(run.products.get('RACK-PIZZA-FRONT')!.googleProductCategoryId).toBe(505771);
  });

  it('xml/velofant_custom_feed.txt: 20 products in a custom dialect, 19 without description', async () => {
    // Prices are bare numbers (<price>6900</price>): SEK, the shop's currency.
    const run = await ingestSample('xml/velofant_custom_feed.txt', 'SEK');
    expect(run.error).toBeNull();
    expect(run.meta).toMatchObject({ format: 'XML', dialect: 'CUSTOM_XML', encoding: 'utf-8' });
    expect(counts(run)).toEqual({ rowsRead: 20, accepted: 1, rejected: 19, skipped: {} });
    // Only the first product has a <description>; none has a GTIN or MPN (ids 4003318778100 … look like
    // barcodes but are ids). Product 14 (IZUMI-CHAIN-1-8) still has the placeholder
    // <image_url>BYT_TILL_DIREKT_BILDLANK_FRAN_SHOPIFY_CDN</image_url> ("replace with the CDN link").
    expect(tally(run)).toEqual({
      'MISSING_REQUIRED:description': 19,
      'MISSING_IDENTIFIER:gtin': 20,
      'INVALID_URL:image_link': 1,
    });
    expect(rowsWith(run, 'MISSING_REQUIRED')).toEqual(range(2, 20));
    expect(run.issues.find((issue) => issue.code === 'INVALID_URL')).toMatchObject({
      severity: 'ERROR',
      row: 14,
      itemId: 'IZUMI-CHAIN-1-8',
      value: 'BYT_TILL_DIREKT_BILDLANK_FRAN_SHOPIFY_CDN',
    });
    const framekit = run.products.get('CY-ARK-CHR-57')!;
    expect(framekit).toMatchObject({ priceMinor: 690000, currency: 'SEK', availability: 'OUT_OF_STOCK' });
    // <image_url> is image_link; its &amp; is an escaped & and needs no warning.
    expect(framekit.imageLink).toBe('https://velofant.se/cdn/shop/files/6.jpg?v=1766274720&width=1946');
    expect(framekit.customAttributes).toMatchObject({
      shipping_cost: '49 SEK',
      delivery_time: '2-4 days',
      shipping_country: 'SE',
    });

    // The same file without a default currency: no price can be read, so nothing is accepted.
    const bare = await ingestSample('xml/velofant_custom_feed.txt');
    expect(counts(bare)).toEqual({ rowsRead: 20, accepted: 0, rejected: 20, skipped: {} });
    // 20 prices and the 16 sale prices (all but products 1, 14, 15, 16).
    expect(tally(bare)).toMatchObject({ 'MISSING_CURRENCY:price': 20, 'MISSING_CURRENCY:sale_price': 16 });
  });

  it('xml/airfeel_gmc_feed.xml: not well-formed (raw & in URLs), yet all 5 items read and accepted', async () => {
    const run = await ingestSample('xml/airfeel_gmc_feed.xml');
    expect(run.error).toBeNull();
    expect(run.meta).toMatchObject({ format: 'XML', dialect: 'GOOGLE_RSS', encoding: 'utf-8' });
    expect(counts(run)).toEqual({ rowsRead: 5, accepted: 5, rejected: 0, skipped: {} });
    // One raw & per item, all in g:image_link (…png?v=1748723738&width=1100).
    expect(tally(run)).toEqual({ 'XML_UNESCAPED_AMPERSAND:image_link': 5 });
    expect(rowsWith(run, 'XML_UNESCAPED_AMPERSAND')).toEqual([1, 2, 3, 4, 5]);
    expect(run.issues.every((issue) => issue.severity === 'WARNING')).toBe(true);
    expect(run.products.get('AF-714-1')).toMatchObject({
      title: 'RV AC Filter 7.5"x14" – Replacement for Dometic Duo Therm, MERV 6, 1 Pack by AirFeel',
      imageLink: 'https://airfeelfilters.com/cdn/shop/files/1-set1.png?v=1748723738&width=1100',
      gtin: '860013870508',
      priceMinor: 2291,
      currency: 'USD',
    });
  });

  it('every sample: each row read ends as an item, a rejected row or a skip with its reason', async () => {
    const files = ['csv', 'shopify', 'xml'].flatMap((dir) =>
      readdirSync(join(SAMPLES, dir)).map((name) => `${dir}/${name}`),
    );
    expect(files.length).toBeGreaterThanOrEqual(11);
    for (const file of files) {
      const run = await ingestSample(file, 'USD');
      expect(run.error).toBeNull();
      const skipped = Object.values(run.skipped).reduce((sum, n) => sum + n, 0);
      // rowsRead is counted by the tokenizer or XML reader, before any dialect decides what a row is.
      expect({ file, rowsRead: run.rowsRead }).toEqual({ file, rowsRead: run.accepted + run.rejected + skipped });
      expect(run.rowsRead).toBeGreaterThan(0);
    }
  });
});
