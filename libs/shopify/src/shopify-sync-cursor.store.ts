import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * The one writer of shopify_sync_cursor (libs/db/src/table-owners.ts): how far each version of a Shopify feed is
 * complete, as of the store's clock.
 */
@Injectable()
export class ShopifySyncCursorStore {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /**
   * The version run `runId` of the brand made (or, when nothing changed, the base it matched) is complete as of
   * `syncedAt`: the cursor the next incremental sync reads from. A cursor only moves forward.
   */
  async record(
    brandId: string,
    runId: string,
    baseVersionId: string | null,
    storeId: string,
    syncedAt: Date,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO shopify_sync_cursor (version_id, store_id, synced_at)
       SELECT v.id, $3, $4 FROM (SELECT coalesce((SELECT id FROM catalog_version WHERE run_id = $1 AND brand_id = $5), $2::uuid) AS id) v
        WHERE v.id IS NOT NULL
       ON CONFLICT (version_id) DO UPDATE SET synced_at = greatest(shopify_sync_cursor.synced_at, excluded.synced_at)`,
      [runId, baseVersionId, storeId, syncedAt, brandId],
    );
  }
}
