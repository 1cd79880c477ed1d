import type { PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';
import { SystemPath } from '@brandshelf/db';

/** What a statement needs to run: an EntityManager (inside a transaction) or the data source. */
type Queryable = Pick<EntityManager, 'query'>;

/** A live version whose next sale start or end has passed (CatalogVersionStore.systemClaimSaleChanges). */
export interface DueSaleChange {
  brand_id: string;
  feed_id: string;
  version_id: string;
  next_sale_change_at: Date;
  /** The stored file of the run that made the version; null when retention deleted it (or it had none). */
  source_key: string | null;
  source_name: string | null;
  bytes_total: string | null;
}

/** The run a version is written for. */
export interface VersionOwner {
  brandId: string;
  feedId: string;
  runId: string;
}

/**
 * The one writer of catalog_version (libs/db/src/table-owners.ts): versions are numbered and inserted by the
 * ingestion stager, dropped when their run ends in IMAGES without succeeding, and pruned by publishing. Every
 * method takes the brand (in `target`, or as `brandId`).
 */
export class CatalogVersionStore {
  /**
   * The feed's next version (numbered after its newest), holding `itemCount` items; `id` when chosen beforehand
   * (PGlite). The caller holds the feed's row lock, so two runs finishing at once get consecutive numbers.
   */
  static async insertNext(
    client: PoolClient,
    target: VersionOwner,
    itemCount: number,
    id: string | null = null,
  ): Promise<{ id: string; item_count: number }> {
    const { rows } =
      id === null
        ? await client.query(
            `INSERT INTO catalog_version (brand_id, feed_id, run_id, number, item_count)
         VALUES ($1, $2, $3, (SELECT coalesce(max(number), 0) + 1 FROM catalog_version WHERE feed_id = $2), $4)
         RETURNING id, item_count`,
            [target.brandId, target.feedId, target.runId, itemCount],
          )
        : await client.query(
            `INSERT INTO catalog_version (id, brand_id, feed_id, run_id, number, item_count)
         VALUES ($1, $2, $3, $4, (SELECT coalesce(max(number), 0) + 1 FROM catalog_version WHERE feed_id = $3), $5)
         RETURNING id, item_count`,
            [id, target.brandId, target.feedId, target.runId, itemCount],
          );
    return rows[0];
  }

  /** A version an earlier attempt of the run committed, unless it is live (PGlite's retry of a run). */
  static async deleteUnlessLive(client: PoolClient, target: VersionOwner, versionId: string): Promise<void> {
    await client.query(
      `DELETE FROM catalog_version v WHERE v.id = $1 AND v.brand_id = $2
          AND NOT EXISTS (SELECT 1 FROM feed f WHERE f.live_version_id = v.id)`,
      [versionId, target.brandId],
    );
  }

  /** The version run `runId` made, unless it is live: a run ending in IMAGES without succeeding leaves none. */
  static async dropRunVersion(manager: Queryable, brandId: string, runId: string): Promise<void> {
    await manager.query(
      `DELETE FROM catalog_version v WHERE v.run_id = $1 AND v.brand_id = $2
          AND NOT EXISTS (SELECT 1 FROM feed f WHERE f.live_version_id = v.id)`,
      [runId, brandId],
    );
  }

  /**
   * When a sale of the version's items next starts or ends (null: none will), as the run that made it, or that found
   * it unchanged, judged it.
   */
  static async setNextSaleChange(
    manager: Queryable,
    brandId: string,
    versionId: string,
    at: Date | null,
  ): Promise<void> {
    await manager.query('UPDATE catalog_version SET next_sale_change_at = $3 WHERE id = $1 AND brand_id = $2', [
      versionId,
      brandId,
      at,
    ]);
  }

  /**
   * Every brand's live versions whose next sale start or end is at or before `now` (at most 100, earliest first),
   * locked for the caller's transaction so overlapping ticks never take one twice; the caller clears each it acts on
   * (clearNextSaleChange) in that transaction. NO KEY UPDATE: publishing's KEY SHARE on the version (the feed's
   * foreign key) goes on meanwhile.
   */
  @SystemPath('catalog-version.store.systemClaimSaleChanges')
  static systemClaimSaleChanges(manager: Queryable, now: Date): Promise<DueSaleChange[]> {
    return manager.query(
      `SELECT v.brand_id, v.feed_id, v.id AS version_id, v.next_sale_change_at, r.source_key, r.source_name,
              r.bytes_total
         FROM catalog_version v
         JOIN feed f ON f.live_version_id = v.id AND f.brand_id = v.brand_id
         JOIN ingestion_run r ON r.id = v.run_id AND r.brand_id = v.brand_id
        WHERE v.next_sale_change_at <= $1
        ORDER BY v.next_sale_change_at LIMIT 100
        FOR NO KEY UPDATE OF v SKIP LOCKED`,
      [now],
    );
  }

  /** The version's sale change was acted on (a run was started for it, or it cannot be): none is pending. */
  static clearNextSaleChange(manager: Queryable, brandId: string, versionId: string): Promise<void> {
    return CatalogVersionStore.setNextSaleChange(manager, brandId, versionId, null);
  }

  /**
   * rollbackFeed made the version live again: its sales are as its run judged them, and the boundary that run kept
   * may have been acted on (cleared) while the version was live before. Restored, so the scheduler reads the file
   * again once it has passed (at once when it has), the earlier of the two when the version still has one.
   */
  static async restoreNextSaleChange(manager: Queryable, brandId: string, versionId: string): Promise<void> {
    await manager.query(
      `UPDATE catalog_version v SET next_sale_change_at = LEAST(v.next_sale_change_at, r.next_sale_change_at)
         FROM ingestion_run r
        WHERE v.id = $1 AND v.brand_id = $2 AND r.id = v.run_id AND r.brand_id = v.brand_id`,
      [versionId, brandId],
    );
  }

  /** Retention: the brand's versions `ids` (their items go by cascade). */
  static async deleteMany(manager: Queryable, brandId: string, ids: string[]): Promise<void> {
    await manager.query('DELETE FROM catalog_version WHERE id = ANY($1::uuid[]) AND brand_id = $2', [ids, brandId]);
  }
}
