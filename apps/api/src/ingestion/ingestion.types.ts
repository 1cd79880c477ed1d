import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GlobalIdField, Node } from '../graphql/node.js';
import {
  FEED_MODES,
  ISSUE_SEVERITIES,
  type FeedMode as FeedModeValue,
  type IssueSeverity as IssueSeverityValue,
} from '@brandshelf/catalog-rules';
import {
  FEED_DIALECTS,
  FEED_FORMAT_SETTINGS,
  FEED_FORMATS,
  type FeedDialect as FeedDialectValue,
  type FeedFormat as FeedFormatValue,
  type FeedFormatSetting,
} from '@brandshelf/feeds';
import {
  FEED_SOURCES,
  RUN_PHASES,
  RUN_SKIP_REASONS,
  RUN_STATUSES,
  RUN_TRIGGERS,
  type FeedSource as FeedSourceValue,
  type RunSkipReason,
  type RunPhase as RunPhaseValue,
  type RunStatus as RunStatusValue,
  type RunTrigger as RunTriggerValue,
  type FeedEntity,
  type IngestionRunEntity,
} from '@brandshelf/ingestion';
import { PageInfo, connectionType } from '../graphql/connection.js';
import { MutationPayload } from '../graphql/user-error.js';
import { enumOf } from '../graphql/enum-of.js';
import { cost } from '../graphql/query-limits.js';
import { GraphQLBigInt } from '../graphql/scalars.js';
import { IssueCode, RunErrorCode } from './codes.types.js';

