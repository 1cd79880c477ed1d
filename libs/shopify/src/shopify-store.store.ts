import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import type { BrandContext } from '@brandshelf/core';
import { BrandScopedRepository, SystemPath } from '@brandshelf/db';
import { ShopifyStoreEntity } from './shopify-store.entity.js';

/** What a statement needs to run: the data source, or an EntityManager inside a transaction. */
type Queryable = Pick<EntityManager, 'query'>;

/** A store whose scheduled sync is due, locked for the caller's transaction. */
export interface DueShopifyStore {
  id: string;
  brand_id: string;
  feed_id: string;
  shop_domain: string;
}

/**
 * The one writer of shopify_store (libs/db/src/table-owners.ts): connecting, sync requests and results, the sync
 * schedule and webhooks all write through here. Every method takes the brand first, except `systemClaimDue`,
 * which finds due stores of every brand.
 */
@Injectable()
export class ShopifyStoreStore {
  private readonly stores: BrandScopedRepository<ShopifyStoreEntity>;

  constructor(
    @InjectRepository(ShopifyStoreEntity) repository: Repository<ShopifyStoreEntity>,
    @Inject(DataSource) private readonly db: DataSource,
  ) {
    this.stores = new BrandScopedRepository(repository, 'ShopifyStore');
  }

  /** A newly connected store of the brand; `manager` runs it inside the caller's transaction. */
  insert(ctx: BrandContext, values: Partial<ShopifyStoreEntity>, manager?: EntityManager): Promise<ShopifyStoreEntity> {
    return (manager ? this.stores.with(manager) : this.stores).insert(ctx, values);
  }

  /** The next sync of the brand's store reads every product (inside the sync's transaction). */
  async requestFullSync(ctx: BrandContext, storeId: string, manager: EntityManager): Promise<void> {
    await this.stores.with(manager).update(ctx, storeId, { fullSyncRequested: true });
  }

  /** A sync succeeded as of `syncedAt` (the store's clock); a full one also clears the full-sync request. */
  async recordSync(brandId: string, storeId: string, syncedAt: Date, full: boolean): Promise<void> {
    await this.db.query(
      `UPDATE shopify_store
          SET last_synced_at = $2,
              last_full_sync_at = CASE WHEN $3 THEN $2 ELSE last_full_sync_at END,
              full_sync_requested = CASE WHEN $3 THEN false ELSE full_sync_requested END,
              updated_at = now()
        WHERE id = $1 AND brand_id = $4`,
      [storeId, syncedAt, full, brandId],
    );
  }

  /** The store is due again within `delaySeconds` (a webhook came while its sync was running). */
  async dueWithin(brandId: string, storeId: string, delaySeconds: number): Promise<void> {
    await this.db.query(
      `UPDATE shopify_store
          SET next_sync_at = LEAST(COALESCE(next_sync_at, 'infinity'), now() + make_interval(secs => $2))
        WHERE id = $1 AND brand_id = $3`,
      [storeId, delaySeconds, brandId],
    );
  }

  /**
   * Stores of every brand whose sync is due at `now` (at most 100), locked for the caller's transaction so
   * overlapping ticks never take one twice.
   */
  @SystemPath('shopify-store.store.systemClaimDue')
  systemClaimDue(manager: Queryable, now: Date): Promise<DueShopifyStore[]> {
    return manager.query(
      `SELECT id, brand_id, feed_id, shop_domain FROM shopify_store
          WHERE next_sync_at <= $1 ORDER BY next_sync_at LIMIT 100 FOR UPDATE SKIP LOCKED`,
      [now],
    );
  }

  /**
   * Moves a claimed store's next sync on by `intervalMinutes` from the minute of `now`, the tick's (none when the
   * interval is 0): counted from `now` itself, the next tick, a few seconds earlier in its minute, found the store
   * not yet due, as URL feeds did (FeedStore.advanceSchedule).
   */
  async advanceSchedule(
    manager: Queryable,
    brandId: string,
    storeId: string,
    now: Date,
    intervalMinutes: number,
  ): Promise<void> {
    await manager.query(
      `UPDATE shopify_store
              SET next_sync_at = CASE WHEN $3 > 0 THEN date_trunc('minute', $2::timestamptz) + make_interval(mins => $3) END
            WHERE id = $1 AND brand_id = $4`,
      [storeId, now, intervalMinutes, brandId],
    );
  }
}
