import { Inject } from '@nestjs/common';
import { Args, Context, ID, Query, Resolver } from '@nestjs/graphql';
import { AdsClock, type CampaignEntity, type ChannelExportEntity, type ProductSetEntity } from '@brandshelf/ads';
import { BadInputError, ForbiddenError, NotFoundError, UnauthenticatedError } from '@brandshelf/core';
import { campaignView } from '../ads/campaigns.resolver.js';
import { channelExportView } from '../ads/channel-exports.resolver.js';
import { productSetView } from '../ads/product-sets.resolver.js';
import { decodeGlobalId } from './global-id.js';
import { RequestLoaders, type Loaders } from './loaders.js';
import { NODE_TYPES, Node, tagNode, type NodeType } from './node.js';
import { STATEMENT, cost } from './query-limits.js';
import type { CallerContext } from './request-context.decorator.js';

/** How many ids one nodes(ids:) call takes. */
export const MAX_NODES = 100;

interface Access {
  loader: keyof Loaders;
  /**
   * brand: brand keys only (a creator FORBIDDEN); creator: creator keys only (a brand FORBIDDEN); account: any key,
   * the loader keeping each to what it may read; public: anyone.
   */
  audience: 'brand' | 'creator' | 'account' | 'public';
  /** The loaded row as the type's own query answers it, for types whose resolvers answer a view, not the row. */
  present?: (row: never, now: Date) => object;
}

/** Who may refetch a type, mirroring the type's own query: its loader, who it is for, and its view. */
const ACCESS: Record<NodeType, Access> = {
  Feed: { loader: 'feed', audience: 'brand' },
  IngestionRun: { loader: 'run', audience: 'brand' },
  CatalogVersion: { loader: 'version', audience: 'brand' },
  Publication: { loader: 'publication', audience: 'brand' },
  ShopifyStore: { loader: 'shopifyStore', audience: 'brand' },
  RunIssue: { loader: 'runIssue', audience: 'brand' },
  Campaign: {
    loader: 'campaign',
    audience: 'brand',
    present: (row: CampaignEntity, now) => campaignView(row, now),
  },
  ProductSet: { loader: 'productSet', audience: 'brand', present: (row: ProductSetEntity) => productSetView(row) },
  ChannelExport: {
    loader: 'channelExport',
    audience: 'brand',
    present: (row: ChannelExportEntity) => channelExportView(row),
  },
  Conversion: { loader: 'conversion', audience: 'brand' },
  // The affiliate program: the loaders answer the views, scoped as the types' own lists are.
  ShareLink: { loader: 'shareLink', audience: 'account' },
  CommissionOffer: { loader: 'commissionOffer', audience: 'account' },
  CommissionRule: { loader: 'commissionRule', audience: 'account' },
  ShowcaseItem: { loader: 'showcaseItem', audience: 'creator' },
  LedgerEntry: { loader: 'ledgerEntry', audience: 'creator' },
  ApiKey: { loader: 'apiKey', audience: 'account' },
  Creator: { loader: 'creator', audience: 'account' },
  Brand: { loader: 'brand', audience: 'public' },
  Product: { loader: 'product', audience: 'public' },
};

/**
 * Relay's root fields: any object with a global id, refetched by it. Access is the type's own: brand-owned objects
 * (feeds, runs, versions, publications, stores, issues, product sets, channel exports, campaigns) only for the brand's keys, NOT_FOUND for another brand's
 * id as feed(id:) answers; keys and creators for their own account; brands and products are public, null when
 * unknown as product(id:) answers.
 */
@Resolver()
export class NodeResolver {
  constructor(
    @Inject(RequestLoaders) private readonly loaders: RequestLoaders,
    @Inject(AdsClock) private readonly clock: AdsClock,
  ) {}

  @Query(() => Node, {
    nullable: true,
    description:
      'The object with this global id, whatever its type. Brand-owned objects (Feed, IngestionRun, ' +
      'CatalogVersion, Publication, ShopifyStore, RunIssue, ProductSet, ChannelExport, Campaign) need the ' +
      "brand's key and are NOT_FOUND otherwise, as is a Conversion (its brand's only); " +
      "ShowcaseItem and LedgerEntry are the creator's own (a brand key is FORBIDDEN); ShareLink, CommissionOffer " +
      'and CommissionRule are read as their lists show them (a link by its creator and the brand of its product, an ' +
      'offer by its brand and its creator, a rule by its brand, and by creators when open or in an offer to them), ' +
      "NOT_FOUND otherwise; ApiKey and Creator only the account's own; Brand and Product are public, null when " +
      'unknown.',
    complexity: STATEMENT,
  })
  node(
    @Context() caller: CallerContext,
    @Args('id', { type: () => ID, description: 'A global id the API gave out (an `id` field of any Node).' })
    id: string,
  ): Promise<object | null> {
    return this.resolve(caller, id, 'id');
  }

  @Query(() => [Node], {
    nullable: 'items',
    description:
      `The objects with these global ids, in the same order; at most ${MAX_NODES} ids. Each is answered as ` +
      'node(id:) answers it: an id that is not found is null in the list, with its error.',
    complexity: cost.each('ids', MAX_NODES, STATEMENT),
  })
  async nodes(
    @Context() caller: CallerContext,
    @Args('ids', { type: () => [ID], description: `Global ids, 1 to ${MAX_NODES}; more is BAD_USER_INPUT.` })
    ids: string[],
  ): Promise<Array<object | Error | null>> {
    if (ids.length > MAX_NODES) throw new BadInputError(`ids takes at most ${MAX_NODES} ids.`, 'ids');
    // An Error in the list answers null at its position, with its error; the other ids are still answered.
    return Promise.all(ids.map((id, i) => this.resolve(caller, id, `ids[${i}]`).catch((e: Error) => e)));
  }

  private async resolve(caller: CallerContext, id: string, argument: string): Promise<object | null> {
    const { type, rawId } = decodeGlobalId(id, argument);
    if (type === null) {
      throw new BadInputError(
        `${argument} is a raw id: node takes the global id an object's id field gives, which names its type.`,
        argument,
      );
    }
    const access = (ACCESS as Partial<Record<string, (typeof ACCESS)[NodeType]>>)[type];
    if (!access || !(NODE_TYPES as readonly string[]).includes(type)) {
      throw new BadInputError(`${argument} is not an id this API gave out.`, argument);
    }
    const ctx = caller.context;
    const kind = ctx.principal.kind;
    if (access.audience !== 'public') {
      if (kind === 'anonymous') throw caller.authError ?? new UnauthenticatedError();
      if (access.audience === 'brand' && kind !== 'brand') {
        throw new ForbiddenError(`A ${type} is for brand accounts; the API key belongs to a ${kind}.`);
      }
      if (access.audience === 'creator' && kind !== 'creator') {
        throw new ForbiddenError(`A ${type} is for creator accounts; the API key belongs to a ${kind}.`);
      }
    }
    const row = await (
      this.loaders.of(caller, ctx)[access.loader] as { load(id: string): Promise<object | null> }
    ).load(rawId);
    if (!row) {
      if (access.audience === 'public') return null;
      throw new NotFoundError(type, id);
    }
    return tagNode(type as NodeType, access.present ? access.present(row as never, this.clock.now()) : row);
  }
}