export const FeedSource = enumOf(FEED_SOURCES);
export type FeedSource = FeedSourceValue;
export const FeedFormat = enumOf(FEED_FORMAT_SETTINGS);
export type FeedFormat = FeedFormatSetting;
export const FeedMode = enumOf(FEED_MODES);
export type FeedMode = FeedModeValue;
export const RunStatus = enumOf(RUN_STATUSES);
export type RunStatus = RunStatusValue;
export const RunPhase = enumOf(RUN_PHASES);
export type RunPhase = RunPhaseValue;
export const RunTrigger = enumOf(RUN_TRIGGERS);
export type RunTrigger = RunTriggerValue;
export const DetectedFormat = enumOf(FEED_FORMATS);
export type DetectedFormat = FeedFormatValue;
export const FeedDialect = enumOf(FEED_DIALECTS);
export type FeedDialect = FeedDialectValue;
export const IssueSeverity = enumOf(ISSUE_SEVERITIES);
export type IssueSeverity = IssueSeverityValue;
registerEnumType(FeedSource, {
  name: 'FeedSource',
  description: 'Where a feed gets its files; a feed keeps its source for life.',
  valuesMap: {
    UPLOAD: { description: 'Files are posted to POST /feeds/:feedId/uploads (or with the CLI).' },
    URL: { description: "The feed's url is fetched by fetchFeedNow or on its schedule." },
    SHOPIFY: { description: 'Synced from a connected Shopify store; created by connectShopifyStore, not createFeed.' },
  },
});
registerEnumType(FeedFormat, {
  name: 'FeedFormat',
  description: 'How a feed file is read. Any value but AUTO must agree with the content, else FORMAT_MISMATCH.',
  valuesMap: {
    AUTO: { description: 'Sniffed from the content (never the file name).' },
    CSV: { description: 'Delimited text; the delimiter (comma, tab, semicolon, pipe, tilde) is sniffed.' },
    TSV: { description: 'Tab-separated text.' },
    XML: { description: 'Google Merchant RSS 2.0 or Atom 1.0, or a custom dialect (see xmlItemElement).' },
  },
});
registerEnumType(FeedMode, {
  name: 'FeedMode',
  description: 'What a publish of the feed does to the live catalog.',
  valuesMap: {
    REPLACE: {
      description: 'The feed is the whole catalog of that feed: products absent from it are removed on publish.',
    },
    UPDATE_ONLY: {
      description:
        "A supplemental feed: overlays the attributes it carries on the brand's existing products; never creates or removes any.",
    },
  },
});
registerEnumType(RunStatus, {
  name: 'RunStatus',
  description: 'Where a run is in its life: QUEUED → RUNNING → SUCCEEDED, FAILED or CANCELLED.',
  valuesMap: {
    QUEUED: { description: 'Waiting for a worker.' },
    RUNNING: { description: 'A worker is on it; phase says where (IMAGES until its last image is done).' },
    SUCCEEDED: { description: 'Read to the end; rejected items do not change that (see itemsRejected and issues).' },
    FAILED: { description: 'Stopped by an error (see error); nothing of it is published.' },
    CANCELLED: { description: 'Stopped by cancelRun; nothing of it is published.' },
  },
});
registerEnumType(RunPhase, {
  name: 'RunPhase',
  description: 'The step a run is at; status says whether it is still going.',
  valuesMap: {
    QUEUED: { description: 'Not started yet.' },
    FETCHING: { description: "Downloading a URL feed's file, or opening a Shopify store for reading." },
    READING: { description: 'Reading and validating rows; accepted items are staged as they are read.' },
    COMPARING: { description: "Comparing the staged items with the feed's current version and writing the new one." },
    IMAGES: { description: 'Fetching and processing the images of the new version (see imagesTotal/imagesDone).' },
    DONE: { description: 'Finished; status says how.' },
  },
});
registerEnumType(RunTrigger, {
  name: 'RunTrigger',
  description: 'What started a run.',
  valuesMap: {
    UPLOAD: { description: 'A file posted to POST /feeds/:feedId/uploads.' },
    FETCH: { description: "fetchFeedNow fetched a URL feed's file." },
    SCHEDULE: { description: "The feed's schedule fetched its URL, or synced its Shopify store." },
    CLI: { description: 'The CLI in local mode (no server), reading a file from disk.' },
    SYNC: { description: 'A Shopify store sync started by syncShopifyStore or a webhook.' },
    SALE_WINDOW: {
      description:
        "A sale of the feed's live version started or ended (its sale_price_effective_date): the scheduler read that version's file again to apply it.",
    },
  },
});
registerEnumType(DetectedFormat, {
  name: 'DetectedFormat',
  description: 'The format a run read its file as (the feed format setting without AUTO).',
  valuesMap: {
    CSV: { description: 'Delimited text; the run says which delimiter.' },
    TSV: { description: 'Tab-separated text.' },
    XML: { description: 'XML: Google Merchant RSS 2.0 or Atom 1.0, or a custom dialect.' },
  },
});
registerEnumType(FeedDialect, {
  name: 'FeedDialect',
  description: 'The kind of export a run recognized in its file, which decides how its columns or elements are read.',
  valuesMap: {
    GENERIC: { description: 'A CSV in Google Merchant Center columns (or any other, mapped by header).' },
    SHOPIFY: { description: 'A Shopify products export (CSV).' },
    META: { description: 'A Meta (Facebook/Instagram) catalog CSV.' },
    WOOCOMMERCE: { description: 'A WooCommerce products export (CSV).' },
    WIX: { description: 'A Wix products export (CSV).' },
    VENDURE: { description: 'A Vendure products import/export CSV.' },
    MEDUSA: { description: 'A Medusa (v1 or v2) products export (CSV).' },
    GOOGLE_RSS: { description: 'A Google Merchant RSS 2.0 feed.' },
    GOOGLE_ATOM: { description: 'A Google Merchant Atom 1.0 feed.' },
    CUSTOM_XML: { description: 'Any other XML: one element per item (xmlItemElement, else detected).' },
  },
});
registerEnumType(IssueSeverity, {
  name: 'IssueSeverity',
  description: 'How much an issue matters.',
  valuesMap: {
    ERROR: { description: 'The item is rejected and will not be published.' },
    WARNING: { description: 'The item is accepted; the issue is still worth fixing.' },
  },
});

@ObjectType({ description: 'One column (or XML element) of a feed and the attribute it is read as.' })
export class ColumnMapping {
  @Field({ description: 'Header (CSV) or element name (XML) in the feed.' }) column: string;
  @Field({ description: 'Merchant Center attribute (e.g. image_link) or custom:<name>.' }) attribute: string;
}

