import { Accounts1764000000000 } from './1764000000000-accounts.js';
import { Ingestion1764000000001 } from './1764000000001-ingestion.js';
import { Catalog1764000000002 } from './1764000000002-catalog.js';
import { Publishing1764000000003 } from './1764000000003-publishing.js';
import { Images1764000000004 } from './1764000000004-images.js';
import { Shopify1764000000005 } from './1764000000005-shopify.js';
import { SearchIndexes1764000000006 } from './1764000000006-search-indexes.js';
import { FeedSettings1764000000007 } from './1764000000007-feed-settings.js';
import { RowAccounting1764000000008 } from './1764000000008-row-accounting.js';
import { SearchLanguages1764000000010 } from './1764000000010-search-languages.js';
import { Affiliate1764000000011 } from './1764000000011-affiliate.js';
import { StorageUsage1764000000012 } from './1764000000012-storage-usage.js';
import { CatalogGeneration1764000000013 } from './1764000000013-catalog-generation.js';
import { Earnings1764000000014 } from './1764000000014-earnings.js';
import { OneActiveRun1764000000015 } from './1764000000015-one-active-run.js';
import { ProductSets1764000000016 } from './1764000000016-product-sets.js';
import { ChannelExports1764000000017 } from './1764000000017-channel-exports.js';
import { Campaigns1764000000018 } from './1764000000018-campaigns.js';
import { Creatives1764000000019 } from './1764000000019-creatives.js';
import { FeedRules1764000000020 } from './1764000000020-feed-rules.js';
import { CategorySuggestions1764000000021 } from './1764000000021-category-suggestions.js';
import { CreativeStorage1764000000022 } from './1764000000022-creative-storage.js';
import { RowLevelSecurity1764000000030 } from './1764000000030-row-level-security.js';
import { RuleTraceText1764000000031 } from './1764000000031-rule-trace-text.js';
import { RowLevelSecurityParents1764000000032 } from './1764000000032-row-level-security-parents.js';
import { SaleWindows1764000000033 } from './1764000000033-sale-windows.js';
import { OverlaidSaleWindows1764000000034 } from './1764000000034-overlaid-sale-windows.js';
import { ShippingTax1764000000035 } from './1764000000035-shipping-tax.js';
import { ChannelAttributes1764000000036 } from './1764000000036-channel-attributes.js';

/** In the order they run. Each lib owns its tables; the schema's history lives here, in one place. */
export const MIGRATIONS = [
  Accounts1764000000000,
  Ingestion1764000000001,
  Catalog1764000000002,
  Publishing1764000000003,
  Images1764000000004,
  Shopify1764000000005,
  SearchIndexes1764000000006,
  FeedSettings1764000000007,
  RowAccounting1764000000008,
  SearchLanguages1764000000010,
  Affiliate1764000000011,
  StorageUsage1764000000012,
  CatalogGeneration1764000000013,
  Earnings1764000000014,
  OneActiveRun1764000000015,
  ProductSets1764000000016,
  ChannelExports1764000000017,
  Campaigns1764000000018,
  Creatives1764000000019,
  FeedRules1764000000020,
  CategorySuggestions1764000000021,
  CreativeStorage1764000000022,
  RowLevelSecurity1764000000030,
  RuleTraceText1764000000031,
  RowLevelSecurityParents1764000000032,
  SaleWindows1764000000033,
  OverlaidSaleWindows1764000000034,
  ShippingTax1764000000035,
  ChannelAttributes1764000000036,
];
