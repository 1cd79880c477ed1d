import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type FindOptionsWhere, type ObjectLiteral } from 'typeorm';
import { ApiKeyEntity, CreatorEntity } from '@brandshelf/accounts';
import { CommissionService, ShareLinksService } from '@brandshelf/affiliate';
import { CampaignEntity, ChannelExportEntity, ProductSetEntity } from '@brandshelf/ads';
import { PublicationEntity } from '@brandshelf/catalog';
import { isUuid, type BrandContext, type RequestContext } from '@brandshelf/core';
import { ConversionsService, EarningsService, type CreatorContext } from '@brandshelf/earnings';
import { CatalogVersionEntity, FeedEntity, IngestionRunEntity, type StoredIssue } from '@brandshelf/ingestion';
import { SearchService, type CatalogBrand, type CatalogProduct } from '@brandshelf/search';
import { ShopifyStoreEntity } from '@brandshelf/shopify';
import { offerView, ruleView, shareLinkView, showcaseItemView } from '../affiliate/affiliate.resolver.js';
import type { CommissionOffer, CommissionRule, ShareLink, ShowcaseItem } from '../affiliate/affiliate.types.js';
import { conversionView, entryView } from '../earnings/earnings.resolver.js';
import type { Conversion, LedgerEntry } from '../earnings/earnings.types.js';

/**
 * Gathers the loads asked for within one turn of the event loop into one call: the `feed` of twenty publications
 * of a page is one query, not twenty. Nothing is cached beyond the batch, so a long-lived context (a subscription)
 * never answers stale rows. A loader belongs to one request (see RequestLoaders.of), so each batch acts for one
 * caller.
 */
export class BatchLoader<V> {
  private pending = new Map<string, Array<{ resolve: (v: V | null) => void; reject: (e: unknown) => void }>>();
  private scheduled = false;

  constructor(
    private readonly loadMany: (ids: string[]) => Promise<Map<string, V>>,
    private readonly maxBatch = 500,
  ) {}

