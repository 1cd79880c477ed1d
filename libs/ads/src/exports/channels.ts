import { saleWindowBounds } from '@brandshelf/catalog-rules';
import { shipDate, type CatalogProduct } from '@brandshelf/search';

/**
 * What each channel takes: its field names, required fields, limits and value formats, and the policy checks run
 * on every product before it goes out. Sources (December 2026): Google Merchant Center product data specification
 * (RSS 2.0 with the g: namespace; id ≤ 50, title ≤ 150, description ≤ 5000 characters; availability in_stock,
 * out_of_stock, preorder, backorder; price "15.00 USD"), Meta commerce catalog fields (CSV; id ≤ 100, title ≤ 200,
 * description ≤ 9999, brand ≤ 100; availability "in stock", "out of stock", "preorder", "available for order";
 * images at least 500×500) and TikTok catalog product parameters (CSV; sku_id, title, description, availability,
 * condition, price, link, image_link and brand required; no promotional text such as "free shipping" in titles;
 * images at least 500×500).
 */
export const EXPORT_CHANNELS = ['GOOGLE', 'META', 'TIKTOK'] as const;
export type ExportChannel = (typeof EXPORT_CHANNELS)[number];

export const EXPORT_CHECKS = [
  'MISSING_REQUIRED_FIELD',
  'TITLE_TOO_LONG',
  'PROMOTIONAL_TITLE',
  'IMAGE_TOO_SMALL',
  'MISSING_GTIN',
] as const;
export type ExportCheck = (typeof EXPORT_CHECKS)[number];

export interface ExportFinding {
  check: ExportCheck;
  /** A required check failed: the product is left out of the channel's export. */
  required: boolean;
  message: string;
}

/** Words a title must not carry on any of the three channels (promotional text is disapproved). */
export const PROMOTIONAL_WORDS = [
  'free shipping',
  'free delivery',
  'sale',
  'best price',
  'cheapest',
  'discount',
  'wholesale',
  'high quality',
  'buy now',
  '% off',
];
const PROMOTIONAL = new RegExp(
  `(^|[^\\p{L}\\p{N}])(${PROMOTIONAL_WORDS.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})($|[^\\p{L}\\p{N}])`,
  'iu',
);

/** Smallest main image Meta and TikTok take, in pixels each side. */
export const MIN_IMAGE_SIDE = 500;

interface ChannelSpec {
  format: 'xml' | 'csv';
  titleMax: number;
  descriptionMax: number;
  idMax: number;
  minImageSide: number | null;
  /** Missing GTIN: reported (never leaves a product out: none of the three rejects a product without one). */
  gtinAdvised: boolean;
  columns: readonly string[];
  availability: Record<string, string>;
}

/** custom_label_0 … custom_label_4: all three channels take them, for campaigns to group products by. */
export const CUSTOM_LABELS = ['custom_label_0', 'custom_label_1', 'custom_label_2', 'custom_label_3', 'custom_label_4'];

const META_AVAILABILITY = {
  IN_STOCK: 'in stock',
  OUT_OF_STOCK: 'out of stock',
  PREORDER: 'preorder',
  BACKORDER: 'available for order',
};

export const CHANNELS: Record<ExportChannel, ChannelSpec> = {
  GOOGLE: {
    format: 'xml',
    titleMax: 150,
    descriptionMax: 5000,
    idMax: 50,
    minImageSide: null,
    gtinAdvised: true,
    columns: [],
    availability: { IN_STOCK: 'in_stock', OUT_OF_STOCK: 'out_of_stock', PREORDER: 'preorder', BACKORDER: 'backorder' },
  },
  META: {
    format: 'csv',
    titleMax: 200,
    descriptionMax: 9999,
    idMax: 100,
    minImageSide: MIN_IMAGE_SIDE,
    gtinAdvised: false,
    columns: [
      'id',
      'title',
      'description',
      'availability',
      'condition',
      'price',
      'sale_price',
      'sale_price_effective_date',
      'availability_date',
      'link',
      'image_link',
      'additional_image_link',
      'brand',
      'google_product_category',
      'product_type',
      'item_group_id',
      'color',
      'size',
      'gender',
      'age_group',
      'gtin',
      'mpn',
      'material',
      'pattern',
      ...CUSTOM_LABELS,
      'shipping',
    ],
    availability: META_AVAILABILITY,
  },
  TIKTOK: {
    format: 'csv',
    titleMax: 150,
    descriptionMax: 10000,
    idMax: 100,
    minImageSide: MIN_IMAGE_SIDE,
    gtinAdvised: false,
    columns: [
      'sku_id',
      'title',
      'description',
      'availability',
      'condition',
      'price',
      'sale_price',
      'link',
      'image_link',
      'additional_image_link',
      'brand',
      'google_product_category',
      'product_type',
      'item_group_id',
      'color',
      'size',
      'gender',
      'age_group',
      'gtin',
      'mpn',
      ...CUSTOM_LABELS,
    ],
    availability: META_AVAILABILITY,
  },
};

