import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { CAMPAIGN_STATUSES } from '@brandshelf/ads';
import { OFFER_STATUSES } from '@brandshelf/affiliate';
import { PUBLICATION_KINDS } from '@brandshelf/catalog';
import { FEED_MODES, ISSUE_SEVERITIES } from '@brandshelf/catalog-rules';
import { ACTION_TYPES, CONDITION_OPERATORS } from '@brandshelf/feed-rules';
import { FEED_FORMAT_SETTINGS, ROW_SKIP_REASONS } from '@brandshelf/feeds';
import { FEED_SOURCES, PUBLISH_STATUSES, RUN_SKIP_REASONS } from '@brandshelf/ingestion';
import { SHOPIFY_ID_STRATEGIES } from '@brandshelf/shopify';
import { CampaignStatus } from '../src/ads/campaigns.types.js';
import { CommissionOfferStatus } from '../src/affiliate/affiliate.types.js';
import { FeedRuleActionType, FeedRuleOperator } from '../src/ingestion/feed-rules.types.js';
import { FeedFormat, FeedMode, FeedSource, IssueSeverity, RowSkipReason } from '../src/ingestion/ingestion.types.js';
import { PublicationKind, PublishStatus } from '../src/publishing/publishing.types.js';
import { ShopifyIdStrategy } from '../src/shopify/shopify.types.js';

const here = dirname(fileURLToPath(import.meta.url));
const migrationsDir = join(here, '../../../libs/db/src/migrations');
const migrations = readdirSync(migrationsDir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(join(migrationsDir, f), 'utf8'))
  .join('\n');

/** The values a CHECK constraint of `CREATE TABLE <table>` allows `<column>`, in the migration's order. */
function checkValues(table: string, column: string): string[] {
  const match = new RegExp(
    `CREATE TABLE ${table} \\([\\s\\S]*?\\n\\s*${column} text[^\\n]*CHECK \\(${column} IN \\(([^)]*)\\)\\)`,
  ).exec(migrations);
  expect(match).not.toBeNull();
  return match![1].split(',').map((v) => v.trim().replace(/^'|'$/g, ''));
}

// Each GraphQL enum below is derived (enumOf) from the one list its library defines; schema.graphql keeps the
// names, values and descriptions (schema-drift.spec.ts), this keeps the derivation.
describe('GraphQL enums derived from their library lists', () => {
  it.each([
    ['FeedSource', FeedSource, FEED_SOURCES],
    ['FeedFormat', FeedFormat, FEED_FORMAT_SETTINGS],
    ['FeedMode', FeedMode, FEED_MODES],
    ['IssueSeverity', IssueSeverity, ISSUE_SEVERITIES],
    ['PublishStatus', PublishStatus, PUBLISH_STATUSES],
    ['PublicationKind', PublicationKind, PUBLICATION_KINDS],
    ['ShopifyIdStrategy', ShopifyIdStrategy, SHOPIFY_ID_STRATEGIES],
    ['RowSkipReason', RowSkipReason, RUN_SKIP_REASONS],
    ['CampaignStatus', CampaignStatus, CAMPAIGN_STATUSES],
    ['CommissionOfferStatus', CommissionOfferStatus, OFFER_STATUSES],
    ['FeedRuleOperator', FeedRuleOperator, CONDITION_OPERATORS],
    ['FeedRuleActionType', FeedRuleActionType, ACTION_TYPES],
  ] as [string, Record<string, string>, readonly string[]][])('%s has the values of its list', (_name, gql, list) => {
    expect(Object.keys(gql)).toEqual([...list]);
    expect(Object.values(gql)).toEqual([...list]);
  });

  it('adds to the readers’ skip reasons only the feed rules’ exclusion', () => {
    expect(RUN_SKIP_REASONS).toEqual([...ROW_SKIP_REASONS, 'EXCLUDED_BY_RULE']);
  });

  it.each([
    ['feed', 'source', FEED_SOURCES],
    ['feed', 'format', FEED_FORMAT_SETTINGS],
    ['feed', 'mode', FEED_MODES],
    ['publication', 'kind', PUBLICATION_KINDS],
    ['shopify_store', 'id_strategy', SHOPIFY_ID_STRATEGIES],
    ['commission_offer', 'status', OFFER_STATUSES],
    ['campaign', 'status', CAMPAIGN_STATUSES],
  ] as [string, string, readonly string[]][])(
    'the list of %s.%s is what its CHECK constraint allows',
    (table, column, list) => {
      expect(checkValues(table, column)).toEqual([...list]);
    },
  );
});
