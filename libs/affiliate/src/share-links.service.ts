import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  APP_CONFIG,
  BadInputError,
  NotFoundError,
  isUuid,
  type AppConfig,
  type RequestContext,
} from '@brandshelf/core';
import type { KeysetPage, KeysetRequest } from '@brandshelf/db';
import { AffiliateClock } from './clock.js';
import { ShareLinkStore, toShareLink, type ShareLinkRecord } from './share-link.store.js';
import { ShowcaseStore } from './showcase.store.js';
import { creatorOf, ownerOf } from './tenancy.js';

/** Channels a link may be made for; the redirect passes it on as utm_source. */
export const SHARE_CHANNELS = [
  'TIKTOK',
  'INSTAGRAM',
  'YOUTUBE',
  'PINTEREST',
  'FACEBOOK',
  'X',
  'SNAPCHAT',
  'BLOG',
  'EMAIL',
  'OTHER',
] as const;
export type ShareChannel = (typeof SHARE_CHANNELS)[number];

/** Products one showcase holds at most. */
export const MAX_SHOWCASE_ITEMS = 500;

export interface ShowcaseEntry {
  productId: string;
  position: number;
  addedAt: Date;
}

/** Creators' share links and showcases. */
@Injectable()
export class ShareLinksService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(ShareLinkStore) private readonly links: ShareLinkStore,
    @Inject(ShowcaseStore) private readonly showcases: ShowcaseStore,
    @Inject(AffiliateClock) private readonly clock: AffiliateClock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The public URL of a code: PUBLIC_BASE_URL/l/<code>. */
  publicUrl(code: string): string {
    return new URL(`/l/${code}`, `${this.config.publicBaseUrl}/`).toString();
  }

  /** The links among `ids` the caller may read (a creator its own, a brand those to its products). */
  linksByIds(ctx: RequestContext, ids: readonly string[]): Promise<ShareLinkRecord[]> {
    return this.links.findManyForOwner(ownerOf(ctx), ids);
  }

  /** The calling creator's showcase entries for these products (its own showcase only). */
  async showcaseEntries(ctx: RequestContext, productIds: readonly string[]): Promise<ShowcaseEntry[]> {
    const rows = await this.showcases.findMany(creatorOf(ctx), productIds);
    return rows.map((r) => ({ productId: r.product_id, position: r.position, addedAt: r.added_at }));
  }

  /** A new link of the creator to a live product (any brand's). */
  async create(
    ctx: RequestContext,
    input: { productId: string; channel?: ShareChannel | null },
  ): Promise<ShareLinkRecord> {
    const creatorId = creatorOf(ctx);
    const brandId = await this.liveBrandOf(input.productId);
    if (input.channel && !(SHARE_CHANNELS as readonly string[]).includes(input.channel)) {
      throw new BadInputError('channel is not a known channel.', 'channel');
    }
    return this.links.create(creatorId, {
      brandId,
      productId: input.productId,
      channel: input.channel ?? null,
      at: this.clock.now(),
    });
  }

  /** Links the caller may see: a creator its own, a brand those to its products. */
  page(ctx: RequestContext, request: KeysetRequest): Promise<KeysetPage<ShareLinkRecord>> {
    const owner = ownerOf(ctx);
    const page =
      owner.kind === 'creator'
        ? this.links.pageForCreator(owner.creatorId, request)
        : this.links.pageForBrand(owner.brandId, request);
    return page.then((p) => ({ ...p, rows: p.rows.map((r) => ({ cursor: r.cursor, node: toShareLink(r.node) })) }));
  }

  async showcase(ctx: RequestContext, request: KeysetRequest): Promise<KeysetPage<ShowcaseEntry>> {
    const page = await this.showcases.page(creatorOf(ctx), request);
    return {
      ...page,
      rows: page.rows.map((r) => ({
        cursor: r.cursor,
        node: { productId: r.node.product_id, position: r.node.position, addedAt: r.node.added_at },
      })),
    };
  }

  /** Adds a live product to the showcase at `position` (1-based; default last), or moves it there. */
  async placeInShowcase(ctx: RequestContext, productId: string, position: number | null, mustExist: boolean) {
    const creatorId = creatorOf(ctx);
    if (position !== null && (!Number.isInteger(position) || position < 1)) {
      throw new BadInputError('position is 1 or more.', 'position');
    }
    const existing: unknown[] = await this.db.query(
      'SELECT 1 FROM showcase_item WHERE creator_id = $1 AND product_id = $2',
      [creatorId, isUuid(productId) ? productId : '00000000-0000-0000-0000-000000000000'],
    );
    if (mustExist && !existing.length) throw new NotFoundError('ShowcaseItem', productId, { idType: 'Product' });
    if (!existing.length) {
      await this.liveBrandOf(productId);
      if ((await this.showcases.count(creatorId)) >= MAX_SHOWCASE_ITEMS) {
        throw new BadInputError(`A showcase holds at most ${MAX_SHOWCASE_ITEMS} products.`, 'productId');
      }
    }
    const placed = await this.showcases.place(creatorId, productId, position, this.clock.now());
    return { productId, ...placed };
  }

  async removeFromShowcase(ctx: RequestContext, productId: string): Promise<void> {
    const creatorId = creatorOf(ctx);
    if (!isUuid(productId) || !(await this.showcases.remove(creatorId, productId))) {
      throw new NotFoundError('ShowcaseItem', productId, { idType: 'Product' });
    }
  }

  private async liveBrandOf(productId: string): Promise<string> {
    const [row] = isUuid(productId)
      ? await this.db.query('SELECT brand_id FROM catalog_product WHERE id = $1', [productId])
      : [];
    if (!row) throw new NotFoundError('Product', productId);
    return row.brand_id;
  }
}