@InputType({ description: 'Reads one column of the feed as a given attribute, whatever its header says.' })
export class ColumnMappingInput {
  @Field({ description: 'Header (CSV) or element name (XML) as it appears in the feed; must not be empty.' })
  column: string;
  @Field({
    description:
      'Merchant Center attribute name (e.g. image_link, price, gtin) or custom:<name>; BAD_USER_INPUT otherwise.',
  })
  attribute: string;
}

@InputType({ description: 'HTTP basic-auth credentials for fetching a URL feed.' })
export class BasicAuthInput {
  @Field({ description: 'User name sent with every fetch of the feed.' }) username: string;
  @Field({ description: 'Password; stored encrypted with SECRET_KEY and never returned.' }) password: string;
}

@InputType({ description: 'A new feed. Only name is required.' })
export class CreateFeedInput {
  @Field({ description: 'Display name, 1 to 120 characters (trimmed).' }) name: string;
  @Field(() => FeedSource, {
    defaultValue: FeedSource.UPLOAD,
    description: 'UPLOAD or URL (fixed for the life of the feed); SHOPIFY feeds come from connectShopifyStore.',
  })
  source: FeedSource;
  @Field(() => FeedFormat, { defaultValue: FeedFormat.AUTO, description: 'How files are read; AUTO sniffs.' })
  format: FeedFormat;
  @Field(() => String, {
    nullable: true,
    description:
      'Required for URL feeds, refused for others: an http(s) URL of at most 2000 characters, without credentials (use basicAuth), fetched through the SSRF guard.',
  })
  url?: string | null;
  @Field(() => BasicAuthInput, {
    nullable: true,
    description: 'URL feeds: credentials sent with every fetch. Stored encrypted; never returned.',
  })
  basicAuth?: BasicAuthInput | null;
  @Field(() => FeedMode, { defaultValue: FeedMode.REPLACE, description: 'What a publish does to the live catalog.' })
  mode: FeedMode;
  @Field(() => String, {
    nullable: true,
    description:
      'ISO 4217 code for prices written without one and for shared symbols such as $ (see the README); none by default.',
  })
  defaultCurrency?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'ISO 639-1 code of the catalog text (default en): picks `name:en`-style columns and search stemming.',
  })
  language?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Store base URL (https://shop.example.com): builds `link` for exports that have none.',
  })
  storeUrl?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Template for `link` when a row has none, e.g. "{store}/products/{handle}"; default per platform.',
  })
  linkTemplate?: string | null;
  @Field(() => [ColumnMappingInput], { nullable: true, description: 'Overrides header recognition per column.' })
  columnMapping?: ColumnMappingInput[] | null;
  @Field(() => String, {
    nullable: true,
    description: 'Element wrapping one item in a custom XML dialect (e.g. product); detected when omitted.',
  })
  xmlItemElement?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'URL feeds only: hourly, daily, weekly or "every <n>m|h|d", between 1 minute and 31 days.',
  })
  schedule?: string | null;
  @Field({ defaultValue: false, description: 'Publish each successful run automatically, within the safety limits.' })
  autoPublish: boolean;
  @Field(() => Float, {
    nullable: true,
    description: 'Auto-publish waits when it would remove more than this share of live products (default 0.2).',
  })
  maxRemovalShare?: number | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'Auto-publish waits when the run rejected more than this share of rows, skipped rows not counted (default 0.2).',
  })
  maxRejectedShare?: number | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      'Suggest a Google product category (a GOOGLE_PRODUCT_CATEGORY_SUGGESTED warning with id, path and confidence) for items without a usable google_product_category; default false.',
  })
  suggestCategories?: boolean | null;
  @Field(() => Float, {
    nullable: true,
    description:
      "Confidence, 0 to 1, above which a suggested category becomes the item's google_product_category (implies suggestCategories); null (default) applies none.",
  })
  acceptCategorySuggestionsAbove?: number | null;
}

