import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { cost } from '../graphql/query-limits.js';

export enum FeedSource {
  UPLOAD = 'UPLOAD',
  URL = 'URL',
  SHOPIFY = 'SHOPIFY',
}
export enum FeedFormat {
  AUTO = 'AUTO',
  CSV = 'CSV',
  TSV = 'TSV',
  XML = 'XML',
}
export enum FeedMode {
  REPLACE = 'REPLACE',
  UPDATE_ONLY = 'UPDATE_ONLY',
}
export enum RunStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}
export enum RunPhase {
  QUEUED = 'QUEUED',
  FETCHING = 'FETCHING',
  READING = 'READING',
  STAGING = 'STAGING',
  COMPARING = 'COMPARING',
  IMAGES = 'IMAGES',
  DONE = 'DONE',
}
export enum IssueSeverity {
  ERROR = 'ERROR',
  WARNING = 'WARNING',
}
registerEnumType(FeedSource, { name: 'FeedSource' });
registerEnumType(FeedFormat, { name: 'FeedFormat', description: 'AUTO sniffs the format from the content.' });
registerEnumType(FeedMode, {
  name: 'FeedMode',
  description:
    'REPLACE: the feed is the whole catalog of that feed; products absent from it are removed on publish. ' +
    'UPDATE_ONLY: a supplemental feed that only updates attributes of products that already exist.',
});
registerEnumType(RunStatus, { name: 'RunStatus' });
registerEnumType(RunPhase, { name: 'RunPhase' });
registerEnumType(IssueSeverity, { name: 'IssueSeverity', description: 'ERROR rejects the item; WARNING accepts it.' });

@ObjectType()
export class ColumnMapping {
  @Field({ description: 'Header (CSV) or element name (XML) in the feed.' }) column: string;
  @Field({ description: 'Merchant Center attribute (e.g. image_link) or custom:<name>.' }) attribute: string;
}

@InputType()
export class ColumnMappingInput {
  @Field() column: string;
  @Field() attribute: string;
}

@InputType()
export class BasicAuthInput {
  @Field() username: string;
  @Field() password: string;
}

@InputType()
export class CreateFeedInput {
  @Field() name: string;
  @Field(() => FeedSource, { defaultValue: FeedSource.UPLOAD }) source: FeedSource;
  @Field(() => FeedFormat, { defaultValue: FeedFormat.AUTO }) format: FeedFormat;
  @Field(() => String, { nullable: true, description: 'For URL feeds: fetched over HTTP(S) through the SSRF guard.' })
  url?: string | null;
  @Field(() => BasicAuthInput, { nullable: true, description: 'Stored encrypted; never returned.' })
  basicAuth?: BasicAuthInput | null;
  @Field(() => FeedMode, { defaultValue: FeedMode.REPLACE }) mode: FeedMode;
  @Field(() => String, { nullable: true, description: 'ISO 4217 code for prices written without one.' })
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
  @Field(() => String, { nullable: true, description: 'Element wrapping one item in a custom XML dialect.' })
  xmlItemElement?: string | null;
  @Field(() => String, { nullable: true, description: 'URL feeds: hourly, daily, weekly or "every <n>m|h|d".' })
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
}

@InputType()
export class UpdateFeedInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => FeedFormat, { nullable: true }) format?: FeedFormat | null;
  @Field(() => String, { nullable: true }) url?: string | null;
  @Field(() => BasicAuthInput, { nullable: true }) basicAuth?: BasicAuthInput | null;
  @Field(() => FeedMode, { nullable: true }) mode?: FeedMode | null;
  @Field(() => String, { nullable: true }) defaultCurrency?: string | null;
  @Field(() => String, { nullable: true }) language?: string | null;
  @Field(() => String, { nullable: true }) storeUrl?: string | null;
  @Field(() => String, { nullable: true }) linkTemplate?: string | null;
  @Field(() => [ColumnMappingInput], { nullable: true }) columnMapping?: ColumnMappingInput[] | null;
  @Field(() => String, { nullable: true }) xmlItemElement?: string | null;
  @Field(() => String, { nullable: true }) schedule?: string | null;
  @Field(() => Boolean, { nullable: true }) autoPublish?: boolean | null;
  @Field(() => Float, { nullable: true }) maxRemovalShare?: number | null;
  @Field(() => Float, { nullable: true }) maxRejectedShare?: number | null;
}

@ObjectType()
export class Feed {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => FeedSource) source: FeedSource;
  @Field(() => FeedFormat) format: FeedFormat;
  @Field(() => String, { nullable: true }) url: string | null;
  @Field({ description: 'Whether fetches send basic-auth credentials (the password is never returned).' })
  hasBasicAuth: boolean;
  @Field(() => FeedMode) mode: FeedMode;
  @Field(() => String, { nullable: true }) defaultCurrency: string | null;
  @Field() language: string;
  @Field(() => String, { nullable: true }) storeUrl: string | null;
  @Field(() => String, { nullable: true }) linkTemplate: string | null;
  @Field(() => [ColumnMapping]) columnMapping: ColumnMapping[];
  @Field(() => String, { nullable: true }) xmlItemElement: string | null;
  @Field(() => String, { nullable: true }) schedule: string | null;
  @Field(() => Date, { nullable: true }) nextFetchAt: Date | null;
  @Field() autoPublish: boolean;
  @Field(() => Float) maxRemovalShare: number;
  @Field(() => Float) maxRejectedShare: number;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