  /** The row with this raw id, or null when there is none the caller may see. */
  load(id: string): Promise<V | null> {
    return new Promise<V | null>((resolve, reject) => {
      const waiters = this.pending.get(id);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(id, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        // After every resolver of this level has run (their guards and interceptors are promise chains).
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const entries = [...this.pending.entries()];
    this.pending.clear();
    for (let i = 0; i < entries.length; i += this.maxBatch) {
      const chunk = entries.slice(i, i + this.maxBatch);
      this.loadMany(chunk.map(([id]) => id)).then(
        (values) => {
          for (const [id, waiters] of chunk) for (const w of waiters) w.resolve(values.get(id) ?? null);
        },
        (error) => {
          for (const [, waiters] of chunk) for (const w of waiters) w.reject(error);
        },
      );
    }
  }
}

export interface Loaders {
  feed: BatchLoader<FeedEntity>;
  run: BatchLoader<IngestionRunEntity>;
  version: BatchLoader<CatalogVersionEntity>;
  publication: BatchLoader<PublicationEntity>;
  shopifyStore: BatchLoader<ShopifyStoreEntity>;
  /** The store of a SHOPIFY feed, by feed id. */
  shopifyStoreByFeed: BatchLoader<ShopifyStoreEntity>;
  runIssue: BatchLoader<StoredIssue & { runId: string }>;
  apiKey: BatchLoader<ApiKeyEntity>;
  creator: BatchLoader<CreatorEntity>;
  brand: BatchLoader<CatalogBrand>;
  product: BatchLoader<CatalogProduct>;
  campaign: BatchLoader<CampaignEntity>;
  productSet: BatchLoader<ProductSetEntity>;
  channelExport: BatchLoader<ChannelExportEntity>;
  // The affiliate objects, answered as their own queries answer them (their views, not rows).
  shareLink: BatchLoader<ShareLink>;
  showcaseItem: BatchLoader<ShowcaseItem>;
  commissionOffer: BatchLoader<CommissionOffer>;
  commissionRule: BatchLoader<CommissionRule>;
  conversion: BatchLoader<Conversion>;
  ledgerEntry: BatchLoader<LedgerEntry>;
}

const byId = <V extends { id: string }>(rows: V[]): Map<string, V> => new Map(rows.map((r) => [r.id, r]));
const uuids = (ids: string[]) => ids.filter(isUuid).map((id) => id.toLowerCase());

/** Request-scoped loaders: one set per GraphQL operation (its context object), each scoped to its caller. */
@Injectable()
export class RequestLoaders {
  private readonly perRequest = new WeakMap<object, Loaders>();

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(SearchService) private readonly search: SearchService,
    @Inject(CommissionService) private readonly commissions: CommissionService,
    @Inject(ShareLinksService) private readonly links: ShareLinksService,
    @Inject(ConversionsService) private readonly conversions: ConversionsService,
    @Inject(EarningsService) private readonly earnings: EarningsService,
  ) {}

  /** The loaders of the operation whose GraphQL context is `request`, acting as `ctx`'s caller. */
  of(request: object, ctx: RequestContext): Loaders {
    let loaders = this.perRequest.get(request);
    if (!loaders) {
      loaders = this.create(ctx);
      this.perRequest.set(request, loaders);
    }
    return loaders;
  }

  private create(ctx: RequestContext): Loaders {
    const p = ctx.principal;
    const brandId = p.kind === 'brand' ? p.brandId : null;
    /** Rows of a brand-owned table; nothing for a caller that is not a brand. */
    const brandOwned = <E extends ObjectLiteral & { id: string }>(entity: new () => E, key: 'id' | 'feedId' = 'id') =>
      new BatchLoader<E>(async (ids) => {
        const wanted = uuids(ids);
        if (!brandId || !wanted.length) return new Map();
        const rows = await this.db
          .getRepository(entity)
          .find({ where: { [key]: In(wanted), brandId } as unknown as FindOptionsWhere<E> });
        return new Map(rows.map((r) => [r[key] as string, r]));
      });
    return {
      feed: brandOwned(FeedEntity),
      run: brandOwned(IngestionRunEntity),
      version: brandOwned(CatalogVersionEntity),
      publication: brandOwned(PublicationEntity),
      shopifyStore: brandOwned(ShopifyStoreEntity),
      shopifyStoreByFeed: brandOwned(ShopifyStoreEntity, 'feedId'),
      campaign: brandOwned(CampaignEntity),
      productSet: brandOwned(ProductSetEntity),
      channelExport: brandOwned(ChannelExportEntity),
      runIssue: new BatchLoader(async (ids) => {
        const wanted = ids.filter((id) => /^\d{1,18}$/.test(id));
        if (!brandId || !wanted.length) return new Map();
        const rows: (StoredIssue & { runId: string })[] = await this.db.query(
          `SELECT id::text, run_id AS "runId", severity, code, attribute, "row", item_id AS "itemId", value, message, hint,
                  rule_id AS "ruleId", rule_name AS "ruleName"
             FROM run_issue WHERE id = ANY($1::bigint[]) AND brand_id = $2`,
          [wanted, brandId],
        );
        return byId(rows);
      }),
      // A creator's own links; a brand's, the links to its products (as shareLinks lists them).
      shareLink: new BatchLoader(async (ids) => {
        if (p.kind === 'anonymous') return new Map();
        const found = await this.links.linksByIds(ctx, uuids(ids));
        return new Map(found.map((l) => [l.id, shareLinkView(l, this.links.publicUrl(l.code))]));
      }),
      // The calling creator's own showcase only: the raw id is `<creatorId>:<productId>`.
      showcaseItem: new BatchLoader(async (ids) => {
        if (p.kind !== 'creator') return new Map();
        const products = new Map<string, string>();
        for (const id of ids) {
          const [creator, product, extra] = id.split(':');
          if (extra === undefined && creator?.toLowerCase() === p.creatorId && product && isUuid(product)) {
            products.set(product.toLowerCase(), id);
          }
        }
        if (!products.size) return new Map();
        const found = await this.links.showcaseEntries(ctx, [...products.keys()]);
        return new Map(found.map((item) => [products.get(item.productId)!, showcaseItemView(p.creatorId, item)]));
      }),
      // A brand's own offers; a creator's, the offers made to it (as commissionOffers lists them), with their rules.
      commissionOffer: new BatchLoader(async (ids) => {
        if (p.kind === 'anonymous') return new Map();
        const offers = await this.commissions.offersByIds(ctx, uuids(ids));
        if (!offers.length) return new Map();
        const rules = await this.commissions.offerRules(
          ctx,
          offers.map((o) => o.id),
        );
        const brands = await this.commissions.brands(offers.map((o) => o.brandId));
        return new Map(offers.map((o) => [o.id, offerView(o, rules, brands.get(o.brandId))]));
      }),
      // A brand's own rule versions; a creator's, the open rules and the rules of offers made to it.
      commissionRule: new BatchLoader(async (ids) => {
        if (p.kind === 'anonymous') return new Map();
        const rules = await this.commissions.rulesByIds(ctx, uuids(ids));
        return new Map(rules.map((r) => [r.id, ruleView(r)]));
      }),
      // Only the brand that reported it (a creator never reads conversions).
      conversion: new BatchLoader(async (ids) => {
        if (p.kind !== 'brand') return new Map();
        const found = await this.conversions.byIds(ctx as BrandContext, uuids(ids));
        return new Map(found.map((c) => [c.id, conversionView(c)]));
      }),
      // Only the creator whose ledger it is (as earnings.entries lists them).
      ledgerEntry: new BatchLoader(async (ids) => {
        if (p.kind !== 'creator') return new Map();
        const found = await this.earnings.entriesByIds(ctx as CreatorContext, uuids(ids));
        return new Map(found.map((e) => [e.id, entryView(e)]));
      }),
      // An account's own keys and (for a creator) its own record only.
      apiKey: new BatchLoader(async (ids) => {
        const wanted = uuids(ids);
        if (p.kind === 'anonymous' || !wanted.length) return new Map();
        const owner = p.kind === 'brand' ? { brandId: p.brandId } : { creatorId: p.creatorId };
        return byId(await this.db.getRepository(ApiKeyEntity).find({ where: { id: In(wanted), ...owner } }));
      }),
      creator: new BatchLoader(async (ids) => {
        const wanted = uuids(ids).filter((id) => p.kind === 'creator' && id === p.creatorId);
        if (!wanted.length) return new Map();
        return byId(await this.db.getRepository(CreatorEntity).find({ where: { id: In(wanted) } }));
      }),
      // Public as Query.brands lists them: brands with a live product; and the caller's own brand.
      brand: new BatchLoader(async (ids) => {
        const wanted = uuids(ids);
        if (!wanted.length) return new Map();
        const rows: { id: string; name: string; created_at: Date }[] = await this.db.query(
          `SELECT b.id, b.name, b.created_at FROM brand b
            WHERE b.id = ANY($1::uuid[])
              AND (b.id = $2::uuid OR EXISTS (SELECT 1 FROM catalog_product p WHERE p.brand_id = b.id))`,
          [wanted, brandId],
        );
        return byId(rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }) as CatalogBrand));
      }),
      // Public: any live product, as Query.product answers it.
      product: new BatchLoader(async (ids) => {
        const found = await Promise.all(uuids(ids).map((id) => this.search.product(id)));
        return byId(found.filter((p): p is CatalogProduct => p !== null));
      }),
    };
  }
}