@InputType({
  description:
    'Changes to a feed: an omitted field is left as it is. For name, format, mode, language, autoPublish, suggestCategories and the shares null also leaves it; for the other fields null clears the setting.',
})
export class UpdateFeedInput {
  @Field(() => ID, { description: "Feed.id of the feed to change; NOT_FOUND unless it is one of the brand's." })
  feedId: string;
  @Field(() => String, { nullable: true, description: 'New display name, 1 to 120 characters.' })
  name?: string | null;
  @Field(() => FeedFormat, { nullable: true, description: 'How the next files are read.' })
  format?: FeedFormat | null;
  @Field(() => String, {
    nullable: true,
    description:
      'URL feeds: the new http(s) URL (at most 2000 characters, no credentials); a URL feed cannot clear it.',
  })
  url?: string | null;
  @Field(() => BasicAuthInput, {
    nullable: true,
    description: 'URL feeds: new credentials, stored encrypted; null stops sending any.',
  })
  basicAuth?: BasicAuthInput | null;
  @Field(() => FeedMode, { nullable: true, description: 'What the next publishes do to the live catalog.' })
  mode?: FeedMode | null;
  @Field(() => String, {
    nullable: true,
    description: 'ISO 4217 code for prices written without one; null clears it.',
  })
  defaultCurrency?: string | null;
  @Field(() => String, {
    nullable: true,
    description: "ISO 639-1 code of the catalog text; live products are re-indexed in it at the feed's next publish.",
  })
  language?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Store base URL used by {store} in linkTemplate (a bare host is taken as https); null clears it.',
  })
  storeUrl?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'Template for `link` when a row has none (at most 500 characters); null restores the platform default.',
  })
  linkTemplate?: string | null;
  @Field(() => [ColumnMappingInput], {
    nullable: true,
    description: 'Replaces the whole column mapping; null or [] removes it.',
  })
  columnMapping?: ColumnMappingInput[] | null;
  @Field(() => String, {
    nullable: true,
    description: 'Element wrapping one item in a custom XML dialect; null returns to detection.',
  })
  xmlItemElement?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'URL feeds: hourly, daily, weekly or "every <n>m|h|d" (1 minute to 31 days); null stops scheduled fetches.',
  })
  schedule?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'Publish each successful run automatically, within the limits.',
  })
  autoPublish?: boolean | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Share of live products, 0 to 1, an auto-publish may remove before it waits for a person.',
  })
  maxRemovalShare?: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Share of rows, 0 to 1, a run may reject (skipped rows not counted) before auto-publish waits.',
  })
  maxRejectedShare?: number | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'Suggest Google product categories for items without a usable google_product_category.',
  })
  suggestCategories?: boolean | null;
  @Field(() => Float, {
    nullable: true,
    description:
      "Confidence, 0 to 1, above which a suggested category becomes the item's google_product_category; null applies none.",
  })
  acceptCategorySuggestionsAbove?: number | null;
}

