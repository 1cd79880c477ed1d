/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Whether a product can be bought now (Merchant Center's availability). */
export type Availability =
  /** Temporarily out of stock; orders are taken and ship when it is back. */
  | 'BACKORDER'
  /** In stock: ships now. */
  | 'IN_STOCK'
  /** Not available and not taking orders. */
  | 'OUT_OF_STOCK'
  /** Not released yet; orders are taken. */
  | 'PREORDER';

/** HTTP basic-auth credentials for fetching a URL feed. */
export type BasicAuthInput = {
  /** Password; stored encrypted with SECRET_KEY and never returned. */
  password: string;
  /** User name sent with every fetch of the feed. */
  username: string;
};

/** The campaign to pause, resume or end. */
export type CampaignIdInput = {
  /** Campaign.id of one of the brand’s campaigns. */
  campaignId: string | number;
};

/** Where a campaign is in its life; it runs only while ACTIVE and between startsAt and endsAt. */
export type CampaignStatus =
  /** Takes part in auctions between startsAt and endsAt, while its daily budget lasts. */
  | 'ACTIVE'
  /** Ended by the brand (endCampaign): never runs again; its stats stay readable. */
  | 'ENDED'
  /** Paused by the brand (pauseCampaign): no sponsored result until resumeCampaign. */
  | 'PAUSED';

/** Which run cancelRun cancels. */
export type CancelRunInput = {
  /** A QUEUED or RUNNING run; the userError RUN_ALREADY_FINISHED once it has finished. */
  runId: string | number;
};

/** Reads one column of the feed as a given attribute, whatever its header says. */
export type ColumnMappingInput = {
  /** Merchant Center attribute name (e.g. image_link, price, gtin) or custom:<name>; BAD_USER_INPUT otherwise. */
  attribute: string;
  /** Header (CSV) or element name (XML) as it appears in the feed; must not be empty. */
  column: string;
};

/** Which rule chose a rate. Precedence, most specific first: TARGETED_PRODUCT > TARGETED_ITEM_GROUP and TARGETED_CATEGORY > TARGETED_BRAND > OPEN_PRODUCT > OPEN_ITEM_GROUP and OPEN_CATEGORY > OPEN_DEFAULT. Within a level an item group comes before a category, and a deeper category before a shallower one. */
export type CommissionRuleKind =
  /** The open program's override for the product's Google category or one above it. */
  | 'OPEN_CATEGORY'
  /** The brand's default open rate, for every creator and product. */
  | 'OPEN_DEFAULT'
  /** The open program's override for the product's item group. */
  | 'OPEN_ITEM_GROUP'
  /** The open program's override for this product, for every creator. */
  | 'OPEN_PRODUCT'
  /** An accepted offer's brand-wide rate. */
  | 'TARGETED_BRAND'
  /** An accepted offer's rate for the product's Google category or one above it. */
  | 'TARGETED_CATEGORY'
  /** An accepted offer's rate for the product's item group (its variants). */
  | 'TARGETED_ITEM_GROUP'
  /** An accepted offer's rate for this very product. */
  | 'TARGETED_PRODUCT';

/** What a rate covers: one of productId, itemGroupId or categoryId. */
export type CommissionTargetInput = {
  /** A Google product taxonomy id (e.g. 187 Shoes); its subcategories are included. */
  categoryId?: number | null | undefined;
  /** An item group of yours (the feed's item_group_id). */
  itemGroupId?: string | null | undefined;
  /** One of your products (Product.id). */
  productId?: string | number | null | undefined;
};

/** The product's condition (Merchant Center's condition). */
export type Condition =
  /** Brand new, in its original packaging. */
  | 'NEW'
  /** Restored to working order, possibly with a warranty. */
  | 'REFURBISHED'
  /** Previously used, or its original packaging opened or missing. */
  | 'USED';

/** A Shopify store to connect, with its custom app's credentials. */
export type ConnectShopifyStoreInput = {
  /** Admin API access token of the store's custom app (read_products, read_inventory). Stored encrypted; never returned. */
  accessToken: string;
  /** Name of the feed the store syncs into (default "Shopify: <shop name>"). */
  feedName?: string | null | undefined;
  /** What becomes each variant's item id. */
  idStrategy?: ShopifyIdStrategy;
  /** The store's myshopify.com domain, e.g. acme.myshopify.com. */
  shopDomain: string;
  /** The app's API secret key, which signs its webhooks. Stored encrypted; never returned. */
  webhookSecret: string;
};

/** A new campaign. */
export type CreateCampaignInput = {
  /** The most it spends per UTC day; at least maxCpc. */
  dailyBudget: MoneyInput;
  /** When it stops; omit for no end date. */
  endsAt?: string | null | undefined;
  /** The most one click may cost (its bid); at least the reserve price. */
  maxCpc: MoneyInput;
  /** ProductSet.id of one of the brand’s sets: the products it sponsors. */
  productSetId: string | number;
  /** When it starts running. */
  startsAt: string;
};

/** A new channel export. */
export type CreateChannelExportInput = {
  /** The channel. */
  channel: ExportChannel;
  /** ProductSet.id of a set to export; the whole live catalog without. */
  productSetId?: string | number | null | undefined;
};

/** A new feed. Only name is required. */
export type CreateFeedInput = {
  /** Confidence, 0 to 1, above which a suggested category becomes the item's google_product_category (implies suggestCategories); null (default) applies none. */
  acceptCategorySuggestionsAbove?: number | null | undefined;
  /** Publish each successful run automatically, within the safety limits. */
  autoPublish?: boolean;
  /** URL feeds: credentials sent with every fetch. Stored encrypted; never returned. */
  basicAuth?: BasicAuthInput | null | undefined;
  /** Overrides header recognition per column. */
  columnMapping?: Array<ColumnMappingInput> | null | undefined;
  /** ISO 4217 code for prices written without one and for shared symbols such as $ (see the README); none by default. */
  defaultCurrency?: string | null | undefined;
  /** How files are read; AUTO sniffs. */
  format?: FeedFormat;
  /** ISO 639-1 code of the catalog text (default en): picks `name:en`-style columns and search stemming. */
  language?: string | null | undefined;
  /** Template for `link` when a row has none, e.g. "{store}/products/{handle}"; default per platform. */
  linkTemplate?: string | null | undefined;
  /** Auto-publish waits when the run rejected more than this share of rows, skipped rows not counted (default 0.2). */
  maxRejectedShare?: number | null | undefined;
  /** Auto-publish waits when it would remove more than this share of live products (default 0.2). */
  maxRemovalShare?: number | null | undefined;
  /** What a publish does to the live catalog. */
  mode?: FeedMode;
  /** Display name, 1 to 120 characters (trimmed). */
  name: string;
  /** URL feeds only: hourly, daily, weekly or "every <n>m|h|d", between 1 minute and 31 days. */
  schedule?: string | null | undefined;
  /** UPLOAD or URL (fixed for the life of the feed); SHOPIFY feeds come from connectShopifyStore. */
  source?: FeedSource;
  /** Store base URL (https://shop.example.com): builds `link` for exports that have none. */
  storeUrl?: string | null | undefined;
  /** Suggest a Google product category (a GOOGLE_PRODUCT_CATEGORY_SUGGESTED warning with id, path and confidence) for items without a usable google_product_category; default false. */
  suggestCategories?: boolean | null | undefined;
  /** Required for URL feeds, refused for others: an http(s) URL of at most 2000 characters, without credentials (use basicAuth), fetched through the SSRF guard. */
  url?: string | null | undefined;
  /** Element wrapping one item in a custom XML dialect (e.g. product); detected when omitted. */
  xmlItemElement?: string | null | undefined;
};

/** A new product set. */
export type CreateProductSetInput = {
  /** Its name, 1 to 200 characters, unique within the brand. */
  name: string;
  /** Its rules. */
  rules: ProductSetRuleInput;
};

/** A new share link. */
export type CreateShareLinkInput = {
  /** Where you will post it (utm_source). */
  channel?: ShareChannel | null | undefined;
  /** A live product (Product.id), of any brand. */
  productId: string | number;
};

/** The format of an ad creative: its pixel size and layout. */
export type CreativeTemplate =
  /** 1200×628 (link ads, display): the image on the left, a panel on the right with the brand, title (4 lines) and prices. */
  | 'LANDSCAPE_1200x628'
  /** 1080×1080 (feeds): the image above, a dark panel below with the brand, title (2 lines) and prices. */
  | 'SQUARE_1080'
  /** 1080×1920 (stories, reels): the brand on a top strip, the image, a panel below with the title (3 lines) and prices. */
  | 'STORY_1080x1920';

/** The export to delete. */
export type DeleteChannelExportInput = {
  /** ChannelExport.id of the export. */
  channelExportId: string | number;
};

/** The product set to delete. */
export type DeleteProductSetInput = {
  /** ProductSet.id of the set. */
  productSetId: string | number;
};

/** Where commission stands: PENDING → APPROVED → PAID, or REVERSED by a refund or cancellation. */
export type EarningStatus =
  /** The return window ended: the brand owes it. */
  | 'APPROVED'
  /** The brand marked it paid out. */
  | 'PAID'
  /** Earned on an order whose return window (the brand's, 30 days by default) is still open. */
  | 'PENDING'
  /** Taken back by a refund or cancellation (the amount reversed, counted positive). */
  | 'REVERSED';

/** Where a channel export goes, which decides its format, field names, limits and checks. */
export type ExportChannel =
  /** Google Merchant Center: RSS 2.0 with the g: namespace, at /exports/<token>.xml. */
  | 'GOOGLE'
  /** Meta (Facebook, Instagram) catalog: CSV with Meta’s field names, at /exports/<token>.csv. */
  | 'META'
  /** TikTok catalog: CSV with TikTok’s field names (sku_id…), at /exports/<token>.csv. */
  | 'TIKTOK';

/** A channel’s policy check on a product before export. */
export type ExportCheck =
  /** The main image is smaller than 500×500 (Meta, TikTok). Required. */
  | 'IMAGE_TOO_SMALL'
  /** No GTIN (Google advises one). Advisory: the product still goes out. */
  | 'MISSING_GTIN'
  /** A field the channel requires is missing (or the id is longer than it takes). Required. */
  | 'MISSING_REQUIRED_FIELD'
  /** The title carries promotional text ("free shipping", "sale", "best price"…). Required. */
  | 'PROMOTIONAL_TITLE'
  /** The title is longer than the channel takes (Google 150, Meta 200, TikTok 150). Required. */
  | 'TITLE_TOO_LONG';

/** How a feed file is read. Any value but AUTO must agree with the content, else FORMAT_MISMATCH. */
export type FeedFormat =
  /** Sniffed from the content (never the file name). */
  | 'AUTO'
  /** Delimited text; the delimiter (comma, tab, semicolon, pipe, tilde) is sniffed. */
  | 'CSV'
  /** Tab-separated text. */
  | 'TSV'
  /** Google Merchant RSS 2.0 or Atom 1.0, or a custom dialect (see xmlItemElement). */
  | 'XML';

/** What a publish of the feed does to the live catalog. */
export type FeedMode =
  /** The feed is the whole catalog of that feed: products absent from it are removed on publish. */
  | 'REPLACE'
  /** A supplemental feed: overlays the attributes it carries on the brand's existing products; never creates or removes any. */
  | 'UPDATE_ONLY';

/** One action of a rule; which fields it takes depends on its type (see FeedRuleActionType). */
export type FeedRuleActionInput = {
  /** The attribute changed (all types but SET_CUSTOM_LABEL, EXCLUDE). */
  attribute?: string | null | undefined;
  /** MAP: the result for a value not in the table. */
  defaultValue?: string | null | undefined;
  /** SET_CUSTOM_LABEL: which custom label, 0 to 4. */
  index?: number | null | undefined;
  /** TRUNCATE: the most characters kept. */
  maxLength?: number | null | undefined;
  /** REPLACE: the regular expression replaced. */
  pattern?: string | null | undefined;
  /** REPLACE: what each match becomes ($1 for a group). */
  replacement?: string | null | undefined;
  /** MAP: the lookup table. */
  table?: Array<FeedRuleMapEntryInput> | null | undefined;
  /** MAP: where the result goes (default: attribute itself). */
  targetAttribute?: string | null | undefined;
  /** SET, SET_CUSTOM_LABEL: a template over other attributes, e.g. "https://shop.example.com/products/{handle}". */
  template?: string | null | undefined;
  /** What the action does. */
  type: FeedRuleActionType;
  /** SET, APPEND, PREPEND, SET_CUSTOM_LABEL: the literal value. */
  value?: string | null | undefined;
};

/** What an action does to the item. */
export type FeedRuleActionType =
  /** Appends `value` to `attribute`. */
  | 'APPEND'
  /** Leaves the item out of the run (counted per rule, not an error); later rules do not run. */
  | 'EXCLUDE'
  /** Lower-cases `attribute`. */
  | 'LOWERCASE'
  /** Looks `attribute` up in `table` and writes the match (else `defaultValue`, else nothing) to `targetAttribute` (default: the same attribute). */
  | 'MAP'
  /** Prepends `value` to `attribute`. */
  | 'PREPEND'
  /** Replaces matches of the regular expression `pattern` in `attribute` by `replacement`. */
  | 'REPLACE'
  /** Sets `attribute` to `value`, or to `template` filled from other attributes ({handle}). */
  | 'SET'
  /** Sets custom_label_<index> (0 to 4) to `value` or `template`. */
  | 'SET_CUSTOM_LABEL'
  /** Title-cases `attribute`. */
  | 'TITLECASE'
  /** Trims `attribute` to `maxLength` characters on a word boundary. */
  | 'TRUNCATE'
  /** Upper-cases `attribute`. */
  | 'UPPERCASE';

/** A condition: either one comparison (attribute, operator, value or values) or a group (all: every one holds; any: at least one holds), groups nested at most 8 deep (deeper: TOO_DEEP). */
export type FeedRuleConditionInput = {
  /** A group that holds when all of these hold. */
  all?: Array<FeedRuleConditionInput> | null | undefined;
  /** A group that holds when any of these holds. */
  any?: Array<FeedRuleConditionInput> | null | undefined;
  /** Attribute compared: a Merchant Center name (title, price, link) or a custom one as read (custom:Handle). */
  attribute?: string | null | undefined;
  /** How it is compared; required with attribute. */
  operator?: FeedRuleOperator | null | undefined;
  /** The value compared with (not for IS_EMPTY, IS_NOT_EMPTY). */
  value?: string | null | undefined;
  /** Several values: the comparison holds for any of them. */
  values?: Array<string> | null | undefined;
};

/** Why proposed feed rules were refused (the rule engine's validation codes). */
export type FeedRuleErrorCode =
  /** Fields that cannot go together (a value and a template, …). */
  | 'CONFLICT'
  /** Two rules share an id. */
  | 'DUPLICATE_ID'
  /** A comparison value that is not a number or a price. */
  | 'INVALID_NUMBER'
  /** A pattern that is not a valid regular expression. */
  | 'INVALID_REGEX'
  /** A template with an unclosed or empty placeholder. */
  | 'INVALID_TEMPLATE'
  /** A value has the wrong type (a list where text was expected, …). */
  | 'INVALID_TYPE'
  /** A value outside what the field accepts. */
  | 'INVALID_VALUE'
  /** A pattern the linear-time engine cannot run (backreferences, lookaround, large counted repeats). */
  | 'REGEX_NOT_LINEAR'
  /** A required field is missing. */
  | 'REQUIRED'
  /** Conditions nested deeper than the limit. */
  | 'TOO_DEEP'
  /** A text longer than the limits allow. */
  | 'TOO_LONG'
  /** More rules, conditions, actions or map entries than the limits allow. */
  | 'TOO_MANY'
  /** A field the rule language does not have. */
  | 'UNKNOWN_FIELD'
  /** An action after EXCLUDE, which never runs. */
  | 'UNREACHABLE_ACTION';

/** One rule: when its condition holds (always, without one), its actions run in order. */
export type FeedRuleInput = {
  /** What it does, in order. */
  actions: Array<FeedRuleActionInput>;
  /** False keeps the rule without running it (default true). */
  enabled?: boolean | null | undefined;
  /** A name for people, shown with every change and exclusion the rule makes. */
  name: string;
  /** Your stable id for the rule (e.g. "shopify-links"): traces, issues and counts name it. */
  ruleId: string;
  /** When the rule applies; always without one. */
  when?: FeedRuleConditionInput | null | undefined;
};

/** One entry of a MAP action’s lookup table. */
export type FeedRuleMapEntryInput = {
  /** The value looked up: exactly (surrounding spaces aside), else ignoring case. Two entries equal that way must have the same `to` (else CONFLICT). */
  from: string;
  /** What it becomes. */
  to: string;
};

/** How a condition compares an item's attribute with `value` (or any of `values`). */
export type FeedRuleOperator =
  /** The attribute contains the value as a substring. */
  | 'CONTAINS'
  /** The attribute ends with the value. */
  | 'ENDS_WITH'
  /** The attribute equals the value (or one of the values). */
  | 'EQUALS'
  /** Numeric comparison; prices compare by amount. */
  | 'GREATER_OR_EQUAL'
  /** Numeric comparison; prices compare by amount. */
  | 'GREATER_THAN'
  /** The attribute is missing or blank; takes no value. */
  | 'IS_EMPTY'
  /** The attribute has a non-blank value; takes no value. */
  | 'IS_NOT_EMPTY'
  /** Numeric comparison; prices compare by amount. */
  | 'LESS_OR_EQUAL'
  /** Numeric comparison; prices ("12.50 USD") compare by amount. */
  | 'LESS_THAN'
  /** The attribute matches the value as a regular expression, within FEED_RULES_REGEX_TIMEOUT_MS (see the README: Feed rules). */
  | 'MATCHES'
  /** The attribute equals none of the values. */
  | 'NOT_EQUALS'
  /** The attribute starts with the value. */
  | 'STARTS_WITH';

/** Where a feed gets its files; a feed keeps its source for life. */
export type FeedSource =
  /** Synced from a connected Shopify store; created by connectShopifyStore, not createFeed. */
  | 'SHOPIFY'
  /** Files are posted to POST /feeds/:feedId/uploads (or with the CLI). */
  | 'UPLOAD'
  /** The feed's url is fetched by fetchFeedNow or on its schedule. */
  | 'URL';

/** Which URL feed fetchFeedNow fetches. */
export type FetchFeedNowInput = {
  /** Feed.id of a URL feed of the brand. */
  feedId: string | number;
};

/** Who the product is made for (Merchant Center's gender). */
export type Gender =
  /** Women. */
  | 'FEMALE'
  /** Men. */
  | 'MALE'
  /** Anyone. */
  | 'UNISEX';

/** Which of the feed's image attributes an image comes from. */
export type ImageRole =
  /** One of up to ten additional_image_link pictures. */
  | 'ADDITIONAL'
  /** The image_link: the picture that represents the product. */
  | 'MAIN';

/** Stable code of a run's issue: what the validator, a reader or the images step found, or the problem that stopped reading (then also the run’s error code). Each issue carries its own message and hint. */
export type IssueCode =
  /** A price uses a symbol several currencies share ($, £) and the feed has no defaultCurrency naming one of them; the usual one (USD, GBP) was assumed. Raised as WARNING. Symbols with no safe default (kr, ¥, Rs) are INVALID_CURRENCY errors instead. */
  | 'AMBIGUOUS_CURRENCY'
  /** Bidirectional embedding, override or isolate controls (U+202A–U+202E, U+2066–U+2069) were removed from a value; they reorder the text around them wherever it is shown, and Merchant Center refuses them. Raised as WARNING. The message names the characters and the position of the first in the value as sent. Letters, emoji sequences (ZWJ) and the marks U+200E, U+200F and U+061C are kept. */
  | 'BIDI_CONTROL_CHARACTERS'
  /** A cell (or XML element) is larger than the reader accepts, so its row was not read. Raised as ERROR. */
  | 'CELL_TOO_LARGE'
  /** The gzip data is corrupt. Raised as ERROR. */
  | 'CORRUPT_GZIP'
  /** sale_price is in a different currency from price. Raised as ERROR. */
  | 'CURRENCY_MISMATCH'
  /** Two columns name the same attribute; the first fills it, the other is kept as a custom attribute. Raised as WARNING. */
  | 'DUPLICATE_COLUMN'
  /** An XML item gives an attribute more than once; the first value is used. Raised as WARNING. */
  | 'DUPLICATE_ELEMENT'
  /** Another item earlier in the same feed has the same GTIN. Raised as WARNING. */
  | 'DUPLICATE_GTIN'
  /** Another item earlier in the same feed has the same id. Raised as ERROR. */
  | 'DUPLICATE_ID'
  /** The file is empty, or has no header row and no rows. Raised as ERROR. */
  | 'EMPTY_FEED'
  /** The file is not valid UTF-8 throughout; the bytes that are not UTF-8 were read as Windows-1252. Raised as WARNING. */
  | 'ENCODING_FALLBACK'
  /** The feed's rules were stopped at FEED_RULES_ITEM_BUDGET_MS on more than 100 items, so the run was stopped rather than hold a worker for hours. Raised as ERROR. */
  | 'FEED_RULES_RUN_TOO_SLOW'
  /** The feed's rules took longer than FEED_RULES_ITEM_BUDGET_MS on this item and were stopped part-way, so it was not imported. Raised as ERROR. */
  | 'FEED_RULES_TOO_SLOW'
  /** A feed rule's condition or action was not applied to this item because a limit was hit: a value too long for its regular expression, a pattern switched off after taking longer than FEED_RULES_REGEX_TIMEOUT_MS, or a result too long. Raised as WARNING. */
  | 'FEED_RULE_LIMIT'
  /** The feed's declared format contradicts the file (XML declared for a CSV, or the other way round). Raised as ERROR. */
  | 'FORMAT_MISMATCH'
  /** The item has no google_product_category, or one not in Google's taxonomy; its title, product_type and description suggest one (id, path and confidence in the message). Raised as WARNING. Raised when the feed has suggestCategories or acceptCategorySuggestionsAbove set. The message says whether the suggestion was applied (its confidence above acceptCategorySuggestionsAbove). */
  | 'GOOGLE_PRODUCT_CATEGORY_SUGGESTED'
  /** The GTIN ends in a long run of zeros, as barcodes do after a spreadsheet rounded them. Raised as WARNING. */
  | 'GTIN_POSSIBLY_ROUNDED'
  /** A leading apostrophe (a spreadsheet's text marker) was removed from the GTIN. Raised as WARNING. */
  | 'GTIN_SPREADSHEET_APOSTROPHE'
  /** A spreadsheet turned the barcode into scientific notation; its last digits are lost. Raised as ERROR. */
  | 'GTIN_SPREADSHEET_DAMAGED'
  /** The gzip file inflates to more than the largest feed accepted (UPLOAD_MAX_BYTES, uncompressed). Raised as ERROR. */
  | 'GZIP_TOO_LARGE'
  /** The header row is larger than the reader accepts. Raised as ERROR. */
  | 'HEADER_TOO_LARGE'
  /** A spreadsheet turned the id (or item_group_id) into scientific notation; its digits are lost. Raised as WARNING. */
  | 'ID_SPREADSHEET_DAMAGED'
  /** The image URL points to a private, loopback or metadata address, which the fetcher refuses. Raised as ERROR. WARNING for an additional image. */
  | 'IMAGE_BLOCKED_ADDRESS'
  /** The image file is damaged or cut off and cannot be decoded. Raised as ERROR. WARNING for an additional image. */
  | 'IMAGE_CORRUPT'
  /** The image file or its pixel count is larger than the images step accepts. Raised as ERROR. WARNING for an additional image. */
  | 'IMAGE_TOO_LARGE'
  /** The image is smaller than 500×500 px (an ERROR below 100×100 px on the main image). Raised as WARNING. ERROR when a side of the main image is below 100 px. */
  | 'IMAGE_TOO_SMALL'
  /** The image could not be downloaded (no answer, an HTTP error, a timeout, an unknown host). Raised as ERROR. WARNING for an additional image. */
  | 'IMAGE_UNREACHABLE'
  /** The URL does not serve an image in a format we read (JPEG, PNG, WebP, GIF, AVIF, TIFF). Raised as ERROR. WARNING for an additional image. */
  | 'IMAGE_UNSUPPORTED_FORMAT'
  /** The shop export marks the product as not active (draft, hidden, unpublished); it was skipped. Raised as WARNING. */
  | 'INACTIVE_PRODUCT_SKIPPED'
  /** age_group is not newborn, infant, toddler, kids or adult; it is ignored. Raised as WARNING. */
  | 'INVALID_AGE_GROUP'
  /** availability is not one of in_stock, out_of_stock, preorder, backorder. Raised as ERROR. */
  | 'INVALID_AVAILABILITY'
  /** Control or replacement characters were removed from a value. Raised as WARNING. The message names the characters (U+0007, …) and the position of the first in the value as sent. */
  | 'INVALID_CHARACTERS'
  /** condition is not new, refurbished or used; it is ignored. Raised as WARNING. */
  | 'INVALID_CONDITION'
  /** The currency is not a current ISO 4217 code, or is a symbol with no safe default (kr, ¥, Rs) that the feed's defaultCurrency does not settle. Raised as ERROR. */
  | 'INVALID_CURRENCY'
  /** A date is not an ISO 8601 date; it is ignored. Raised as WARNING. */
  | 'INVALID_DATE'
  /** gender is not male, female or unisex; it is ignored. Raised as WARNING. */
  | 'INVALID_GENDER'
  /** The GTIN contains characters other than digits, or is a placeholder. Raised as ERROR. */
  | 'INVALID_GTIN'
  /** The GTIN's last digit (check digit) does not match the others. Raised as ERROR. */
  | 'INVALID_GTIN_CHECK_DIGIT'
  /** The GTIN is not 8, 12, 13 or 14 digits long. Raised as ERROR. */
  | 'INVALID_GTIN_LENGTH'
  /** identifier_exists is not yes/no. Raised as WARNING. */
  | 'INVALID_IDENTIFIER_EXISTS'
  /** A price is unreadable, has too many decimals for its currency, or is not positive. Raised as ERROR. WARNING (and the sale price is ignored) for a sale_price of 0, which exports often use for "no sale". */
  | 'INVALID_PRICE'
  /** quantity is not a whole number of 0 or more. Raised as WARNING. A negative count is stored as 0; anything else unreadable is ignored. */
  | 'INVALID_QUANTITY'
  /** A shipping entry is unreadable: a country that is no ISO 3166-1 alpha-2 code, a missing or unreadable price, a handling or transit time that is no whole number of days, or the wrong number of colon-separated parts. That entry is ignored; the item and its other entries are kept. Raised as WARNING. The message names the entry (its position, and its text or XML parts) and the part that is wrong. A price written without a currency takes the item price's currency (or defaultCurrency). */
  | 'INVALID_SHIPPING'
  /** shipping_weight is not a number followed by a unit Merchant Center knows (lb, oz, g, kg); it is ignored. Raised as WARNING. */
  | 'INVALID_SHIPPING_WEIGHT'
  /** A shipping(…) or tax(…) column header names a part the attribute does not have, names one twice, or leaves out one every entry needs; the column is kept as a custom attribute. Raised as WARNING. */
  | 'INVALID_SUB_ATTRIBUTE_HEADER'
  /** A tax entry is unreadable: a country that is no ISO 3166-1 alpha-2 code, a rate that is not a percentage from 0 to 100, a tax_ship that is not yes or no, or the wrong number of colon-separated parts. That entry is ignored; the item and its other entries are kept. Raised as WARNING. The message names the entry and the part that is wrong. */
  | 'INVALID_TAX'
  /** A URL is not an absolute http(s) address. Raised as ERROR. ERROR for link and image_link; WARNING for mobile_link and additional_image_link, whose bad URLs are dropped. */
  | 'INVALID_URL'
  /** A preorder or backorder item has no availability_date. Raised as WARNING. */
  | 'MISSING_AVAILABILITY_DATE'
  /** The item has no brand. Raised as WARNING. */
  | 'MISSING_BRAND'
  /** A price has no currency and the feed has no default currency. Raised as ERROR. */
  | 'MISSING_CURRENCY'
  /** The item has neither a GTIN nor an MPN. Raised as WARNING. */
  | 'MISSING_IDENTIFIER'
  /** A required attribute is missing or empty. Raised as ERROR. Required in a full (REPLACE) feed: id, title, description, link, image_link, availability, price. In an UPDATE_ONLY feed only id is. */
  | 'MISSING_REQUIRED'
  /** An item with item_group_id has none of color, size, material, pattern. Raised as WARNING. */
  | 'MISSING_VARIANT_ATTRIBUTE'
  /** A spreadsheet turned the MPN into scientific notation; its digits are lost, so it is ignored. Raised as WARNING. */
  | 'MPN_SPREADSHEET_DAMAGED'
  /** The file is not a CSV, TSV or XML feed (e.g. a spreadsheet, a PDF, an image or an HTML page). Raised as ERROR. */
  | 'NOT_A_FEED'
  /** The file was read but holds no product rows or items. Raised as WARNING. */
  | 'NO_ITEMS'
  /** A variant row of a shop export has no product row before it, so it cannot be placed. Raised as ERROR. */
  | 'ORPHAN_VARIANT'
  /** A URL starting with // was assumed to be https. Raised as WARNING. */
  | 'PROTOCOL_RELATIVE_URL'
  /** A CSV row has a different number of columns from the header, so its values cannot be matched. Raised as ERROR. */
  | 'RAGGED_ROW'
  /** A row (or XML item) is larger than the reader accepts, or has too many columns, so it was not read. Raised as ERROR. */
  | 'RECORD_TOO_LARGE'
  /** The GTIN is from a restricted range (in-store numbers 02/04/2xx, coupons 98/99) and cannot identify a product for sale. Raised as ERROR. */
  | 'RESTRICTED_GTIN'
  /** sale_price is higher than price. Raised as ERROR. */
  | 'SALE_PRICE_ABOVE_PRICE'
  /** The sale's sale_price_effective_date window has ended or not begun when the run read the item: sale_price was ignored and the item is shown at its price. Raised as WARNING. */
  | 'SALE_PRICE_NOT_IN_EFFECT'
  /** Shopify answered with something that is not an Admin API response. Raised as ERROR. */
  | 'SHOPIFY_BAD_RESPONSE'
  /** The store domain resolves to an address the SSRF guard refuses. Raised as ERROR. */
  | 'SHOPIFY_BLOCKED_ADDRESS'
  /** The access token may not read products (HTTP 403 or ACCESS_DENIED). Raised as ERROR. */
  | 'SHOPIFY_FORBIDDEN'
  /** Shopify refused the Admin API query. Raised as ERROR. */
  | 'SHOPIFY_GRAPHQL_ERROR'
  /** Shopify answered with an unexpected HTTP status. Raised as ERROR. */
  | 'SHOPIFY_HTTP_ERROR'
  /** Shopify has locked the store (HTTP 423). Raised as ERROR. */
  | 'SHOPIFY_LOCKED'
  /** A products page cost more than Shopify allows, even one product at a time. Raised as ERROR. */
  | 'SHOPIFY_MAX_COST_EXCEEDED'
  /** The Shopify feed has no connected store. Raised as ERROR. */
  | 'SHOPIFY_NOT_CONNECTED'
  /** The store or the API version does not exist (HTTP 404). Raised as ERROR. */
  | 'SHOPIFY_NOT_FOUND'
  /** The store is frozen (HTTP 402). Raised as ERROR. */
  | 'SHOPIFY_PAYMENT_REQUIRED'
  /** Shopify refused the access token (HTTP 401). Raised as ERROR. */
  | 'SHOPIFY_UNAUTHORIZED'
  /** Shopify did not answer (or kept throttling) after several attempts. Raised as ERROR. */
  | 'SHOPIFY_UNAVAILABLE'
  /** The title is written in capital letters only. Raised as WARNING. */
  | 'TITLE_ALL_CAPS'
  /** More than 10 additional images; only the first 10 are kept. Raised as WARNING. */
  | 'TOO_MANY_ADDITIONAL_IMAGES'
  /** The header row has more columns than a feed may have. Raised as ERROR. */
  | 'TOO_MANY_COLUMNS'
  /** The gzip file ends too early: the end of the feed is missing. Raised as ERROR. */
  | 'TRUNCATED_GZIP'
  /** google_product_category is not in Google's product taxonomy; it is ignored. Raised as WARNING. */
  | 'UNKNOWN_GOOGLE_PRODUCT_CATEGORY'
  /** A supplemental (UPDATE_ONLY) feed names an id no product of the brand's primary feeds has. Raised as ERROR. */
  | 'UNKNOWN_ITEM_ID'
  /** A quote opened in the CSV is never closed, so the rest of the file cannot be read. Raised as ERROR. */
  | 'UNTERMINATED_QUOTE'
  /** A value is longer than Merchant Center allows. Raised as ERROR. ERROR (item rejected) for id, link and image_link; WARNING for text, which is cut at a word boundary, and for optional URLs and identifiers, which are dropped. The message says which. */
  | 'VALUE_TOO_LONG'
  /** A WooCommerce variable product has no variation rows in the file, so there is nothing to sell. Raised as ERROR. */
  | 'VARIABLE_WITHOUT_VARIATIONS'
  /** The XML declares a DOCTYPE or entities, which feeds are not allowed to do. Raised as ERROR. */
  | 'XML_DOCTYPE_FORBIDDEN'
  /** The XML is not well-formed. Raised as ERROR. */
  | 'XML_MALFORMED'
  /** A tag, comment or processing instruction is longer than the reader accepts. Raised as ERROR. */
  | 'XML_MARKUP_TOO_LARGE'
  /** An XML item nests elements deeper than the reader accepts, so it was not read. Raised as ERROR. */
  | 'XML_TOO_DEEP'
  /** The XML has a raw "&" that starts no entity; it was read as a literal "&". Raised as WARNING. */
  | 'XML_UNESCAPED_AMPERSAND';

/** Narrows the issues listed; the fields given combine with AND, each an exact match. */
export type IssueFilterInput = {
  /** Attribute name, e.g. gtin or image_link. */
  attribute?: string | null | undefined;
  /** Issue code, e.g. MISSING_REQUIRED. */
  code?: IssueCode | null | undefined;
  /** The item's id from the feed. */
  itemId?: string | null | undefined;
  /** CSV line number or XML item index; 0 for file-level issues. */
  row?: number | null | undefined;
  /** Only errors or only warnings. */
  severity?: IssueSeverity | null | undefined;
};

/** How much an issue matters. */
export type IssueSeverity =
  /** The item is rejected and will not be published. */
  | 'ERROR'
  /** The item is accepted; the issue is still worth fixing. */
  | 'WARNING';

/** What a ledger entry records. Entries are never changed: a correction is a new entry. */
export type LedgerEntryKind =
  /** The line’s pending commission became APPROVED when its return window ended. */
  | 'APPROVAL'
  /** Commission earned on an attributed order line, into PENDING. */
  | 'COMMISSION'
  /** The line’s approved commission was marked PAID by the brand. */
  | 'PAYOUT'
  /** A negative entry taking back commission after a refund or cancellation, naming the COMMISSION entry. */
  | 'REVERSAL';

/** Why a publish left an item out: its main image's IssueCode (IMAGE_…), or IMAGE_NOT_PROCESSED when the image has not been fetched (yet). */
export type LeftOutReason =
  /** The image URL points to a private, loopback or metadata address, which the fetcher refuses. WARNING for an additional image. */
  | 'IMAGE_BLOCKED_ADDRESS'
  /** The image file is damaged or cut off and cannot be decoded. WARNING for an additional image. */
  | 'IMAGE_CORRUPT'
  /** The main image failed without a recorded code. */
  | 'IMAGE_FAILED'
  /** The main image has not been fetched and processed (yet). */
  | 'IMAGE_NOT_PROCESSED'
  /** The image file or its pixel count is larger than the images step accepts. WARNING for an additional image. */
  | 'IMAGE_TOO_LARGE'
  /** The image is smaller than 500×500 px (an ERROR below 100×100 px on the main image). ERROR when a side of the main image is below 100 px. */
  | 'IMAGE_TOO_SMALL'
  /** The image could not be downloaded (no answer, an HTTP error, a timeout, an unknown host). WARNING for an additional image. */
  | 'IMAGE_UNREACHABLE'
  /** The URL does not serve an image in a format we read (JPEG, PNG, WebP, GIF, AVIF, TIFF). WARNING for an additional image. */
  | 'IMAGE_UNSUPPORTED_FORMAT';

/** An amount of money: a decimal string in major units and its currency, as Money gives. */
export type MoneyInput = {
  /** Decimal string in major units with at most the currency’s decimals, e.g. "0.45". */
  amount: string;
  /** ISO 4217 code. Campaigns take ADS_CURRENCY (USD by default); order and refund lines their order’s currency. */
  currency: string;
};

/** A product to put in your showcase, or to move within it. */
export type PlaceShowcaseItemInput = {
  /** Its place, 1 first; omit (or past the end) for last. */
  position?: number | null | undefined;
  /** A live product (Product.id). */
  productId: string | number;
};

/** A price range, on the effective price (the sale price when on sale). */
export type PriceFilter = {
  /** ISO 4217 code; without it min and max (at most 4 decimals) apply to every currency in its own units, each rounded towards the inside of the range for currencies with fewer decimals. */
  currency?: string | null | undefined;
  /** Inclusive, a decimal string in major units, as min. */
  max?: string | null | undefined;
  /** Inclusive, a decimal string in major units ("19.99") with at most as many decimals as the currency has; BAD_USER_INPUT otherwise. */
  min?: string | null | undefined;
};

/** An attribute of a live product that a product set can filter on. */
export type ProductAttribute =
  /** IN_STOCK, OUT_OF_STOCK, PREORDER or BACKORDER. */
  | 'AVAILABILITY'
  /** The brand name the feed gives (g:brand), case-insensitive. */
  | 'BRAND'
  /** Google product category, by id or path; IS, IS_NOT and IS_ANY_OF include its subcategories ("Apparel & Accessories" matches "Apparel & Accessories > Shoes"). */
  | 'CATEGORY'
  /** The color, case-insensitive. */
  | 'COLOR'
  /** NEW, REFURBISHED or USED. */
  | 'CONDITION'
  /** custom_label_0 of the feed, case-insensitive. */
  | 'CUSTOM_LABEL_0'
  /** custom_label_1 of the feed, case-insensitive. */
  | 'CUSTOM_LABEL_1'
  /** custom_label_2 of the feed, case-insensitive. */
  | 'CUSTOM_LABEL_2'
  /** custom_label_3 of the feed, case-insensitive. */
  | 'CUSTOM_LABEL_3'
  /** custom_label_4 of the feed, case-insensitive. */
  | 'CUSTOM_LABEL_4'
  /** MALE, FEMALE or UNISEX. */
  | 'GENDER'
  /** The feed's id of the product (g:id, offer id), case-insensitive. */
  | 'ID'
  /** Whether a sale price below the price applies: IS "true" or "false". */
  | 'ON_SALE'
  /** The price a shopper pays (the sale price when on sale), in the condition’s currency. */
  | 'PRICE'
  /** The brand's own category path (product_type); IS includes what lies below it. */
  | 'PRODUCT_TYPE'
  /** The size, case-insensitive. */
  | 'SIZE'
  /** The title, case-insensitive. */
  | 'TITLE';

/** Filters combine with AND; a list matches any of its values. */
export type ProductFilter = {
  /** Products with one of these availabilities. */
  availability?: Array<Availability> | null | undefined;
  /** Products of these brands (Brand.id, global ids). */
  brandIds?: Array<string | number> | null | undefined;
  /** Google taxonomy id ("1604") or path prefix ("Apparel & Accessories > Clothing"); subcategories included. */
  category?: string | null | undefined;
  /** Case-insensitive; one value or several. */
  color?: Array<string> | null | undefined;
  /** Products in one of these conditions. */
  condition?: Array<Condition> | null | undefined;
  /** Products made for one of these genders. */
  gender?: Array<Gender> | null | undefined;
  /** true: only products on sale; false: only those not on sale. */
  onSale?: boolean | null | undefined;
  /** Effective price (the sale price when on sale). */
  price?: PriceFilter | null | undefined;
  /** Case-insensitive; one value or several. */
  size?: Array<string> | null | undefined;
};

/** One condition on one attribute. */
export type ProductSetConditionInput = {
  /** The attribute compared. */
  attribute: ProductAttribute;
  /** PRICE only: the currency of the amounts (ISO 4217). */
  currency?: string | null | undefined;
  /** How it is compared. */
  operator: ProductSetOperator;
  /** The value (or, for IS_ANY_OF, the values); amounts as decimal strings, e.g. "49.90". */
  values: Array<string>;
};

/** How a condition compares an attribute with its values. */
export type ProductSetOperator =
  /** Contains the one value as text (case-insensitive). */
  | 'CONTAINS'
  /** PRICE above the one amount. */
  | 'GREATER_THAN'
  /** Equals the one value (case-insensitive; paths include what lies below). */
  | 'IS'
  /** Equals any of the values (1 to 500). */
  | 'IS_ANY_OF'
  /** Does not equal the one value; a product without the attribute matches. */
  | 'IS_NOT'
  /** PRICE below the one amount. */
  | 'LESS_THAN'
  /** Starts with the one value (case-insensitive). */
  | 'STARTS_WITH';

/** A node of a product set’s rules: exactly one of all (every rule holds), any (at least one holds) or condition. At most 5 levels of all/any and 50 conditions. */
export type ProductSetRuleInput = {
  /** Every one of these rules holds (AND). */
  all?: Array<ProductSetRuleInput> | null | undefined;
  /** At least one of these rules holds (OR). */
  any?: Array<ProductSetRuleInput> | null | undefined;
  /** A condition on one attribute. */
  condition?: ProductSetConditionInput | null | undefined;
};

/** Order of search results: RELEVANCE by default with a query, NEWEST without one. Prices sort by effective price (the sale price when on sale), grouped by currency, as amounts in different currencies are not comparable. */
export type ProductSort =
  /** Most recently published first. */
  | 'NEWEST'
  /** Cheapest first within each currency. */
  | 'PRICE_ASC'
  /** Dearest first within each currency. */
  | 'PRICE_DESC'
  /** Best matches of the query first; without a query it is NEWEST. */
  | 'RELEVANCE';

/** What made a version live. */
export type PublicationKind =
  /** The autoPublish setting of the feed, after a successful run. */
  | 'AUTO_PUBLISH'
  /** publishRun, by a person or a script. */
  | 'PUBLISH'
  /** rollbackFeed, back to an earlier kept version. */
  | 'ROLLBACK';

/** Which run publishRun makes live. */
export type PublishRunInput = {
  /** A SUCCEEDED, non-validateOnly run that staged a version (else the userError RUN_NOT_PUBLISHABLE); the userError PUBLISH_IN_PROGRESS while its feed is publishing. */
  runId: string | number;
};

/** Whether a run's version was published. */
export type PublishStatus =
  /** Not published by publishRun or auto-publish (yet). */
  | 'NOT_PUBLISHED'
  /** Made live by publishRun or auto-publish (a later publish may have replaced it since). */
  | 'PUBLISHED'
  /** Auto-publish was held back by a safety limit or failed; publishBlockedReason says why. */
  | 'WAITING';

/** Sign-up of a brand. */
export type RegisterBrandInput = {
  /** Contact address; the userError ALREADY_REGISTERED when a brand already registered it. */
  email: string;
  /** Display name, 1 to 120 characters (trimmed). */
  name: string;
};

/** Sign-up of a creator. */
export type RegisterCreatorInput = {
  /** Contact address; the userError ALREADY_REGISTERED when a creator already registered it. */
  email: string;
  /** Public handle: 2 to 30 letters, digits, dots or underscores (a leading @ is dropped); the userError ALREADY_REGISTERED if taken. */
  handle: string;
};

/** A product to take out of your showcase. */
export type RemoveShowcaseItemInput = {
  /** The product (Product.id) in your showcase. */
  productId: string | number;
};

/** The product and template of a creative. */
export type RenderCreativeInput = {
  /** Product.id of one of the brand’s live products. */
  productId: string | number;
  /** The format to draw it in. */
  template: CreativeTemplate;
};

/** The file format of an image rendition (values in lower case, as file types are written). */
export type RenditionFormat =
  /** JPEG: one rendition, for clients that cannot show WebP. */
  | 'jpeg'
  /** WebP: every size, for browsers. */
  | 'webp';

/** Which feed rollbackFeed rolls back, and to which version. */
export type RollbackFeedInput = {
  /** Feed.id of the feed to roll back. */
  feedId: string | number;
  /** The version number (CatalogVersion.number); NOT_FOUND when it was never kept or has been pruned. */
  toVersion: number;
};

/** The export whose token changes. */
export type RotateChannelExportTokenInput = {
  /** ChannelExport.id of the export. */
  channelExportId: string | number;
};

/** Stable code of why a run failed as a whole: a file that cannot be read on, a store sync that cannot go on (SHOPIFY_…), a failed fetch of a URL feed (FETCH_…), or a failure of the run itself. */
export type RunErrorCode =
  /** The gzip data is corrupt. */
  | 'CORRUPT_GZIP'
  /** The file is empty, or has no header row and no rows. */
  | 'EMPTY_FEED'
  /** The feed's rules were stopped at FEED_RULES_ITEM_BUDGET_MS on more than 100 items, so the run was stopped rather than hold a worker for hours. */
  | 'FEED_RULES_RUN_TOO_SLOW'
  /** The feed URL resolves to a private, loopback or metadata address, which the fetcher refuses. */
  | 'FETCH_BLOCKED_ADDRESS'
  /** The connection to the feed server failed (refused, reset, TLS error). */
  | 'FETCH_CONNECT_FAILED'
  /** The feed host name does not resolve. */
  | 'FETCH_DNS_FAILED'
  /** The feed server answered with a non-2xx status, or a body that could not be decoded. */
  | 'FETCH_HTTP_ERROR'
  /** The feed URL (or a redirect target) is not a valid URL. */
  | 'FETCH_INVALID_URL'
  /** The feed server did not connect, answer or finish the download in time. */
  | 'FETCH_TIMEOUT'
  /** The feed is larger than the upload limit. */
  | 'FETCH_TOO_LARGE'
  /** The feed URL redirects more often than the fetcher follows. */
  | 'FETCH_TOO_MANY_REDIRECTS'
  /** The feed URL (or a redirect) is not http or https. */
  | 'FETCH_UNSUPPORTED_SCHEME'
  /** The feed's declared format contradicts the file (XML declared for a CSV, or the other way round). */
  | 'FORMAT_MISMATCH'
  /** The gzip file inflates to more than the largest feed accepted (UPLOAD_MAX_BYTES, uncompressed). */
  | 'GZIP_TOO_LARGE'
  /** The header row is larger than the reader accepts. */
  | 'HEADER_TOO_LARGE'
  /** Some of the run's images were never processed and no image job of the run is left. */
  | 'IMAGES_STALLED'
  /** The run failed on our side after every attempt. */
  | 'INTERNAL_ERROR'
  /** The file is not a CSV, TSV or XML feed (e.g. a spreadsheet, a PDF, an image or an HTML page). */
  | 'NOT_A_FEED'
  /** The run has no file to read (an upload feed run without an upload). */
  | 'NO_SOURCE'
  /** Fetching the feed would take the brand past its storage quota; nothing was stored. */
  | 'QUOTA_EXCEEDED'
  /** Shopify answered with something that is not an Admin API response. */
  | 'SHOPIFY_BAD_RESPONSE'
  /** The store domain resolves to an address the SSRF guard refuses. */
  | 'SHOPIFY_BLOCKED_ADDRESS'
  /** The access token may not read products (HTTP 403 or ACCESS_DENIED). */
  | 'SHOPIFY_FORBIDDEN'
  /** Shopify refused the Admin API query. */
  | 'SHOPIFY_GRAPHQL_ERROR'
  /** Shopify answered with an unexpected HTTP status. */
  | 'SHOPIFY_HTTP_ERROR'
  /** Shopify has locked the store (HTTP 423). */
  | 'SHOPIFY_LOCKED'
  /** A products page cost more than Shopify allows, even one product at a time. */
  | 'SHOPIFY_MAX_COST_EXCEEDED'
  /** The Shopify feed has no connected store. */
  | 'SHOPIFY_NOT_CONNECTED'
  /** The store or the API version does not exist (HTTP 404). */
  | 'SHOPIFY_NOT_FOUND'
  /** The store is frozen (HTTP 402). */
  | 'SHOPIFY_PAYMENT_REQUIRED'
  /** Shopify refused the access token (HTTP 401). */
  | 'SHOPIFY_UNAUTHORIZED'
  /** Shopify did not answer (or kept throttling) after several attempts. */
  | 'SHOPIFY_UNAVAILABLE'
  /** The run's file is no longer in storage. */
  | 'SOURCE_MISSING'
  /** The header row has more columns than a feed may have. */
  | 'TOO_MANY_COLUMNS'
  /** The gzip file ends too early: the end of the feed is missing. */
  | 'TRUNCATED_GZIP'
  /** A quote opened in the CSV is never closed, so the rest of the file cannot be read. */
  | 'UNTERMINATED_QUOTE'
  /** The XML declares a DOCTYPE or entities, which feeds are not allowed to do. */
  | 'XML_DOCTYPE_FORBIDDEN'
  /** The XML is not well-formed. */
  | 'XML_MALFORMED'
  /** A tag, comment or processing instruction is longer than the reader accepts. */
  | 'XML_MARKUP_TOO_LARGE';

/** The step a run is at; status says whether it is still going. */
export type RunPhase =
  /** Comparing the staged items with the feed's current version and writing the new one. */
  | 'COMPARING'
  /** Finished; status says how. */
  | 'DONE'
  /** Downloading a URL feed's file, or opening a Shopify store for reading. */
  | 'FETCHING'
  /** Fetching and processing the images of the new version (see imagesTotal/imagesDone). */
  | 'IMAGES'
  /** Not started yet. */
  | 'QUEUED'
  /** Reading and validating rows; accepted items are staged as they are read. */
  | 'READING';

/** Where a run is in its life: QUEUED → RUNNING → SUCCEEDED, FAILED or CANCELLED. */
export type RunStatus =
  /** Stopped by cancelRun; nothing of it is published. */
  | 'CANCELLED'
  /** Stopped by an error (see error); nothing of it is published. */
  | 'FAILED'
  /** Waiting for a worker. */
  | 'QUEUED'
  /** A worker is on it; phase says where (IMAGES until its last image is done). */
  | 'RUNNING'
  /** Read to the end; rejected items do not change that (see itemsRejected and issues). */
  | 'SUCCEEDED';

/** What started a run. */
export type RunTrigger =
  /** The CLI in local mode (no server), reading a file from disk. */
  | 'CLI'
  /** fetchFeedNow fetched a URL feed's file. */
  | 'FETCH'
  /** A sale of the feed's live version started or ended (its sale_price_effective_date): the scheduler read that version's file again to apply it. */
  | 'SALE_WINDOW'
  /** The feed's schedule fetched its URL, or synced its Shopify store. */
  | 'SCHEDULE'
  /** A Shopify store sync started by syncShopifyStore or a webhook. */
  | 'SYNC'
  /** A file posted to POST /feeds/:feedId/uploads. */
  | 'UPLOAD';

/** A change of the open program, applying to clicks from now on. */
export type SetCommissionRateInput = {
  /** Decimal percentage, 1 to 80, at most two decimals ("12.5"); null removes the rate. */
  ratePercent?: string | null | undefined;
  /** What the rate covers; omit for the default open rate of every product. */
  target?: CommissionTargetInput | null | undefined;
};

/** A feed and its new rules (the whole ordered list). */
export type SetFeedRulesInput = {
  /** Feed.id of one of the brand's feeds; NOT_FOUND otherwise. */
  feedId: string | number;
  /** The rules, applied in this order to every item of the next runs; [] removes them all. */
  rules: Array<FeedRuleInput>;
};

/** Where a share link is posted; the redirect passes it on as utm_source (lower case). */
export type ShareChannel =
  /** The creator's blog or website. */
  | 'BLOG'
  /** A newsletter or email. */
  | 'EMAIL'
  /** Facebook. */
  | 'FACEBOOK'
  /** Instagram. */
  | 'INSTAGRAM'
  /** Anywhere else. */
  | 'OTHER'
  /** Pinterest. */
  | 'PINTEREST'
  /** Snapchat. */
  | 'SNAPCHAT'
  /** TikTok. */
  | 'TIKTOK'
  /** X (Twitter). */
  | 'X'
  /** YouTube. */
  | 'YOUTUBE';

/** What a variant's item id (the product's offerId) is. */
export type ShopifyIdStrategy =
  /** The variant's SKU, or its variant id when it has none. */
  | 'SKU'
  /** The Shopify variant id: stable whatever the shop does with SKUs. */
  | 'VARIANT_ID';

/** Which store syncShopifyStore syncs, and how much. */
export type SyncShopifyStoreInput = {
  /** The SHOPIFY feed of the store (ShopifyStore.feedId). */
  feedId: string | number;
  /** Read every active product instead of the changes since the last sync. */
  full?: boolean;
};

/** Changes to a feed: an omitted field is left as it is. For name, format, mode, language, autoPublish, suggestCategories and the shares null also leaves it; for the other fields null clears the setting. */
export type UpdateFeedInput = {
  /** Confidence, 0 to 1, above which a suggested category becomes the item's google_product_category; null applies none. */
  acceptCategorySuggestionsAbove?: number | null | undefined;
  /** Publish each successful run automatically, within the limits. */
  autoPublish?: boolean | null | undefined;
  /** URL feeds: new credentials, stored encrypted; null stops sending any. */
  basicAuth?: BasicAuthInput | null | undefined;
  /** Replaces the whole column mapping; null or [] removes it. */
  columnMapping?: Array<ColumnMappingInput> | null | undefined;
  /** ISO 4217 code for prices written without one; null clears it. */
  defaultCurrency?: string | null | undefined;
  /** Feed.id of the feed to change; NOT_FOUND unless it is one of the brand's. */
  feedId: string | number;
  /** How the next files are read. */
  format?: FeedFormat | null | undefined;
  /** ISO 639-1 code of the catalog text; live products are re-indexed in it at the feed's next publish. */
  language?: string | null | undefined;
  /** Template for `link` when a row has none (at most 500 characters); null restores the platform default. */
  linkTemplate?: string | null | undefined;
  /** Share of rows, 0 to 1, a run may reject (skipped rows not counted) before auto-publish waits. */
  maxRejectedShare?: number | null | undefined;
  /** Share of live products, 0 to 1, an auto-publish may remove before it waits for a person. */
  maxRemovalShare?: number | null | undefined;
  /** What the next publishes do to the live catalog. */
  mode?: FeedMode | null | undefined;
  /** New display name, 1 to 120 characters. */
  name?: string | null | undefined;
  /** URL feeds: hourly, daily, weekly or "every <n>m|h|d" (1 minute to 31 days); null stops scheduled fetches. */
  schedule?: string | null | undefined;
  /** Store base URL used by {store} in linkTemplate (a bare host is taken as https); null clears it. */
  storeUrl?: string | null | undefined;
  /** Suggest Google product categories for items without a usable google_product_category. */
  suggestCategories?: boolean | null | undefined;
  /** URL feeds: the new http(s) URL (at most 2000 characters, no credentials); a URL feed cannot clear it. */
  url?: string | null | undefined;
  /** Element wrapping one item in a custom XML dialect; null returns to detection. */
  xmlItemElement?: string | null | undefined;
};

/** Why a mutation could not do what it was asked, as a code a client can branch on. */
export type UserErrorCode =
  /** The Shopify store is already connected to a feed of this brand; `message` names the feed. */
  | 'ALREADY_CONNECTED'
  /** An account with that email (or handle) exists; `field` names the value already taken. */
  | 'ALREADY_REGISTERED'
  /** A value of the input is invalid; `field` names it and `message` says what to change. */
  | 'BAD_USER_INPUT'
  /** The operation collides with one already under way or with existing data; `message` says which. */
  | 'CONFLICT'
  /** The product has no processed main image to draw a creative from; `message` says how to get one (fix the image_link, run the feed with images on, publish). Nothing was rendered. */
  | 'NO_PROCESSED_IMAGE'
  /** The input is larger than the documented limit. */
  | 'PAYLOAD_TOO_LARGE'
  /** Another publish or rollback of the same feed is in progress; nothing changed. Try again when it has finished. */
  | 'PUBLISH_IN_PROGRESS'
  /** The brand's storage or row quota would be exceeded; free space or ask for a larger quota. */
  | 'QUOTA_EXCEEDED'
  /** A refund line names a product (productId or offerId) that no line of the reported order has; `field` gives its position (["input", "lines", "<i>"]) and `message` lists the order's offer ids. Nothing was refunded. */
  | 'REFUND_LINE_NOT_IN_ORDER'
  /** The feed already has a run queued or running (one at a time per feed); `message` names it. Nothing was started. */
  | 'RUN_ALREADY_ACTIVE'
  /** The run has already finished, so there is nothing to cancel; it is left as it was. */
  | 'RUN_ALREADY_FINISHED'
  /** The run staged nothing to publish: it has not SUCCEEDED, was validateOnly, or kept no items. Nothing changed. */
  | 'RUN_NOT_PUBLISHABLE';

export type ConsoleRegisterBrandMutationVariables = Exact<{
  input: RegisterBrandInput;
}>;


export type ConsoleRegisterBrandMutation = { registerBrand: { apiKey: string | null, brand: { id: string, name: string } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleRegisterCreatorMutationVariables = Exact<{
  input: RegisterCreatorInput;
}>;


export type ConsoleRegisterCreatorMutation = { registerCreator: { apiKey: string | null, creator: { id: string, handle: string } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleMeQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleMeQuery = { me:
    | { __typename: 'BrandPrincipal', brand: { name: string } }
    | { __typename: 'CreatorPrincipal', creator: { handle: string } }
   };

export type ConsoleCampaignQueryVariables = Exact<{
  id: string | number;
  from: string;
  to: string;
}>;


export type ConsoleCampaignQuery = { campaign: { id: string, status: CampaignStatus, running: boolean, productSetId: string, startsAt: string, endsAt: string | null, createdAt: string, updatedAt: string, dailyBudget: { formatted: string, currency: string }, maxCpc: { formatted: string }, stats: Array<{ day: string, impressions: number, clicks: number, ctr: number | null, attributedOrders: number, roas: number | null, spend: { amount: string, formatted: string }, cpc: { formatted: string } | null, attributedRevenue: { amount: string, currency: string, formatted: string } }> } };

export type ConsoleCampaignSetQueryVariables = Exact<{
  id: string | number;
}>;


export type ConsoleCampaignSetQuery = { productSet: { id: string, name: string, members: { count: number, sample: Array<{ id: string, title: string }> } } };

export type ConsoleCampaignsQueryVariables = Exact<{
  after?: string | null | undefined;
  from: string;
  to: string;
}>;


export type ConsoleCampaignsQuery = { campaigns: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, status: CampaignStatus, running: boolean, startsAt: string, endsAt: string | null, productSet: { id: string, name: string } | null, dailyBudget: { amount: string, currency: string, formatted: string }, maxCpc: { formatted: string }, stats: Array<{ day: string, spend: { amount: string, currency: string } }> }> }, adsTerms: { currency: string, reserveCpc: { formatted: string } } };

export type ConsoleCreateCampaignMutationVariables = Exact<{
  input: CreateCampaignInput;
}>;


export type ConsoleCreateCampaignMutation = { createCampaign: { campaign: { id: string } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsolePauseCampaignMutationVariables = Exact<{
  input: CampaignIdInput;
}>;


export type ConsolePauseCampaignMutation = { pauseCampaign: { campaign: { id: string, status: CampaignStatus } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleResumeCampaignMutationVariables = Exact<{
  input: CampaignIdInput;
}>;


export type ConsoleResumeCampaignMutation = { resumeCampaign: { campaign: { id: string, status: CampaignStatus } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleEndCampaignMutationVariables = Exact<{
  input: CampaignIdInput;
}>;


export type ConsoleEndCampaignMutation = { endCampaign: { campaign: { id: string, status: CampaignStatus } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleCommissionProgramQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type ConsoleCommissionProgramQuery = { commissionProgram: { openRatePercent: string | null, rules: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, kind: CommissionRuleKind, ratePercent: string, itemGroupId: string | null, validFrom: string, product: { id: string, title: string } | null, category: { id: number | null, path: string | null } | null }> } } };

export type ConsoleSetCommissionRateMutationVariables = Exact<{
  input: SetCommissionRateInput;
}>;


export type ConsoleSetCommissionRateMutation = { setCommissionRate: { program: { openRatePercent: string | null } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleAffiliateReportQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type ConsoleAffiliateReportQuery = { affiliateReport: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, creatorHandle: string, title: string | null, clicks: number, orders: number, amounts: Array<{ revenue: { formatted: string }, commission: { formatted: string } }> }> } };

export type ConsoleProductCreativesQueryVariables = Exact<{
  id: string | number;
}>;


export type ConsoleProductCreativesQuery = { product: { id: string, title: string, creatives: Array<{ key: string, template: CreativeTemplate, url: string, width: number, height: number }> } | null };

export type ConsoleRenderCreativeMutationVariables = Exact<{
  input: RenderCreativeInput;
}>;


export type ConsoleRenderCreativeMutation = { renderCreative: { creative: { key: string, template: CreativeTemplate, url: string, width: number, height: number, reused: boolean } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleChannelExportsQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type ConsoleChannelExportsQuery = { channelExports: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, channel: ExportChannel, createdAt: string, tokenRotatedAt: string, productSet: { id: string, name: string } | null }> } };

export type ConsoleChannelExportQueryVariables = Exact<{
  id: string | number;
  after?: string | null | undefined;
}>;


export type ConsoleChannelExportQuery = { channelExport: { id: string, channel: ExportChannel, createdAt: string, tokenRotatedAt: string, checked: number, checkedAll: boolean, leftOut: number, productSet: { id: string, name: string } | null, byCheck: Array<{ check: ExportCheck, count: number }>, issues: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, offerId: string, check: ExportCheck, required: boolean, message: string, product: { id: string, title: string } | null }> } } };

export type ConsoleCreateChannelExportMutationVariables = Exact<{
  input: CreateChannelExportInput;
}>;


export type ConsoleCreateChannelExportMutation = { createChannelExport: { url: string | null, channelExport: { id: string, channel: ExportChannel } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleRotateChannelExportTokenMutationVariables = Exact<{
  input: RotateChannelExportTokenInput;
}>;


export type ConsoleRotateChannelExportTokenMutation = { rotateChannelExportToken: { url: string | null, channelExport: { id: string, channel: ExportChannel, tokenRotatedAt: string } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleDeleteChannelExportMutationVariables = Exact<{
  input: DeleteChannelExportInput;
}>;


export type ConsoleDeleteChannelExportMutation = { deleteChannelExport: { deletedChannelExportId: string | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleFeedQueryVariables = Exact<{
  id: string | number;
  runsAfter?: string | null | undefined;
  publicationsAfter?: string | null | undefined;
}>;


export type ConsoleFeedQuery = { feed: { id: string, name: string, source: FeedSource, format: FeedFormat, mode: FeedMode, url: string | null, schedule: string | null, nextFetchAt: string | null, defaultCurrency: string | null, storeUrl: string | null, language: string, autoPublish: boolean, maxRemovalShare: number, maxRejectedShare: number, suggestCategories: boolean, acceptCategorySuggestionsAbove: number | null, feedRules: { version: number, createdAt: string, rules: Array<{ ruleId: string, name: string, enabled: boolean }> } | null, liveVersion: { number: number } | null, runs: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, status: RunStatus, phase: RunPhase, trigger: RunTrigger, validateOnly: boolean, queuedAt: string, rowsRead: number, itemsAccepted: number, itemsRejected: number, errors: number, warnings: number, publishStatus: PublishStatus, sourceName: string | null }> }, versions: { nodes: Array<{ id: string, number: number, itemCount: number, isLive: boolean, createdAt: string, run: { id: string } | null }> }, publications: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, kind: PublicationKind, created: number, updated: number, unchanged: number, removed: number, publishedAt: string, version: { number: number } | null }> } } };

export type ConsoleRollbackMutationVariables = Exact<{
  input: RollbackFeedInput;
}>;


export type ConsoleRollbackMutation = { rollbackFeed: { publication: { id: string, created: number, updated: number, removed: number, version: { number: number } | null } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleFetchNowMutationVariables = Exact<{
  input: FetchFeedNowInput;
}>;


export type ConsoleFetchNowMutation = { fetchFeedNow: { run: { id: string } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleUpdateFeedCategoriesMutationVariables = Exact<{
  input: UpdateFeedInput;
}>;


export type ConsoleUpdateFeedCategoriesMutation = { updateFeed: { feed: { id: string, suggestCategories: boolean, acceptCategorySuggestionsAbove: number | null } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleSyncStoreMutationVariables = Exact<{
  input: SyncShopifyStoreInput;
}>;


export type ConsoleSyncStoreMutation = { syncShopifyStore: { run: { id: string } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleRuleLeafFragment = { attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null };

export type ConsoleRuleGroup1Fragment = { attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null };

export type ConsoleRuleGroup2Fragment = { attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null };

export type ConsoleRuleGroup3Fragment = { attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null }> | null };

export type ConsoleFeedRuleSetFragment = { version: number, createdAt: string, restoredFromVersion: number | null, rules: Array<{ ruleId: string, name: string, enabled: boolean, when: { attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null }> | null }> | null } | null, actions: Array<{ type: FeedRuleActionType, attribute: string | null, value: string | null, template: string | null, index: number | null, maxLength: number | null, pattern: string | null, replacement: string | null, targetAttribute: string | null, defaultValue: string | null, table: Array<{ from: string, to: string }> | null }> }> };

export type ConsoleFeedRulesQueryVariables = Exact<{
  id: string | number;
}>;


export type ConsoleFeedRulesQuery = { feed: { id: string, name: string, feedRules: { version: number, createdAt: string, restoredFromVersion: number | null, rules: Array<{ ruleId: string, name: string, enabled: boolean, when: { attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null }> | null }> | null } | null, actions: Array<{ type: FeedRuleActionType, attribute: string | null, value: string | null, template: string | null, index: number | null, maxLength: number | null, pattern: string | null, replacement: string | null, targetAttribute: string | null, defaultValue: string | null, table: Array<{ from: string, to: string }> | null }> }> } | null } };

export type ConsoleFeedRulesVersionQueryVariables = Exact<{
  id: string | number;
  version: number;
}>;


export type ConsoleFeedRulesVersionQuery = { feed: { id: string, feedRules: { version: number, createdAt: string, restoredFromVersion: number | null, rules: Array<{ ruleId: string, name: string, enabled: boolean, when: { attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null, all: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null, any: Array<{ attribute: string | null, operator: FeedRuleOperator | null, value: string | null, values: Array<string> | null }> | null }> | null }> | null }> | null } | null, actions: Array<{ type: FeedRuleActionType, attribute: string | null, value: string | null, template: string | null, index: number | null, maxLength: number | null, pattern: string | null, replacement: string | null, targetAttribute: string | null, defaultValue: string | null, table: Array<{ from: string, to: string }> | null }> }> } | null } };

export type ConsolePreviewFeedRulesQueryVariables = Exact<{
  feedId: string | number;
  rules: Array<FeedRuleInput> | FeedRuleInput;
}>;


export type ConsolePreviewFeedRulesQuery = { previewFeedRules: { itemsRead: number, truncated: boolean, itemsChanged: number, itemsExcluded: number, validBefore: number, validAfter: number, becameValid: number, becameInvalid: number, elapsedMs: number, problems: Array<{ code: FeedRuleErrorCode, field: Array<string>, message: string }>, rules: Array<{ ruleId: string, ruleName: string, itemsChanged: number, itemsExcluded: number }>, sample: Array<{ row: number, itemId: string | null, validBefore: boolean, validAfter: boolean, excludedBy: { ruleId: string, ruleName: string } | null, changes: Array<{ ruleId: string, ruleName: string, attribute: string, before: string | null, after: string | null }>, errorsAfter: Array<{ code: IssueCode, attribute: string | null, message: string }> }> } };

export type ConsoleSetFeedRulesMutationVariables = Exact<{
  input: SetFeedRulesInput;
}>;


export type ConsoleSetFeedRulesMutation = { setFeedRules: { feedRules: { version: number } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleFeedsQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type ConsoleFeedsQuery = { feeds: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, source: FeedSource, format: FeedFormat, defaultCurrency: string | null, updatedAt: string, liveVersion: { number: number, itemCount: number } | null, runs: { nodes: Array<{ id: string, status: RunStatus, publishStatus: PublishStatus }> } }> } };

export type ConsoleCreateFeedMutationVariables = Exact<{
  input: CreateFeedInput;
}>;


export type ConsoleCreateFeedMutation = { createFeed: { feed: { id: string } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleProductSetsQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type ConsoleProductSetsQuery = { productSets: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, updatedAt: string, members: { count: number, sample: Array<{ id: string, title: string }> } }> } };

export type ConsolePreviewProductSetQueryVariables = Exact<{
  rules: ProductSetRuleInput;
}>;


export type ConsolePreviewProductSetQuery = { previewProductSet: { count: number, sample: Array<{ id: string, title: string, price: { formatted: string, currency: string } | null }> } };

export type ConsoleCreateProductSetMutationVariables = Exact<{
  input: CreateProductSetInput;
}>;


export type ConsoleCreateProductSetMutation = { createProductSet: { productSet: { id: string } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleDeleteProductSetMutationVariables = Exact<{
  input: DeleteProductSetInput;
}>;


export type ConsoleDeleteProductSetMutation = { deleteProductSet: { userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleRunQueryVariables = Exact<{
  id: string | number;
}>;


export type ConsoleRunQuery = { ingestionRun: { id: string, status: RunStatus, phase: RunPhase, progress: number | null, trigger: RunTrigger, validateOnly: boolean, sourceName: string | null, queuedAt: string, finishedAt: string | null, rowsRead: number, rowsSkipped: number, itemsAccepted: number, itemsRejected: number, errors: number, warnings: number, imagesDone: number, imagesTotal: number, imagesFailed: number, imagesChecked: boolean, issuesStored: number, issuesCsvUrl: string, publishStatus: PublishStatus, publishBlockedReason: string | null, publishedAt: string | null, error: { code: RunErrorCode, message: string, hint: string } | null, diff: { created: number, updated: number, unchanged: number, removed: number } | null, version: { number: number, isLive: boolean } | null, feed: { id: string, name: string, maxRemovalShare: number, maxRejectedShare: number, liveVersion: { number: number, itemCount: number } | null }, issueSummary: Array<{ code: IssueCode, severity: IssueSeverity, attribute: string | null, count: number, sampleRows: Array<number> }> } };

export type ConsoleRunIssuesQueryVariables = Exact<{
  id: string | number;
  filter?: IssueFilterInput | null | undefined;
  after?: string | null | undefined;
}>;


export type ConsoleRunIssuesQuery = { ingestionRun: { id: string, issues: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, row: number, itemId: string | null, severity: IssueSeverity, code: IssueCode, attribute: string | null, value: string | null, message: string, hint: string } }> } } };

export type ConsolePublishMutationVariables = Exact<{
  input: PublishRunInput;
}>;


export type ConsolePublishMutation = { publishRun: { publication: { id: string, created: number, updated: number, unchanged: number, removed: number, leftOut: number, leftOutByReason: Array<{ reason: LeftOutReason, count: number }>, version: { number: number } | null } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleCancelRunMutationVariables = Exact<{
  input: CancelRunInput;
}>;


export type ConsoleCancelRunMutation = { cancelRun: { run: { id: string, status: RunStatus } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleShopifyStoresQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type ConsoleShopifyStoresQuery = { shopifyStores: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, shopDomain: string, apiVersion: string, lastSyncedAt: string | null, feed: { id: string, name: string } }> } };

export type ConsoleConnectShopifyMutationVariables = Exact<{
  input: ConnectShopifyStoreInput;
}>;


export type ConsoleConnectShopifyMutation = { connectShopifyStore: { shopifyStore: { id: string, feed: { id: string } } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleRunProgressSubscriptionVariables = Exact<{
  runId: string | number;
}>;


export type ConsoleRunProgressSubscription = { ingestionRunProgress: { id: string, status: RunStatus, phase: RunPhase, progress: number | null, rowsRead: number, itemsAccepted: number, itemsRejected: number, rowsSkipped: number, errors: number, warnings: number, imagesDone: number, imagesTotal: number, publishStatus: PublishStatus, publishBlockedReason: string | null, error: { code: RunErrorCode, message: string, hint: string } | null } };

export type ConsoleSetChoicesQueryVariables = Exact<{
  name?: string | null | undefined;
}>;


export type ConsoleSetChoicesQuery = { productSets: { totalCount: number, nodes: Array<{ id: string, name: string }> } };

export type ConsoleShareLinksQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type ConsoleShareLinksQuery = { shareLinks: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, code: string, url: string, channel: ShareChannel | null, createdAt: string, product: { id: string, title: string } | null }> } };

export type ConsoleShowcaseQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type ConsoleShowcaseQuery = { showcase: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, position: number, productId: string, product: { id: string, title: string, commissionRate: string | null, price: { formatted: string } | null } | null }> } };

export type ConsoleRemoveShowcaseItemMutationVariables = Exact<{
  input: RemoveShowcaseItemInput;
}>;


export type ConsoleRemoveShowcaseItemMutation = { removeShowcaseItem: { userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleMoveShowcaseItemMutationVariables = Exact<{
  input: PlaceShowcaseItemInput;
}>;


export type ConsoleMoveShowcaseItemMutation = { placeShowcaseItem: { item: { position: number } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleEarningsQueryVariables = Exact<{
  brandsAfter?: string | null | undefined;
  entriesAfter?: string | null | undefined;
}>;


export type ConsoleEarningsQuery = { earnings: { totals: Array<{ id: string, currency: string, pending: { formatted: string }, approved: { formatted: string }, paid: { formatted: string }, reversed: { formatted: string } }>, byBrand: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, brandName: string | null, currency: string, pending: { formatted: string }, approved: { formatted: string }, paid: { formatted: string } }> }, entries: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, kind: LedgerEntryKind, createdAt: string, brandName: string, orderId: string, ratePercent: string, toStatus: EarningStatus, amount: { formatted: string } }> } } };

export type ConsoleProductQueryVariables = Exact<{
  id: string | number;
}>;


export type ConsoleProductQuery = { product: { id: string, title: string, description: string, link: string | null, availability: Availability | null, availabilityDate: string | null, condition: Condition | null, color: string | null, size: string | null, material: string | null, pattern: string | null, commissionRate: string | null, price: { formatted: string } | null, salePrice: { formatted: string } | null, brand: { id: string, name: string }, category: { path: string | null } | null, shipping: Array<{ country: string, region: string | null, postalCode: string | null, locationGroupName: string | null, service: string | null, minHandlingTime: number | null, maxHandlingTime: number | null, minTransitTime: number | null, maxTransitTime: number | null, price: { amount: string, formatted: string } }>, tax: Array<{ country: string, region: string | null, postalCode: string | null, rate: number, taxShip: boolean }>, images: Array<{ role: ImageRole, url: string, width: number | null, height: number | null, placeholder: string | null, dominantColor: string | null, renditions: Array<{ size: number, width: number, format: RenditionFormat, url: string }> }>, variants: { totalCount: number, nodes: Array<{ id: string, title: string, color: string | null, size: string | null, availability: Availability | null, price: { formatted: string } | null }> } } | null };

export type ConsoleCommissionForQueryVariables = Exact<{
  productId: string | number;
}>;


export type ConsoleCommissionForQuery = { commissionFor: { ratePercent: string | null, reason: string } };

export type ConsoleCreateShareLinkMutationVariables = Exact<{
  input: CreateShareLinkInput;
}>;


export type ConsoleCreateShareLinkMutation = { createShareLink: { shareLink: { id: string, code: string, url: string, channel: ShareChannel | null } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsolePlaceShowcaseItemMutationVariables = Exact<{
  input: PlaceShowcaseItemInput;
}>;


export type ConsolePlaceShowcaseItemMutation = { placeShowcaseItem: { item: { position: number } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> | null }> } };

export type ConsoleSearchQueryVariables = Exact<{
  query?: string | null | undefined;
  filter?: ProductFilter | null | undefined;
  sort?: ProductSort | null | undefined;
  after?: string | null | undefined;
}>;


export type ConsoleSearchQuery = { products: { totalCount: number, totalCountExact: boolean, pageInfo: { hasNextPage: boolean, endCursor: string | null }, facets: { brand: Array<{ id: string, name: string, count: number }>, category: Array<{ path: string, count: number }>, availability: Array<{ value: Availability, count: number }>, color: Array<{ value: string, count: number }>, size: Array<{ value: string, count: number }>, price: Array<{ currency: string, min: string, max: string | null, count: number }> }, nodes: Array<{ id: string, title: string, commissionRate: string | null, availability: Availability | null, onSale: boolean, price: { formatted: string } | null, salePrice: { formatted: string } | null, brand: { name: string }, images: Array<{ role: ImageRole, url: string, width: number | null, height: number | null, placeholder: string | null, dominantColor: string | null, renditions: Array<{ size: number, width: number, format: RenditionFormat, url: string }> }> }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ConsoleRuleLeafFragmentDoc = new TypedDocumentString(`
    fragment ConsoleRuleLeaf on FeedRuleCondition {
  attribute
  operator
  value
  values
}
    `, {"fragmentName":"ConsoleRuleLeaf"}) as unknown as TypedDocumentString<ConsoleRuleLeafFragment, unknown>;
export const ConsoleRuleGroup1FragmentDoc = new TypedDocumentString(`
    fragment ConsoleRuleGroup1 on FeedRuleCondition {
  ...ConsoleRuleLeaf
  all {
    ...ConsoleRuleLeaf
  }
  any {
    ...ConsoleRuleLeaf
  }
}
    fragment ConsoleRuleLeaf on FeedRuleCondition {
  attribute
  operator
  value
  values
}`, {"fragmentName":"ConsoleRuleGroup1"}) as unknown as TypedDocumentString<ConsoleRuleGroup1Fragment, unknown>;
export const ConsoleRuleGroup2FragmentDoc = new TypedDocumentString(`
    fragment ConsoleRuleGroup2 on FeedRuleCondition {
  ...ConsoleRuleLeaf
  all {
    ...ConsoleRuleGroup1
  }
  any {
    ...ConsoleRuleGroup1
  }
}
    fragment ConsoleRuleLeaf on FeedRuleCondition {
  attribute
  operator
  value
  values
}
fragment ConsoleRuleGroup1 on FeedRuleCondition {
  ...ConsoleRuleLeaf
  all {
    ...ConsoleRuleLeaf
  }
  any {
    ...ConsoleRuleLeaf
  }
}`, {"fragmentName":"ConsoleRuleGroup2"}) as unknown as TypedDocumentString<ConsoleRuleGroup2Fragment, unknown>;
export const ConsoleRuleGroup3FragmentDoc = new TypedDocumentString(`
    fragment ConsoleRuleGroup3 on FeedRuleCondition {
  ...ConsoleRuleLeaf
  all {
    ...ConsoleRuleGroup2
  }
  any {
    ...ConsoleRuleGroup2
  }
}
    fragment ConsoleRuleLeaf on FeedRuleCondition {
  attribute
  operator
  value
  values
}
fragment ConsoleRuleGroup1 on FeedRuleCondition {
  ...ConsoleRuleLeaf
  all {
    ...ConsoleRuleLeaf
  }
  any {
    ...ConsoleRuleLeaf
  }
}
fragment ConsoleRuleGroup2 on FeedRuleCondition {
  ...ConsoleRuleLeaf
  all {
    ...ConsoleRuleGroup1
  }
  any {
    ...ConsoleRuleGroup1
  }
}`, {"fragmentName":"ConsoleRuleGroup3"}) as unknown as TypedDocumentString<ConsoleRuleGroup3Fragment, unknown>;
export const ConsoleFeedRuleSetFragmentDoc = new TypedDocumentString(`
    fragment ConsoleFeedRuleSet on FeedRuleSet {
  version
  createdAt
  restoredFromVersion
  rules {
    ruleId
    name
    enabled
    when {
      ...ConsoleRuleLeaf
      all {
        ...ConsoleRuleGroup3
      }
      any {
        ...ConsoleRuleGroup3
      }
    }
    actions {
      type
      attribute
      value
      template
      index
      maxLength
      pattern
      replacement
      targetAttribute
      defaultValue
      table {
        from
        to
      }
    }
  }
}
    fragment ConsoleRuleLeaf on FeedRuleCondition {
  attribute
  operator
  value
  values
}
fragment ConsoleRuleGroup1 on FeedRuleCondition {
  ...ConsoleRuleLeaf
  all {
    ...ConsoleRuleLeaf
  }
  any {
    ...ConsoleRuleLeaf
  }
}
fragment ConsoleRuleGroup2 on FeedRuleCondition {
  ...ConsoleRuleLeaf
  all {
    ...ConsoleRuleGroup1
  }
  any {
    ...ConsoleRuleGroup1
  }
}
fragment ConsoleRuleGroup3 on FeedRuleCondition {
  ...ConsoleRuleLeaf
  all {
    ...ConsoleRuleGroup2
  }
  any {
    ...ConsoleRuleGroup2
  }
}`, {"fragmentName":"ConsoleFeedRuleSet"}) as unknown as TypedDocumentString<ConsoleFeedRuleSetFragment, unknown>;
export const ConsoleRegisterBrandDocument = new TypedDocumentString(`
    mutation ConsoleRegisterBrand($input: RegisterBrandInput!) {
  registerBrand(input: $input) {
    apiKey
    brand {
      id
      name
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleRegisterBrandMutation, ConsoleRegisterBrandMutationVariables>;
export const ConsoleRegisterCreatorDocument = new TypedDocumentString(`
    mutation ConsoleRegisterCreator($input: RegisterCreatorInput!) {
  registerCreator(input: $input) {
    apiKey
    creator {
      id
      handle
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleRegisterCreatorMutation, ConsoleRegisterCreatorMutationVariables>;
export const ConsoleMeDocument = new TypedDocumentString(`
    query ConsoleMe {
  me {
    __typename
    ... on BrandPrincipal {
      brand {
        name
      }
    }
    ... on CreatorPrincipal {
      creator {
        handle
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleMeQuery, ConsoleMeQueryVariables>;
export const ConsoleCampaignDocument = new TypedDocumentString(`
    query ConsoleCampaign($id: ID!, $from: String!, $to: String!) {
  campaign(id: $id) {
    id
    status
    running
    productSetId
    startsAt
    endsAt
    createdAt
    updatedAt
    dailyBudget {
      formatted
      currency
    }
    maxCpc {
      formatted
    }
    stats(from: $from, to: $to) {
      day
      impressions
      clicks
      ctr
      spend {
        amount
        formatted
      }
      cpc {
        formatted
      }
      attributedOrders
      attributedRevenue {
        amount
        currency
        formatted
      }
      roas
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleCampaignQuery, ConsoleCampaignQueryVariables>;
export const ConsoleCampaignSetDocument = new TypedDocumentString(`
    query ConsoleCampaignSet($id: ID!) {
  productSet(id: $id) {
    id
    name
    members(sample: 12) {
      count
      sample {
        id
        title
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleCampaignSetQuery, ConsoleCampaignSetQueryVariables>;
export const ConsoleCampaignsDocument = new TypedDocumentString(`
    query ConsoleCampaigns($after: String, $from: String!, $to: String!) {
  campaigns(first: 20, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      status
      running
      productSet {
        id
        name
      }
      startsAt
      endsAt
      dailyBudget {
        amount
        currency
        formatted
      }
      maxCpc {
        formatted
      }
      stats(from: $from, to: $to) {
        day
        spend {
          amount
          currency
        }
      }
    }
  }
  adsTerms {
    currency
    reserveCpc {
      formatted
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleCampaignsQuery, ConsoleCampaignsQueryVariables>;
export const ConsoleCreateCampaignDocument = new TypedDocumentString(`
    mutation ConsoleCreateCampaign($input: CreateCampaignInput!) {
  createCampaign(input: $input) {
    campaign {
      id
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleCreateCampaignMutation, ConsoleCreateCampaignMutationVariables>;
export const ConsolePauseCampaignDocument = new TypedDocumentString(`
    mutation ConsolePauseCampaign($input: CampaignIdInput!) {
  pauseCampaign(input: $input) {
    campaign {
      id
      status
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsolePauseCampaignMutation, ConsolePauseCampaignMutationVariables>;
export const ConsoleResumeCampaignDocument = new TypedDocumentString(`
    mutation ConsoleResumeCampaign($input: CampaignIdInput!) {
  resumeCampaign(input: $input) {
    campaign {
      id
      status
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleResumeCampaignMutation, ConsoleResumeCampaignMutationVariables>;
export const ConsoleEndCampaignDocument = new TypedDocumentString(`
    mutation ConsoleEndCampaign($input: CampaignIdInput!) {
  endCampaign(input: $input) {
    campaign {
      id
      status
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleEndCampaignMutation, ConsoleEndCampaignMutationVariables>;
export const ConsoleCommissionProgramDocument = new TypedDocumentString(`
    query ConsoleCommissionProgram($after: String) {
  commissionProgram {
    openRatePercent
    rules(first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        kind
        ratePercent
        product {
          id
          title
        }
        itemGroupId
        validFrom
        category {
          id
          path
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleCommissionProgramQuery, ConsoleCommissionProgramQueryVariables>;
export const ConsoleSetCommissionRateDocument = new TypedDocumentString(`
    mutation ConsoleSetCommissionRate($input: SetCommissionRateInput!) {
  setCommissionRate(input: $input) {
    program {
      openRatePercent
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleSetCommissionRateMutation, ConsoleSetCommissionRateMutationVariables>;
export const ConsoleAffiliateReportDocument = new TypedDocumentString(`
    query ConsoleAffiliateReport($after: String) {
  affiliateReport(first: 50, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      creatorHandle
      title
      clicks
      orders
      amounts {
        revenue {
          formatted
        }
        commission {
          formatted
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleAffiliateReportQuery, ConsoleAffiliateReportQueryVariables>;
export const ConsoleProductCreativesDocument = new TypedDocumentString(`
    query ConsoleProductCreatives($id: ID!) {
  product(id: $id) {
    id
    title
    creatives {
      key
      template
      url
      width
      height
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleProductCreativesQuery, ConsoleProductCreativesQueryVariables>;
export const ConsoleRenderCreativeDocument = new TypedDocumentString(`
    mutation ConsoleRenderCreative($input: RenderCreativeInput!) {
  renderCreative(input: $input) {
    creative {
      key
      template
      url
      width
      height
      reused
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleRenderCreativeMutation, ConsoleRenderCreativeMutationVariables>;
export const ConsoleChannelExportsDocument = new TypedDocumentString(`
    query ConsoleChannelExports($after: String) {
  channelExports(first: 20, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      channel
      productSet {
        id
        name
      }
      createdAt
      tokenRotatedAt
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleChannelExportsQuery, ConsoleChannelExportsQueryVariables>;
export const ConsoleChannelExportDocument = new TypedDocumentString(`
    query ConsoleChannelExport($id: ID!, $after: String) {
  channelExport(id: $id) {
    id
    channel
    productSet {
      id
      name
    }
    createdAt
    tokenRotatedAt
    checked
    checkedAll
    leftOut
    byCheck {
      check
      count
    }
    issues(first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        offerId
        check
        required
        message
        product {
          id
          title
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleChannelExportQuery, ConsoleChannelExportQueryVariables>;
export const ConsoleCreateChannelExportDocument = new TypedDocumentString(`
    mutation ConsoleCreateChannelExport($input: CreateChannelExportInput!) {
  createChannelExport(input: $input) {
    channelExport {
      id
      channel
    }
    url
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleCreateChannelExportMutation, ConsoleCreateChannelExportMutationVariables>;
export const ConsoleRotateChannelExportTokenDocument = new TypedDocumentString(`
    mutation ConsoleRotateChannelExportToken($input: RotateChannelExportTokenInput!) {
  rotateChannelExportToken(input: $input) {
    channelExport {
      id
      channel
      tokenRotatedAt
    }
    url
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleRotateChannelExportTokenMutation, ConsoleRotateChannelExportTokenMutationVariables>;
export const ConsoleDeleteChannelExportDocument = new TypedDocumentString(`
    mutation ConsoleDeleteChannelExport($input: DeleteChannelExportInput!) {
  deleteChannelExport(input: $input) {
    deletedChannelExportId
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleDeleteChannelExportMutation, ConsoleDeleteChannelExportMutationVariables>;
export const ConsoleFeedDocument = new TypedDocumentString(`
    query ConsoleFeed($id: ID!, $runsAfter: String, $publicationsAfter: String) {
  feed(id: $id) {
    id
    name
    source
    format
    mode
    url
    schedule
    nextFetchAt
    defaultCurrency
    storeUrl
    language
    autoPublish
    maxRemovalShare
    maxRejectedShare
    suggestCategories
    acceptCategorySuggestionsAbove
    feedRules {
      version
      createdAt
      rules {
        ruleId
        name
        enabled
      }
    }
    liveVersion {
      number
    }
    runs(first: 20, after: $runsAfter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        status
        phase
        trigger
        validateOnly
        queuedAt
        rowsRead
        itemsAccepted
        itemsRejected
        errors
        warnings
        publishStatus
        sourceName
      }
    }
    versions(first: 20) {
      nodes {
        id
        number
        itemCount
        isLive
        createdAt
        run {
          id
        }
      }
    }
    publications(first: 10, after: $publicationsAfter) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        kind
        created
        updated
        unchanged
        removed
        publishedAt
        version {
          number
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleFeedQuery, ConsoleFeedQueryVariables>;
export const ConsoleRollbackDocument = new TypedDocumentString(`
    mutation ConsoleRollback($input: RollbackFeedInput!) {
  rollbackFeed(input: $input) {
    publication {
      id
      created
      updated
      removed
      version {
        number
      }
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleRollbackMutation, ConsoleRollbackMutationVariables>;
export const ConsoleFetchNowDocument = new TypedDocumentString(`
    mutation ConsoleFetchNow($input: FetchFeedNowInput!) {
  fetchFeedNow(input: $input) {
    run {
      id
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleFetchNowMutation, ConsoleFetchNowMutationVariables>;
export const ConsoleUpdateFeedCategoriesDocument = new TypedDocumentString(`
    mutation ConsoleUpdateFeedCategories($input: UpdateFeedInput!) {
  updateFeed(input: $input) {
    feed {
      id
      suggestCategories
      acceptCategorySuggestionsAbove
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleUpdateFeedCategoriesMutation, ConsoleUpdateFeedCategoriesMutationVariables>;
export const ConsoleSyncStoreDocument = new TypedDocumentString(`
    mutation ConsoleSyncStore($input: SyncShopifyStoreInput!) {
  syncShopifyStore(input: $input) {
    run {
      id
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleSyncStoreMutation, ConsoleSyncStoreMutationVariables>;
export const ConsoleFeedRulesDocument = new TypedDocumentString(`
    query ConsoleFeedRules($id: ID!) {
  feed(id: $id) {
    id
    name
    feedRules {
      ...ConsoleFeedRuleSet
    }
  }
}
    fragment ConsoleRuleLeaf on FeedRuleCondition {
  attribute
  operator
  value
  values
}
fragment ConsoleRuleGroup1 on FeedRuleCondition {
  ...ConsoleRuleLeaf
  all {
    ...ConsoleRuleLeaf
  }
  any {
    ...ConsoleRuleLeaf
  }
}
fragment ConsoleRuleGroup2 on FeedRuleCondition {
  ...ConsoleRuleLeaf
  all {
    ...ConsoleRuleGroup1
  }
  any {
    ...ConsoleRuleGroup1
  }
}
fragment ConsoleRuleGroup3 on FeedRuleCondition {
  ...ConsoleRuleLeaf
  all {
    ...ConsoleRuleGroup2
  }
  any {
    ...ConsoleRuleGroup2
  }
}
fragment ConsoleFeedRuleSet on FeedRuleSet {
  version
  createdAt
  restoredFromVersion
  rules {
    ruleId
    name
    enabled
    when {
      ...ConsoleRuleLeaf
      all {
        ...ConsoleRuleGroup3
      }
      any {
        ...ConsoleRuleGroup3
      }
    }
    actions {
      type
      attribute
      value
      template
      index
      maxLength
      pattern
      replacement
      targetAttribute
      defaultValue
      table {
        from
        to
      }
    }
  }
}`) as unknown as TypedDocumentString<ConsoleFeedRulesQuery, ConsoleFeedRulesQueryVariables>;
export const ConsoleFeedRulesVersionDocument = new TypedDocumentString(`
    query ConsoleFeedRulesVersion($id: ID!, $version: Int!) {
  feed(id: $id) {
    id
    feedRules(version: $version) {
      ...ConsoleFeedRuleSet
    }
  }
}
    fragment ConsoleRuleLeaf on FeedRuleCondition {
  attribute
  operator
  value
  values
}
fragment ConsoleRuleGroup1 on FeedRuleCondition {
  ...ConsoleRuleLeaf
  all {
    ...ConsoleRuleLeaf
  }
  any {
    ...ConsoleRuleLeaf
  }
}
fragment ConsoleRuleGroup2 on FeedRuleCondition {
  ...ConsoleRuleLeaf
  all {
    ...ConsoleRuleGroup1
  }
  any {
    ...ConsoleRuleGroup1
  }
}
fragment ConsoleRuleGroup3 on FeedRuleCondition {
  ...ConsoleRuleLeaf
  all {
    ...ConsoleRuleGroup2
  }
  any {
    ...ConsoleRuleGroup2
  }
}
fragment ConsoleFeedRuleSet on FeedRuleSet {
  version
  createdAt
  restoredFromVersion
  rules {
    ruleId
    name
    enabled
    when {
      ...ConsoleRuleLeaf
      all {
        ...ConsoleRuleGroup3
      }
      any {
        ...ConsoleRuleGroup3
      }
    }
    actions {
      type
      attribute
      value
      template
      index
      maxLength
      pattern
      replacement
      targetAttribute
      defaultValue
      table {
        from
        to
      }
    }
  }
}`) as unknown as TypedDocumentString<ConsoleFeedRulesVersionQuery, ConsoleFeedRulesVersionQueryVariables>;
export const ConsolePreviewFeedRulesDocument = new TypedDocumentString(`
    query ConsolePreviewFeedRules($feedId: ID!, $rules: [FeedRuleInput!]!) {
  previewFeedRules(feedId: $feedId, rules: $rules, sample: 10) {
    itemsRead
    truncated
    itemsChanged
    itemsExcluded
    validBefore
    validAfter
    becameValid
    becameInvalid
    elapsedMs
    problems {
      code
      field
      message
    }
    rules {
      ruleId
      ruleName
      itemsChanged
      itemsExcluded
    }
    sample {
      row
      itemId
      validBefore
      validAfter
      excludedBy {
        ruleId
        ruleName
      }
      changes {
        ruleId
        ruleName
        attribute
        before
        after
      }
      errorsAfter {
        code
        attribute
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsolePreviewFeedRulesQuery, ConsolePreviewFeedRulesQueryVariables>;
export const ConsoleSetFeedRulesDocument = new TypedDocumentString(`
    mutation ConsoleSetFeedRules($input: SetFeedRulesInput!) {
  setFeedRules(input: $input) {
    feedRules {
      version
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleSetFeedRulesMutation, ConsoleSetFeedRulesMutationVariables>;
export const ConsoleFeedsDocument = new TypedDocumentString(`
    query ConsoleFeeds($after: String) {
  feeds(first: 50, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      name
      source
      format
      defaultCurrency
      updatedAt
      liveVersion {
        number
        itemCount
      }
      runs(first: 1) {
        nodes {
          id
          status
          publishStatus
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleFeedsQuery, ConsoleFeedsQueryVariables>;
export const ConsoleCreateFeedDocument = new TypedDocumentString(`
    mutation ConsoleCreateFeed($input: CreateFeedInput!) {
  createFeed(input: $input) {
    feed {
      id
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleCreateFeedMutation, ConsoleCreateFeedMutationVariables>;
export const ConsoleProductSetsDocument = new TypedDocumentString(`
    query ConsoleProductSets($after: String) {
  productSets(first: 50, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      name
      updatedAt
      members(sample: 3) {
        count
        sample {
          id
          title
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleProductSetsQuery, ConsoleProductSetsQueryVariables>;
export const ConsolePreviewProductSetDocument = new TypedDocumentString(`
    query ConsolePreviewProductSet($rules: ProductSetRuleInput!) {
  previewProductSet(rules: $rules, sample: 8) {
    count
    sample {
      id
      title
      price {
        formatted
        currency
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsolePreviewProductSetQuery, ConsolePreviewProductSetQueryVariables>;
export const ConsoleCreateProductSetDocument = new TypedDocumentString(`
    mutation ConsoleCreateProductSet($input: CreateProductSetInput!) {
  createProductSet(input: $input) {
    productSet {
      id
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleCreateProductSetMutation, ConsoleCreateProductSetMutationVariables>;
export const ConsoleDeleteProductSetDocument = new TypedDocumentString(`
    mutation ConsoleDeleteProductSet($input: DeleteProductSetInput!) {
  deleteProductSet(input: $input) {
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleDeleteProductSetMutation, ConsoleDeleteProductSetMutationVariables>;
export const ConsoleRunDocument = new TypedDocumentString(`
    query ConsoleRun($id: ID!) {
  ingestionRun(id: $id) {
    id
    status
    phase
    progress
    trigger
    validateOnly
    sourceName
    queuedAt
    finishedAt
    rowsRead
    rowsSkipped
    itemsAccepted
    itemsRejected
    errors
    warnings
    imagesDone
    imagesTotal
    imagesFailed
    imagesChecked
    issuesStored
    issuesCsvUrl
    publishStatus
    publishBlockedReason
    publishedAt
    error {
      code
      message
      hint
    }
    diff {
      created
      updated
      unchanged
      removed
    }
    version {
      number
      isLive
    }
    feed {
      id
      name
      maxRemovalShare
      maxRejectedShare
      liveVersion {
        number
        itemCount
      }
    }
    issueSummary {
      code
      severity
      attribute
      count
      sampleRows
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleRunQuery, ConsoleRunQueryVariables>;
export const ConsoleRunIssuesDocument = new TypedDocumentString(`
    query ConsoleRunIssues($id: ID!, $filter: IssueFilterInput, $after: String) {
  ingestionRun(id: $id) {
    id
    issues(filter: $filter, first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          row
          itemId
          severity
          code
          attribute
          value
          message
          hint
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleRunIssuesQuery, ConsoleRunIssuesQueryVariables>;
export const ConsolePublishDocument = new TypedDocumentString(`
    mutation ConsolePublish($input: PublishRunInput!) {
  publishRun(input: $input) {
    publication {
      id
      created
      updated
      unchanged
      removed
      leftOut
      leftOutByReason {
        reason
        count
      }
      version {
        number
      }
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsolePublishMutation, ConsolePublishMutationVariables>;
export const ConsoleCancelRunDocument = new TypedDocumentString(`
    mutation ConsoleCancelRun($input: CancelRunInput!) {
  cancelRun(input: $input) {
    run {
      id
      status
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleCancelRunMutation, ConsoleCancelRunMutationVariables>;
export const ConsoleShopifyStoresDocument = new TypedDocumentString(`
    query ConsoleShopifyStores($after: String) {
  shopifyStores(first: 50, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      shopDomain
      apiVersion
      lastSyncedAt
      feed {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleShopifyStoresQuery, ConsoleShopifyStoresQueryVariables>;
export const ConsoleConnectShopifyDocument = new TypedDocumentString(`
    mutation ConsoleConnectShopify($input: ConnectShopifyStoreInput!) {
  connectShopifyStore(input: $input) {
    shopifyStore {
      id
      feed {
        id
      }
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleConnectShopifyMutation, ConsoleConnectShopifyMutationVariables>;
export const ConsoleRunProgressDocument = new TypedDocumentString(`
    subscription ConsoleRunProgress($runId: ID!) {
  ingestionRunProgress(runId: $runId) {
    id
    status
    phase
    progress
    rowsRead
    itemsAccepted
    itemsRejected
    rowsSkipped
    errors
    warnings
    imagesDone
    imagesTotal
    publishStatus
    publishBlockedReason
    error {
      code
      message
      hint
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleRunProgressSubscription, ConsoleRunProgressSubscriptionVariables>;
export const ConsoleSetChoicesDocument = new TypedDocumentString(`
    query ConsoleSetChoices($name: String) {
  productSets(first: 50, nameContains: $name) {
    totalCount
    nodes {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleSetChoicesQuery, ConsoleSetChoicesQueryVariables>;
export const ConsoleShareLinksDocument = new TypedDocumentString(`
    query ConsoleShareLinks($after: String) {
  shareLinks(first: 50, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      code
      url
      channel
      createdAt
      product {
        id
        title
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleShareLinksQuery, ConsoleShareLinksQueryVariables>;
export const ConsoleShowcaseDocument = new TypedDocumentString(`
    query ConsoleShowcase($after: String) {
  showcase(first: 50, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      position
      productId
      product {
        id
        title
        commissionRate
        price {
          formatted
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleShowcaseQuery, ConsoleShowcaseQueryVariables>;
export const ConsoleRemoveShowcaseItemDocument = new TypedDocumentString(`
    mutation ConsoleRemoveShowcaseItem($input: RemoveShowcaseItemInput!) {
  removeShowcaseItem(input: $input) {
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleRemoveShowcaseItemMutation, ConsoleRemoveShowcaseItemMutationVariables>;
export const ConsoleMoveShowcaseItemDocument = new TypedDocumentString(`
    mutation ConsoleMoveShowcaseItem($input: PlaceShowcaseItemInput!) {
  placeShowcaseItem(input: $input) {
    item {
      position
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleMoveShowcaseItemMutation, ConsoleMoveShowcaseItemMutationVariables>;
export const ConsoleEarningsDocument = new TypedDocumentString(`
    query ConsoleEarnings($brandsAfter: String, $entriesAfter: String) {
  earnings {
    totals {
      id
      currency
      pending {
        formatted
      }
      approved {
        formatted
      }
      paid {
        formatted
      }
      reversed {
        formatted
      }
    }
    byBrand(first: 20, after: $brandsAfter) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        brandName
        currency
        pending {
          formatted
        }
        approved {
          formatted
        }
        paid {
          formatted
        }
      }
    }
    entries(first: 50, after: $entriesAfter) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        kind
        createdAt
        brandName
        orderId
        ratePercent
        toStatus
        amount {
          formatted
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleEarningsQuery, ConsoleEarningsQueryVariables>;
export const ConsoleProductDocument = new TypedDocumentString(`
    query ConsoleProduct($id: ID!) {
  product(id: $id) {
    id
    title
    description
    link
    availability
    availabilityDate
    condition
    color
    size
    material
    pattern
    commissionRate
    price {
      formatted
    }
    salePrice {
      formatted
    }
    brand {
      id
      name
    }
    category {
      path
    }
    shipping {
      country
      region
      postalCode
      locationGroupName
      service
      price {
        amount
        formatted
      }
      minHandlingTime
      maxHandlingTime
      minTransitTime
      maxTransitTime
    }
    tax {
      country
      region
      postalCode
      rate
      taxShip
    }
    images {
      role
      url
      width
      height
      placeholder
      dominantColor
      renditions {
        size
        width
        format
        url
      }
    }
    variants(first: 100) {
      totalCount
      nodes {
        id
        title
        color
        size
        availability
        price {
          formatted
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleProductQuery, ConsoleProductQueryVariables>;
export const ConsoleCommissionForDocument = new TypedDocumentString(`
    query ConsoleCommissionFor($productId: ID!) {
  commissionFor(productId: $productId) {
    ratePercent
    reason
  }
}
    `) as unknown as TypedDocumentString<ConsoleCommissionForQuery, ConsoleCommissionForQueryVariables>;
export const ConsoleCreateShareLinkDocument = new TypedDocumentString(`
    mutation ConsoleCreateShareLink($input: CreateShareLinkInput!) {
  createShareLink(input: $input) {
    shareLink {
      id
      code
      url
      channel
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleCreateShareLinkMutation, ConsoleCreateShareLinkMutationVariables>;
export const ConsolePlaceShowcaseItemDocument = new TypedDocumentString(`
    mutation ConsolePlaceShowcaseItem($input: PlaceShowcaseItemInput!) {
  placeShowcaseItem(input: $input) {
    item {
      position
    }
    userErrors {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<ConsolePlaceShowcaseItemMutation, ConsolePlaceShowcaseItemMutationVariables>;
export const ConsoleSearchDocument = new TypedDocumentString(`
    query ConsoleSearch($query: String, $filter: ProductFilter, $sort: ProductSort, $after: String) {
  products(query: $query, filter: $filter, sort: $sort, first: 24, after: $after) {
    totalCount
    totalCountExact
    pageInfo {
      hasNextPage
      endCursor
    }
    facets {
      brand {
        id
        name
        count
      }
      category {
        path
        count
      }
      availability {
        value
        count
      }
      color {
        value
        count
      }
      size {
        value
        count
      }
      price {
        currency
        min
        max
        count
      }
    }
    nodes {
      id
      title
      commissionRate
      availability
      onSale
      price {
        formatted
      }
      salePrice {
        formatted
      }
      brand {
        name
      }
      images {
        role
        url
        width
        height
        placeholder
        dominantColor
        renditions {
          size
          width
          format
          url
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleSearchQuery, ConsoleSearchQueryVariables>;