import type { PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';

/** What a statement needs to run: an EntityManager (inside a transaction) or the data source. */
type Queryable = Pick<EntityManager, 'query'>;

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

  /** Retention: the brand's versions `ids` (their items go by cascade). */
  static async deleteMany(manager: Queryable, brandId: string, ids: string[]): Promise<void> {
    await manager.query('DELETE FROM catalog_version WHERE id = ANY($1::uuid[]) AND brand_id = $2', [ids, brandId]);
  }
}