@ObjectType({
  description: "A source of a brand's products: uploaded files, a URL or a Shopify store, and its settings.",
  implements: () => [Node],
})
export class Feed {
  @GlobalIdField('Feed', { description: 'Global id of the feed (also in /feeds/:feedId/uploads).' }) id: string;
  @Field({ description: 'Display name.' }) name: string;
  @Field(() => FeedSource, { description: 'Where its files come from; fixed for the life of the feed.' })
  source: FeedSource;
  @Field(() => FeedFormat, { description: 'How its files are read.' }) format: FeedFormat;
  @Field(() => String, { nullable: true, description: 'The URL fetched; null unless source is URL.' })
  url: string | null;
  @Field({ description: 'Whether fetches send basic-auth credentials (the password is never returned).' })
  hasBasicAuth: boolean;
  @Field(() => FeedMode, { description: 'What a publish does to the live catalog.' }) mode: FeedMode;
  @Field(() => String, {
    nullable: true,
    description: 'ISO 4217 code for prices written without one (a Shopify store: its shop currency); null if unset.',
  })
  defaultCurrency: string | null;
  @Field({ description: 'ISO 639-1 code of the catalog text (default en): language columns and search stemming.' })
  language: string;
  @Field(() => String, {
    nullable: true,
    description: 'Store base URL for {store} in the link template, without a trailing slash; null if unset.',
  })
  storeUrl: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Template for `link` when a row has none; null means the platform default.',
  })
  linkTemplate: string | null;
  @Field(() => [ColumnMapping], { description: 'Columns read as a given attribute whatever their header; [] if none.' })
  columnMapping: ColumnMapping[];
  @Field(() => String, {
    nullable: true,
    description: 'Element wrapping one item in a custom XML dialect; null means detected.',
  })
  xmlItemElement: string | null;
  @Field(() => String, { nullable: true, description: 'Fetch interval of a URL feed as given; null when unscheduled.' })
  schedule: string | null;
  @Field(() => Date, { nullable: true, description: 'When the schedule fetches next; null when unscheduled.' })
  nextFetchAt: Date | null;
  @Field({
    description: 'Whether each successful run is published automatically, within maxRemovalShare and maxRejectedShare.',
  })
  autoPublish: boolean;
  @Field(() => Float, {
    description:
      'Share of live products (0 to 1, default 0.2) an auto-publish may remove before it waits for a person.',
  })
  maxRemovalShare: number;
  @Field(() => Float, {
    description: 'Share of rows (0 to 1, default 0.2) a run may reject before its auto-publish waits for a person.',
  })
  maxRejectedShare: number;
  @Field({
    description:
      'Whether items without a usable google_product_category get a suggested one (GOOGLE_PRODUCT_CATEGORY_SUGGESTED warning); also true in effect when acceptCategorySuggestionsAbove is set.',
  })
  suggestCategories: boolean;
  @Field(() => Float, {
    nullable: true,
    description:
      "Confidence (0 to 1) above which a suggested category becomes the item's google_product_category; null: none is applied.",
  })
  acceptCategorySuggestionsAbove: number | null;
  @Field({ description: 'When the feed was created.' }) createdAt: Date;
  @Field({ description: 'When the feed last changed: its settings, live version or fetch state.' }) updatedAt: Date;
}

export const RowSkipReason = enumOf(RUN_SKIP_REASONS);
export type RowSkipReason = RunSkipReason;
registerEnumType(RowSkipReason, {
  name: 'RowSkipReason',
  description: 'Why a row read from the feed is no item of its own.',
  valuesMap: {
    INACTIVE: {
      description:
        'Not sold by the shop (draft, archived, unpublished, hidden); an INACTIVE_PRODUCT_SKIPPED warning names it.',
    },
    IMAGE_ONLY_ROW: {
      description: 'A continuation row with no variant of its own (Shopify): its image joins its product.',
    },
    VARIANT_PARENT: {
      description: 'A product row whose variant rows are the items (WooCommerce variable, Wix product with variants).',
    },
    GROUPED_PRODUCT: { description: 'A page listing other products, each a row of its own (WooCommerce grouped).' },
    EXCLUDED_BY_RULE: {
      description:
        "An item a feed rule's EXCLUDE action left out on purpose (IngestionRun.excludedByRule names the rule).",
    },
  },
});

@ObjectType({ description: 'How many rows of a run were skipped for one reason.' })
export class RowSkipCount {
  @Field(() => RowSkipReason, { description: 'Why the rows are no item of their own.' }) reason: RowSkipReason;
  @Field(() => Int, { description: 'Rows skipped for this reason.' }) count: number;
}

@ObjectType({ description: 'Why a run failed as a whole (row-level problems are issues instead).' })
export class RunError {
  @Field(() => RunErrorCode, {
    description:
      'Stable code, e.g. EMPTY_FEED, FORMAT_MISMATCH (the feed’s declared format contradicts the file), TRUNCATED_GZIP, XML_MALFORMED, FETCH_HTTP_ERROR.',
  })
  code: RunErrorCode;
  @Field({ description: 'What went wrong, for a person.' }) message: string;
  @Field({ description: 'What to do about it; may be empty.' }) hint: string;
}

@ObjectType({ description: 'What publishing this run would change, compared with the feed’s current version.' })
export class RunDiff {
  @Field(() => Int, { description: 'Items not in the current version.' }) created: number;
  @Field(() => Int, { description: 'Items in the current version whose content changed.' }) updated: number;
  @Field(() => Int, { description: 'Items identical to the current version.' }) unchanged: number;
  @Field(() => Int, { description: 'Items of the current version this run does not have (0 for UPDATE_ONLY feeds).' })
  removed: number;
}

