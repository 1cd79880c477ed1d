import type { ItemIssue } from '@brandshelf/catalog-rules';

/** One product row as read from the feed, before validation. */
export interface RawItem {
  /** CSV: 1-based line number where the record starts. XML: 1-based item index. */
  row: number;
  /** Canonical attribute names or `custom:<original header>`; repeated attributes as lists; empty cells omitted. */
  fields: Record<string, string | string[]>;
}

// Defined here once: a run stores them (detectedFormat, dialect) and the GraphQL enums derive from these lists.
/** A file's format as read (a feed's format setting adds AUTO). */
export const FEED_FORMATS = ['CSV', 'TSV', 'XML'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];
/** A feed's format setting: a format, or AUTO to sniff it from the content. */
export const FEED_FORMAT_SETTINGS = ['AUTO', ...FEED_FORMATS] as const;
export type FeedFormatSetting = (typeof FEED_FORMAT_SETTINGS)[number];

export const CSV_DIALECTS = ['GENERIC', 'SHOPIFY', 'META', 'WOOCOMMERCE', 'WIX', 'VENDURE', 'MEDUSA'] as const;
export type CsvDialect = (typeof CSV_DIALECTS)[number];
export const XML_DIALECTS = ['GOOGLE_RSS', 'GOOGLE_ATOM', 'CUSTOM_XML'] as const;
export type XmlDialect = (typeof XML_DIALECTS)[number];
export const FEED_DIALECTS = [...CSV_DIALECTS, ...XML_DIALECTS] as const;
export type FeedDialect = CsvDialect | XmlDialect;

export interface FeedReadOptions {
  format?: FeedFormatSetting;
  /** Source header (or XML element name / dotted path) → canonical attribute or `custom:x`; wins over everything. An empty target ignores the column. */
  columnMapping?: Record<string, string> | null;
  /** Element that wraps one item in a custom XML dialect, e.g. `product`; auto-detected when null. */
  xmlItemElement?: string | null;
  /** ISO 639-1 code (default en): which of a Vendure export's `name:en`, `name:de`… columns wins. */
  language?: string | null;
  /** The feed's default currency: which of an export's per-currency price columns (Medusa) is the price. */
  defaultCurrency?: string | null;
  /** The store's base URL: `{store}` in link templates, so exports without product-page URLs get a link. */
  storeUrl?: string | null;
  /** Builds `link` for items that have none; the dialect's default (e.g. `{store}/products/{handle}`) when null. */
  linkTemplate?: string | null;
  /** Default 1 MiB. A bigger cell rejects its row with `CELL_TOO_LARGE`; reading goes on. */
  maxCellBytes?: number;
  /** Default 16 MiB. A bigger record rejects its row with `RECORD_TOO_LARGE`; reading goes on. */
  maxRecordBytes?: number;
  /**
   * Most bytes a gzip feed may inflate to (UPLOAD_MAX_BYTES in the app: what an uncompressed file may have). Past it
   * reading stops with `GZIP_TOO_LARGE`, so a small upload cannot make a reader inflate terabytes. Unset: no limit.
   */
  maxDecompressedBytes?: number;
}

export interface FeedColumn {
  header: string;
  /** Canonical attribute, `custom:<header>`, several joined by `|` when a dialect derives more than one, or `` when the dialect only uses it to group rows. */
  attribute: string;
}

export interface FeedReadMeta {
  format: FeedFormat;
  dialect: FeedDialect;
  encoding: string;
  compression?: 'gzip';
  delimiter?: string;
  headers?: string[];
  columns?: FeedColumn[];
}

/**
 * Why a row read from the feed is neither an item nor an issue of its own:
 * INACTIVE — the shop does not sell it (draft, archived, unpublished, hidden; a WARNING says so);
 * IMAGE_ONLY_ROW — a continuation row that only adds an image to the product above it (Shopify);
 * VARIANT_PARENT — a product row whose variant rows are the items (WooCommerce variable, Wix product with variants);
 * GROUPED_PRODUCT — a page listing other products, each its own row (WooCommerce grouped).
 */
export const ROW_SKIP_REASONS = ['INACTIVE', 'IMAGE_ONLY_ROW', 'VARIANT_PARENT', 'GROUPED_PRODUCT'] as const;
export type RowSkipReason = (typeof ROW_SKIP_REASONS)[number];

/**
 * `rows` is the reader's own count of data rows (CSV records after the header, XML items) so far, sent
 * after each batch of events: every one of them ends as an item, a row-level ERROR issue or a skip, so a
 * run can check that nothing was dropped in silence.
 */
export type FeedEvent =
  | { type: 'meta'; meta: FeedReadMeta }
  | { type: 'item'; item: RawItem }
  | { type: 'issue'; issue: ItemIssue }
  | { type: 'skip'; row: number; reason: RowSkipReason }
  | { type: 'rows'; rowsRead: number };