export enum RowSkipReason {
  INACTIVE = 'INACTIVE',
  IMAGE_ONLY_ROW = 'IMAGE_ONLY_ROW',
  VARIANT_PARENT = 'VARIANT_PARENT',
  GROUPED_PRODUCT = 'GROUPED_PRODUCT',
}
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
  },
});

@ObjectType()
export class RowSkipCount {
  @Field(() => RowSkipReason) reason: RowSkipReason;
  @Field(() => Int) count: number;
}

@ObjectType()
export class RunError {
  @Field({
    description:
      'Stable code, e.g. EMPTY_FEED, FORMAT_MISMATCH (the feed’s declared format contradicts the file), TRUNCATED_GZIP, XML_MALFORMED, FETCH_HTTP_ERROR.',
  })
  code: string;
  @Field() message: string;
  @Field() hint: string;
}

@ObjectType({ description: 'What publishing this run would change, compared with the feed’s current version.' })
export class RunDiff {
  @Field(() => Int) created: number;
  @Field(() => Int) updated: number;
  @Field(() => Int) unchanged: number;
  @Field(() => Int) removed: number;
}

@ObjectType()
export class IssueSummary {
  @Field() code: string;
  @Field(() => IssueSeverity) severity: IssueSeverity;
  @Field(() => String, { nullable: true }) attribute: string | null;
  @Field(() => Int) count: number;
  @Field(() => [Int], { description: 'A few rows where it happens.' }) sampleRows: number[];
}

@ObjectType()
export class RunIssue {
  @Field(() => ID) id: string;
  @Field(() => IssueSeverity) severity: IssueSeverity;
  @Field() code: string;
  @Field(() => String, { nullable: true }) attribute: string | null;
  @Field(() => Int, { description: 'CSV line number, XML item index, 0 for the file.' }) row: number;
  @Field(() => String, { nullable: true }) itemId: string | null;
  @Field(() => String, { nullable: true, description: 'The offending value, truncated.' }) value: string | null;
  @Field() message: string;
  @Field({ description: 'How to fix it.' }) hint: string;
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

@ObjectType()
export class RunIssueEdge {
  @Field(() => RunIssue) node: RunIssue;
  @Field() cursor: string;
}

@ObjectType()
export class RunIssueConnection {
  @Field(() => [RunIssueEdge], { complexity: cost.row() }) edges: RunIssueEdge[];
  @Field(() => [RunIssue], { complexity: cost.row() }) nodes: RunIssue[];
  @Field(() => PageInfo) pageInfo: PageInfo;
  @Field(() => Int) totalCount: number;
}

@InputType()
export class IssueFilterInput {
  @Field(() => IssueSeverity, { nullable: true }) severity?: IssueSeverity | null;
  @Field(() => String, { nullable: true }) code?: string | null;
  @Field(() => String, { nullable: true }) attribute?: string | null;
  @Field(() => String, { nullable: true }) itemId?: string | null;
  @Field(() => Int, { nullable: true }) row?: number | null;
}

@ObjectType()
export class IngestionRun {
  @Field(() => ID) id: string;
  @Field(() => ID) feedId: string;
  @Field() trigger: string;
  @Field(() => RunStatus) status: RunStatus;
  @Field(() => RunPhase) phase: RunPhase;
  @Field() validateOnly: boolean;
  @Field(() => String, { nullable: true }) sourceName: string | null;
  @Field({ description: 'A conditional fetch found the feed unchanged: nothing was read.' }) notModified: boolean;
  @Field(() => Int) attempt: number;
  @Field(() => Float) bytesRead: number;
  @Field(() => Float, { nullable: true }) bytesTotal: number | null;
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
  @Field(() => Int) warnings: number;
  @Field(() => Int) errors: number;
  @Field(() => Int) issuesStored: number;
  @Field(() => Int, { description: 'Distinct images this run needs.' }) imagesTotal: number;
  @Field(() => Int, { description: 'Downloaded and processed (or found already stored by content).' })
  imagesDone: number;
  @Field(() => Int) imagesFailed: number;
  @Field(() => Int, { description: 'Unchanged since an earlier run: not downloaded or processed again.' })
  imagesSkipped: number;
  @Field(() => String, { nullable: true }) detectedFormat: string | null;
  @Field(() => String, { nullable: true }) dialect: string | null;
  @Field(() => String, { nullable: true }) encoding: string | null;
  @Field(() => String, { nullable: true }) delimiter: string | null;
  @Field(() => ID, { nullable: true, description: 'The catalog version this run staged (or found unchanged).' })
  versionId: string | null;
  @Field() queuedAt: Date;
  @Field(() => Date, { nullable: true }) startedAt: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt: Date | null;
}