@ObjectType({ description: 'One kind of issue of a run: a code on an attribute, and how often it occurred.' })
export class IssueSummary {
  @Field(() => IssueCode, { description: 'Stable issue code, e.g. MISSING_REQUIRED, INVALID_GTIN.' }) code: IssueCode;
  @Field(() => IssueSeverity, { description: 'Whether it rejects the item.' }) severity: IssueSeverity;
  @Field(() => String, {
    nullable: true,
    description: 'The attribute concerned; null for issues of a whole row or file.',
  })
  attribute: string | null;
  @Field(() => Int, { description: 'Occurrences, all counted even beyond the stored issues.' }) count: number;
  @Field(() => [Int], { description: 'Up to 5 rows where it happens.' }) sampleRows: number[];
}

@ObjectType({
  description: 'One problem found in a feed row: what, where, and how to fix it.',
  implements: () => [Node],
})
export class RunIssue {
  @GlobalIdField('RunIssue', { description: 'Global id of the stored issue.' }) id: string;
  @Field(() => IssueSeverity, { description: 'ERROR rejects the item; WARNING accepts it.' }) severity: IssueSeverity;
  @Field(() => IssueCode, { description: 'Stable issue code, e.g. MISSING_REQUIRED, INVALID_GTIN, IMAGE_UNREACHABLE.' })
  code: IssueCode;
  @Field(() => String, { nullable: true, description: 'The attribute concerned; null for a whole row or the file.' })
  attribute: string | null;
  @Field(() => Int, { description: 'CSV line number, XML item index, 0 for the file.' }) row: number;
  @Field(() => String, { nullable: true, description: "The item's id from the feed; null when the row has none." })
  itemId: string | null;
  @Field(() => String, { nullable: true, description: 'The offending value, truncated.' }) value: string | null;
  @Field({ description: 'What is wrong, for a person.' }) message: string;
  @Field({ description: 'How to fix it.' }) hint: string;
}

@ObjectType({ description: 'An issue with its cursor.' })
export class RunIssueEdge {
  @Field(() => RunIssue, { description: 'The issue.' }) node: RunIssue;
  @Field({ description: 'Opaque keyset cursor: pass it as `after` to continue after this issue.' }) cursor: string;
}

@ObjectType({ description: "A page of a run's stored issues, by row." })
export class RunIssueConnection {
  @Field(() => [RunIssueEdge], { description: 'The issues of this page with their cursors.', complexity: cost.row() })
  edges: RunIssueEdge[];
  @Field(() => [RunIssue], { description: 'The issues of this page, without cursors.', complexity: cost.row() })
  nodes: RunIssue[];
  @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to ask for them.' }) pageInfo: PageInfo;
  @Field(() => Int, { description: 'Stored issues matching the filter, on all pages.' }) totalCount: number;
}

@InputType({ description: 'Narrows the issues listed; the fields given combine with AND, each an exact match.' })
export class IssueFilterInput {
  @Field(() => IssueSeverity, { nullable: true, description: 'Only errors or only warnings.' })
  severity?: IssueSeverity | null;
  @Field(() => IssueCode, { nullable: true, description: 'Issue code, e.g. MISSING_REQUIRED.' })
  code?: IssueCode | null;
  @Field(() => String, { nullable: true, description: 'Attribute name, e.g. gtin or image_link.' })
  attribute?: string | null;
  @Field(() => String, { nullable: true, description: "The item's id from the feed." }) itemId?: string | null;
  @Field(() => Int, { nullable: true, description: 'CSV line number or XML item index; 0 for file-level issues.' })
  row?: number | null;
}