/** Characters XML 1.0 does not allow (C0 controls but tab, LF, CR; lone surrogates; U+FFFE, U+FFFF): stripped. */
const XML_INVALID =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export const xmlText = (s: string): string => s.replace(XML_INVALID, '');

/** The main image's pixel size: the largest of the source size and its renditions; null when unknown. */
function imageSize(p: CatalogProduct): { width: number; height: number } | null {
  const main = p.images.find((i) => i.role === 'MAIN') ?? p.images[0];
  if (!main) return null;
  let best = main.width && main.height ? { width: main.width, height: main.height } : null;
  for (const r of main.renditions ?? []) {
    const w = (r as { width?: number }).width;
    const h = (r as { height?: number }).height;
    if (w && h && (!best || w * h > best.width * best.height)) best = { width: w, height: h };
  }
  return best;
}

/** The channel's checks on one product: an empty list means it goes out as is. */
export function checkProduct(channel: ExportChannel, p: CatalogProduct): ExportFinding[] {
  const spec = CHANNELS[channel];
  const out: ExportFinding[] = [];
  const missing = [
    ['title', p.title],
    ['description', p.description],
    ['link', p.link],
    ['image_link', p.imageLink],
    ['price', p.price],
    ['availability', p.availability],
    ...(channel === 'GOOGLE' ? [] : [['brand', p.brandName ?? p.brand?.name]]),
    // Google requires when a preorder or backorder ships (it disapproves either without one): the date as it would
    // go out, so one stored but unreadable counts as missing too.
    ...(channel === 'GOOGLE' && (p.availability === 'PREORDER' || p.availability === 'BACKORDER')
      ? [['availability_date', availabilityDate(p)]]
      : []),
  ]
    .filter(([, v]) => v === null || v === undefined || v === '')
    .map(([k]) => k);
  if (missing.length) {
    out.push({ check: 'MISSING_REQUIRED_FIELD', required: true, message: `Missing ${missing.join(', ')}.` });
  }
  if (p.offerId.length > spec.idMax) {
    out.push({
      check: 'MISSING_REQUIRED_FIELD',
      required: true,
      message: `The id is ${p.offerId.length} characters; ${channel} takes at most ${spec.idMax}.`,
    });
  }
  if ([...p.title].length > spec.titleMax) {
    out.push({
      check: 'TITLE_TOO_LONG',
      required: true,
      message: `The title is ${[...p.title].length} characters; ${channel} takes at most ${spec.titleMax}.`,
    });
  }
  const promo = PROMOTIONAL.exec(p.title);
  if (promo) {
    out.push({
      check: 'PROMOTIONAL_TITLE',
      required: true,
      message: `The title carries promotional text ("${promo[2]}"), which ${channel} disapproves.`,
    });
  }
  if (spec.minImageSide && p.imageLink) {
    const size = imageSize(p);
    if (size && (size.width < spec.minImageSide || size.height < spec.minImageSide)) {
      out.push({
        check: 'IMAGE_TOO_SMALL',
        required: true,
        message: `The main image is ${size.width}×${size.height}; ${channel} needs at least ${spec.minImageSide}×${spec.minImageSide}.`,
      });
    }
  }
  // identifier_exists "no" says the product has none (custom made, vintage): nothing to advise.
  if (spec.gtinAdvised && !p.gtin && p.identifierExists !== false) {
    out.push({
      check: 'MISSING_GTIN',
      required: false,
      message: 'No GTIN: Google advises one for every product that has one (limited performance without).',
    });
  }
  return out;
}

const clip = (s: string, max: number) => {
  const chars = [...s];
  return chars.length > max ? chars.slice(0, max).join('') : s;
};
const money = (m: { amount: string; currency: string } | null) => (m ? `${m.amount} ${m.currency}` : '');
const lower = (s: string | null | undefined) => (s ? s.toLowerCase() : '');

/**
 * Meta's `shipping` column: `COUNTRY:REGION:SERVICE:PRICE` entries separated by commas. Meta's form has no place for a
 * postal code or a Merchant Center location, so an entry limited to one is left out rather than widened to its
 * whole country.
 */
// A colon or comma in a region or service name would split the entry where Meta reads it.
const metaPart = (text: string | null) => (text ? text.replace(/[:,]/g, ' ').trim() : '');

