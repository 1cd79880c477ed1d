import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { AccountsResolver } from '../accounts/accounts.resolver.js';
import { AFFILIATE_RESOLVERS } from '../affiliate/affiliate.resolver.js';
import { StorageUsageResolver } from '../accounts/storage-usage.resolver.js';
import { ProductSetsResolver } from '../ads/product-sets.resolver.js';
import { ChannelExportsResolver } from '../ads/channel-exports.resolver.js';
import { CampaignsResolver } from '../ads/campaigns.resolver.js';
import { CreativesResolver, ProductCreativesResolver } from '../ads/creatives.resolver.js';
import { CATALOG_RESOLVERS } from '../catalog/catalog.resolver.js';
import { FeedsResolver } from '../ingestion/feeds.resolver.js';
import { RunsResolver } from '../ingestion/runs.resolver.js';
import { FEED_RULES_RESOLVERS } from '../ingestion/feed-rules.resolver.js';
import { ShopifyResolver } from '../shopify/shopify.resolver.js';
import { EARNINGS_RESOLVERS } from '../earnings/earnings.resolver.js';
import {
  CatalogVersionEdgesResolver,
  FeedPublishingResolver,
  PublicationEdgesResolver,
  PublishingResolver,
  RunPublishingResolver,
} from '../publishing/publishing.resolver.js';
import { EDGE_RESOLVERS } from './edges.resolver.js';
import { NodeResolver } from './node.resolver.js';

/** Every resolver of the API: the module provides them and the schema file is generated from them. */
export const RESOLVERS = [
  AccountsResolver,
  StorageUsageResolver,
  FeedsResolver,
  RunsResolver,
  ...FEED_RULES_RESOLVERS,
  PublishingResolver,
  FeedPublishingResolver,
  RunPublishingResolver,
  PublicationEdgesResolver,
  CatalogVersionEdgesResolver,
  ...CATALOG_RESOLVERS,
  ShopifyResolver,
  ProductSetsResolver,
  ChannelExportsResolver,
  CampaignsResolver,
  CreativesResolver,
  ProductCreativesResolver,
  ...EARNINGS_RESOLVERS,
  ...AFFILIATE_RESOLVERS,
  ...EDGE_RESOLVERS,
  NodeResolver,
];

export const SCHEMA_HEADER =
  '# Generated from the code by `npm run schema` (apps/api/src/print-schema.ts). Do not edit by hand.\n\n';

/**
 * Nest builds the root types without a description: the served schema (ApiModule's transformSchema) and the
 * generated schema.graphql both get these.
 */
export function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const roots = [
    [schema.getQueryType(), 'Reads. The public catalog (products, product, brands) needs no API key; the rest do.'],
    [
      schema.getMutationType(),
      'Changes. Sign-up (registerBrand, registerCreator) needs no API key; the rest need one, most a brand key.',
    ],
    [
      schema.getSubscriptionType(),
      'Live updates over graphql-ws on /graphql, authenticated with connectionParams: { authorization: "Bearer <key>" }.',
    ],
  ] as const;
  for (const [type, description] of roots) if (type && !type.description) type.description = description;
  return schema;
}

export function printSortedSchema(schema: GraphQLSchema): string {
  return SCHEMA_HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
}

/** Lines that differ between the committed schema and the generated one; empty when they agree. */
export function schemaDrift(committed: string, generated: string): string[] {
  const a = committed.replace(/\r\n/g, '\n').trimEnd().split('\n');
  const b = generated.replace(/\r\n/g, '\n').trimEnd().split('\n');
  const onlyCommitted = a.filter((line) => !b.includes(line)).map((l) => `- ${l}`);
  const onlyGenerated = b.filter((line) => !a.includes(line)).map((l) => `+ ${l}`);
  if (onlyCommitted.length || onlyGenerated.length || a.length !== b.length) {
    return [
      ...onlyCommitted,
      ...onlyGenerated,
      ...(a.length !== b.length ? [`(line counts ${a.length} vs ${b.length})`] : []),
    ];
  }
  return a.some((line, i) => line !== b[i]) ? ['(same lines in a different order)'] : [];
}