@ObjectType({
  description: 'One ingestion of a feed: an upload, fetch or store sync, with its counters and diagnostics.',
  implements: () => [Node],
})
export class IngestionRun {
  @GlobalIdField('IngestionRun', { description: 'Global id of the run.' }) id: string;
  @GlobalIdField('Feed', {
    description: 'Global id of the feed this run ingests into.',
    deprecationReason: 'Use feed { id }.',
  })
  feedId: string;
  @Field(() => RunTrigger, {
    description:
      'What started it: UPLOAD, FETCH (fetchFeedNow), SCHEDULE, CLI (local-mode CLI), SYNC (Shopify) or SALE_WINDOW (a sale of the live version started or ended).',
  })
  trigger: RunTrigger;
  @Field(() => RunStatus, { description: 'QUEUED, RUNNING, or how it ended.' }) status: RunStatus;
  @Field(() => RunPhase, { description: 'The step it is at.' }) phase: RunPhase;
  @Field({ description: 'Diagnostics and would-be counts only: stages no version, fetches no image.' })
  validateOnly: boolean;
  @Field(() => String, {
    nullable: true,
    description: "The uploaded file's name, the feed URL or the shop domain; null when none was given.",
  })
  sourceName: string | null;
  @Field({ description: 'A conditional fetch found the feed unchanged: nothing was read.' }) notModified: boolean;
  @Field(() => Int, {
    description: 'How many times a worker has started the run (a retry starts over); 0 until one first takes it.',
  })
  attempt: number;
  @Field(() => GraphQLBigInt, {
    description: 'Bytes of the stored file read so far, as stored (compressed if gzipped); a decimal string.',
  })
  bytesRead: number;
  @Field(() => GraphQLBigInt, {
    nullable: true,
    description:
      'Size of the stored file in bytes, a decimal string; null until known (a URL feed once fetched; Shopify syncs never).',
  })
  bytesTotal: number | null;
  @Field(() => Int, {
    description:
      'Data rows read (CSV records after the header, XML items, store variants). Every one ends as an item ' +
      '(itemsAccepted or itemsRejected), a row the reader rejected (counted in itemsRejected) or a skipped row: ' +
      'rowsRead = itemsAccepted + itemsRejected + rowsSkipped.',
  })
  rowsRead: number;
  @Field(() => Int, { description: 'Rows that are no item of their own; rowsSkippedByReason says why.' })
  rowsSkipped: number;
  @Field(() => [RowSkipCount], { description: 'Skipped rows counted by reason, most frequent first.' })
  rowsSkippedByReason: RowSkipCount[];
  @Field(() => Int, {
    description:
      'Items without ERROR issues. Until imagesChecked is true (always in validateOnly runs) this has not counted ' +
      'image failures: an item whose main image cannot be fetched or processed is rejected then, so it may fall.',
  })
  itemsAccepted: number;
  @Field(() => Int, { description: 'Items with an ERROR issue, and rows the reader could not read.' })
  itemsRejected: number;
  @Field(() => Int, { description: 'WARNING issues found, all counted.' }) warnings: number;
  @Field(() => Int, { description: 'ERROR issues found, all counted (an item may have several).' }) errors: number;
  @Field(() => Int, {
    description: 'Issues kept for browsing and CSV: at most INGEST_MAX_STORED_ISSUES (100,000 by default).',
  })
  issuesStored: number;
  @Field(() => Int, { description: 'Distinct images this run needs.' }) imagesTotal: number;
  @Field(() => Int, { description: 'Downloaded and processed (or found already stored by content).' })
  imagesDone: number;
  @Field(() => Int, { description: 'Images that could not be fetched or processed (each an issue on its items).' })
  imagesFailed: number;
  @Field(() => Int, { description: 'Unchanged since an earlier run: not downloaded or processed again.' })
  imagesSkipped: number;
  @Field(() => DetectedFormat, {
    nullable: true,
    description: 'CSV, TSV or XML as read; null until the file is sniffed.',
  })
  detectedFormat: DetectedFormat | null;
  @Field(() => FeedDialect, {
    nullable: true,
    description:
      'Recognized export: GENERIC, SHOPIFY, META, WOOCOMMERCE, WIX, VENDURE, MEDUSA, GOOGLE_RSS, GOOGLE_ATOM or CUSTOM_XML; null until known.',
  })
  dialect: FeedDialect | null;
  @Field(() => String, {
    nullable: true,
    description: 'Text encoding read, e.g. utf-8, utf-16le or windows-1252; null until known.',
  })
  encoding: string | null;
  @Field(() => String, { nullable: true, description: 'Delimiter of a CSV or TSV file; null for XML or until known.' })
  delimiter: string | null;
  @GlobalIdField('CatalogVersion', {
    nullable: true,
    description: 'Global id of the catalog version this run staged (or found unchanged).',
    deprecationReason: 'Use version { id }.',
  })
  versionId: string | null;
  @Field({ description: 'When the run was created.' }) queuedAt: Date;
  @Field(() => Date, { nullable: true, description: 'When a worker last started it; null while queued.' })
  startedAt: Date | null;
  @Field(() => Date, {
    nullable: true,
    description: 'When it ended (SUCCEEDED, FAILED or CANCELLED); null until then.',
  })
  finishedAt: Date | null;
  @Field(() => Date, {
    nullable: true,
    description:
      'The instant sale_price_effective_date windows were judged at: when it read, or for SALE_WINDOW the start or end it was run for (the scheduler tick after it). Null until it reads.',
  })
  salesJudgedAt: Date | null;
  @Field(() => Date, {
    nullable: true,
    description:
      'When a sale of the items it accepted next starts or ends; if its version is live then, the scheduler reads the file again within a minute (a SALE_WINDOW run). Null when none will, or for a store sync.',
  })
  nextSaleChangeAt: Date | null;
}