function metaShipping(p: CatalogProduct): string {
  return p.shipping
    .filter((o) => o.postalCode === null && o.locationId === null && o.locationGroupName === null)
    .map((o) => `${o.country}:${metaPart(o.region)}:${metaPart(o.service)}:${o.price.amount} ${o.price.currency}`)
    .join(',');
}

/** An instant as Merchant Center's example writes one, in UTC: 2026-12-01T08:00+0000 (seconds only when not 0). */
function isoInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, iso.slice(16, 23) === ':00.000' ? 16 : 19)}+0000`;
}

/**
 * The product's sale as a channel is sent it at `now`: whether it holds (on sale in the live catalog, and inside its
 * window when it has one), and its window, the stored sale_price_effective_date read as the validator reads it and
 * written with explicit UTC times, so a date alone (which the validator reads as UTC days) means the same to the
 * channel, which then ends the sale on time even when it fetches the export only once a day. The live catalog
 * changes at a window's start or end through a SALE_WINDOW run, which a feed published by hand leaves for its brand
 * to publish: until then the product is still on sale there, but no channel is sent a sale that has ended (the
 * shopper would be shown a price the store no longer charges).
 */
function saleOf(p: CatalogProduct, now: number): { holds: boolean; window: string } {
  if (!p.onSale || !p.salePrice) return { holds: false, window: '' };
  const bounds = p.salePriceEffectiveDate ? saleWindowBounds(p.salePriceEffectiveDate) : null;
  if (bounds === null) return { holds: true, window: '' };
  const holds = now >= bounds.start && now < bounds.end;
  return { holds, window: holds ? `${isoInstant(bounds.start)}/${isoInstant(bounds.end)}` : '' };
}

/** availability_date in explicit UTC (shipDate), for a preorder or backorder; empty otherwise. */
function availabilityDate(p: CatalogProduct): string {
  const instant = shipDate(p);
  return instant === null ? '' : isoInstant(instant);
}

/** One product as the channel's fields, in its value formats (text cleaned of characters XML 1.0 forbids). */
export function channelFields(channel: ExportChannel, p: CatalogProduct, now = Date.now()): Record<string, string> {
  const spec = CHANNELS[channel];
  const sale = saleOf(p, now);
  const onSale = sale.holds;
  const fields: Record<string, string> = {
    id: p.offerId,
    title: p.title,
    description: clip(p.description, spec.descriptionMax),
    link: p.link ?? '',
    image_link: p.imageLink ?? '',
    additional_image_link: channel === 'GOOGLE' ? '' : p.additionalImageLinks.slice(0, 20).join(','),
    availability: p.availability ? (spec.availability[p.availability] ?? '') : '',
    condition: lower(p.condition),
    price: money(p.price),
    sale_price: onSale ? money(p.salePrice) : '',
    brand: p.brandName ?? p.brand?.name ?? '',
    gtin: p.gtin ?? '',
    mpn: p.mpn ?? '',
    google_product_category: p.category?.id ? String(p.category.id) : (p.category?.path ?? ''),
    product_type: p.productType ?? '',
    item_group_id: p.itemGroupId ?? '',
    color: p.color ?? '',
    size: p.size ?? '',
    gender: lower(p.gender),
    age_group: lower(p.ageGroup),
    shipping: channel === 'META' ? metaShipping(p) : '',
    // Google and Meta take the window; TikTok's export carries the sale price while the sale holds, as before.
    sale_price_effective_date: channel === 'TIKTOK' ? '' : sale.window,
    // When a preorder or backorder ships: Google disapproves either without it.
    availability_date: channel === 'TIKTOK' ? '' : availabilityDate(p),
    material: channel === 'TIKTOK' ? '' : (p.material ?? ''),
    pattern: channel === 'TIKTOK' ? '' : (p.pattern ?? ''),
    // Google only: the others read no such fields. Not beside a GTIN: Merchant Center flags "no" with one as an
    // incorrect value (the GTIN says an identifier exists), and asks for the GTIN with the value true or none.
    identifier_exists: channel === 'GOOGLE' && p.identifierExists === false && !p.gtin ? 'no' : '',
    mobile_link: channel === 'GOOGLE' ? (p.mobileLink ?? '') : '',
  };
  CUSTOM_LABELS.forEach((name, i) => (fields[name] = p.customLabels[i] ?? ''));
  if (channel === 'TIKTOK') {
    fields.sku_id = fields.id;
    delete fields.id;
  }
  for (const k of Object.keys(fields)) fields[k] = xmlText(fields[k]);
  return fields;
}
