/**
 * Who writes each table. Every table has one owning library and, there, one data-access class named for it (its
 * store); nothing else inserts, updates, deletes, copies into or truncates it, neither in SQL nor through a TypeORM
 * repository. Other code asks the store. A store's methods take the brand first (its context or id), or are named
 * `system…` when they act across brands (schedulers, retention, webhooks that arrive without a brand) or are reached
 * only from such a caller. test/table-ownership.spec.ts holds the code to this map.
 *
 * Owners follow the direction libraries already import each other (accounts ← ingestion ← catalog, shopify), so a
 * library calls a lower library's store, never the other way round.
 */
export interface TableOwner {
  /** The library under libs/ that owns the table. */
  lib: string;
  /** The store class, or null when no code writes the table (see `note`). */
  store: string | null;
  /** The store's file, from the repository root. */
  file: string | null;
  note?: string;
}

export const TABLE_OWNERS: Readonly<Record<string, TableOwner>> = {
  brand: { lib: 'accounts', store: 'BrandStore', file: 'libs/accounts/src/brand.store.ts' },
  creator: { lib: 'accounts', store: 'CreatorStore', file: 'libs/accounts/src/creator.store.ts' },
  api_key: { lib: 'accounts', store: 'ApiKeyStore', file: 'libs/accounts/src/api-key.store.ts' },

  feed: { lib: 'ingestion', store: 'FeedStore', file: 'libs/ingestion/src/feed.store.ts' },
  ingestion_run: { lib: 'ingestion', store: 'IngestionRunStore', file: 'libs/ingestion/src/ingestion-run.store.ts' },
  run_issue: { lib: 'ingestion', store: 'RunIssueStore', file: 'libs/ingestion/src/run-issue.store.ts' },
  feed_rule_set: { lib: 'ingestion', store: 'FeedRuleSetStore', file: 'libs/ingestion/src/feed-rule-set.store.ts' },
  run_rule_trace: { lib: 'ingestion', store: 'RunRuleTraceStore', file: 'libs/ingestion/src/run-rule-trace.store.ts' },
  catalog_version: {
    lib: 'ingestion',
    store: 'CatalogVersionStore',
    file: 'libs/ingestion/src/catalog-version.store.ts',
  },
  version_item: { lib: 'ingestion', store: 'VersionItemStore', file: 'libs/ingestion/src/version-item.store.ts' },
  item_revision: { lib: 'ingestion', store: 'ItemRevisionStore', file: 'libs/ingestion/src/item-revision.store.ts' },
  image_source: {
    lib: 'ingestion',
    store: 'ImageSourceStore',
    file: 'libs/ingestion/src/images/image-source.store.ts',
  },
  run_image: { lib: 'ingestion', store: 'RunImageStore', file: 'libs/ingestion/src/images/run-image.store.ts' },

  product_identity: {
    lib: 'catalog',
    store: 'ProductIdentityStore',
    file: 'libs/catalog/src/product-identity.store.ts',
  },
  catalog_product: {
    lib: 'catalog',
    store: 'CatalogProductStore',
    file: 'libs/catalog/src/catalog-product.store.ts',
  },
  publication: { lib: 'catalog', store: 'PublicationStore', file: 'libs/catalog/src/publication.store.ts' },
  catalog_generation: {
    lib: 'db',
    store: null,
    file: null,
    note: 'written only by the statement triggers on catalog_product (migration 13)',
  },
  search_language: {
    lib: 'db',
    store: null,
    file: null,
    note: 'reference data, written only by its migration (10)',
  },

  shopify_store: { lib: 'shopify', store: 'ShopifyStoreStore', file: 'libs/shopify/src/shopify-store.store.ts' },
  shopify_sync_cursor: {
    lib: 'shopify',
    store: 'ShopifySyncCursorStore',
    file: 'libs/shopify/src/shopify-sync-cursor.store.ts',
  },
  shopify_webhook_delivery: {
    lib: 'shopify',
    store: 'ShopifyWebhookDeliveryStore',
    file: 'libs/shopify/src/shopify-webhook-delivery.store.ts',
  },

  commission_program: { lib: 'affiliate', store: 'ProgramStore', file: 'libs/affiliate/src/program.store.ts' },
  commission_rule: { lib: 'affiliate', store: 'RuleStore', file: 'libs/affiliate/src/rule.store.ts' },
  commission_offer: { lib: 'affiliate', store: 'OfferStore', file: 'libs/affiliate/src/offer.store.ts' },
  showcase_item: { lib: 'affiliate', store: 'ShowcaseStore', file: 'libs/affiliate/src/showcase.store.ts' },
  share_link: { lib: 'affiliate', store: 'ShareLinkStore', file: 'libs/affiliate/src/share-link.store.ts' },
  affiliate_click: { lib: 'affiliate', store: 'ClickStore', file: 'libs/affiliate/src/click.store.ts' },
  affiliate_settings: {
    lib: 'earnings',
    store: 'AffiliateSettingsStore',
    file: 'libs/earnings/src/affiliate-settings.store.ts',
  },
  conversion: { lib: 'earnings', store: 'ConversionStore', file: 'libs/earnings/src/conversion.store.ts' },
  commission_line: {
    lib: 'earnings',
    store: 'CommissionLineStore',
    file: 'libs/earnings/src/commission-line.store.ts',
  },
  ledger_entry: { lib: 'earnings', store: 'LedgerEntryStore', file: 'libs/earnings/src/ledger-entry.store.ts' },
  earnings_rollup: {
    lib: 'earnings',
    store: 'EarningsRollupStore',
    file: 'libs/earnings/src/earnings-rollup.store.ts',
  },

  product_set: { lib: 'ads', store: 'ProductSetStore', file: 'libs/ads/src/product-set.store.ts' },
  channel_export: { lib: 'ads', store: 'ChannelExportStore', file: 'libs/ads/src/exports/channel-export.store.ts' },
  campaign: { lib: 'ads', store: 'CampaignStore', file: 'libs/ads/src/campaigns/campaign.store.ts' },
  campaign_day: { lib: 'ads', store: 'CampaignDayStore', file: 'libs/ads/src/campaigns/campaign-day.store.ts' },
  sponsored_click: {
    lib: 'ads',
    store: 'SponsoredClickStore',
    file: 'libs/ads/src/campaigns/sponsored-click.store.ts',
  },
  creative: { lib: 'ads', store: 'CreativeStore', file: 'libs/ads/src/creatives/creative.store.ts' },
};