@InputType({ description: 'Which feed deleteFeed deletes.' })
export class DeleteFeedInput {
  @Field(() => ID, { description: 'Feed.id of the feed to delete; its live products go with it.' }) feedId: string;
}

@ObjectType({ description: 'What deleteFeed did.' })
export class DeleteFeedPayload extends MutationPayload {
  @GlobalIdField('Feed', {
    nullable: true,
    description:
      'Feed.id of the feed just deleted (no longer found by feed or feeds); null when userErrors is not empty.',
  })
  deletedFeedId: string | null;
}

@ObjectType({ description: 'The feed createFeed created.' })
export class CreateFeedPayload extends MutationPayload {
  @Field(() => Feed, { nullable: true, description: 'The new feed; null when userErrors is not empty.' })
  feed: FeedEntity | null;
}

@ObjectType({ description: 'The feed as updateFeed left it.' })
export class UpdateFeedPayload extends MutationPayload {
  @Field(() => Feed, {
    nullable: true,
    description: 'The feed with the changes made; null when userErrors is not empty (then nothing changed).',
  })
  feed: FeedEntity | null;
}

@InputType({ description: 'Which URL feed fetchFeedNow fetches.' })
export class FetchFeedNowInput {
  @Field(() => ID, { description: 'Feed.id of a URL feed of the brand.' }) feedId: string;
}

@ObjectType({ description: 'The run fetchFeedNow started.' })
export class FetchFeedNowPayload extends MutationPayload {
  @Field(() => IngestionRun, {
    nullable: true,
    description:
      'The QUEUED run that fetches the feed; null when userErrors is not empty (e.g. RUN_ALREADY_ACTIVE: the ' +
      'feed has a run queued or running).',
  })
  run: IngestionRunEntity | null;
}

@InputType({ description: 'Which run cancelRun cancels.' })
export class CancelRunInput {
  @Field(() => ID, { description: 'A QUEUED or RUNNING run; the userError RUN_ALREADY_FINISHED once it has finished.' })
  runId: string;
}

@ObjectType({ description: 'The run cancelRun cancelled.' })
export class CancelRunPayload extends MutationPayload {
  @Field(() => IngestionRun, {
    nullable: true,
    description: 'The run: CANCELLED if it was queued, still RUNNING for a moment (under a second) if it ran.',
  })
  run: IngestionRunEntity | null;
}

export const FeedConnection = connectionType(Feed, 'Feed', {
  one: 'A feed',
  many: 'feeds',
  description: "A page of the brand's feeds, oldest first.",
});
export type FeedConnection = InstanceType<typeof FeedConnection>;

export const IngestionRunConnection = connectionType(IngestionRun, 'IngestionRun', {
  one: 'A run',
  many: 'runs',
  description: "A page of a feed's runs, newest first.",
});
export type IngestionRunConnection = InstanceType<typeof IngestionRunConnection>;
