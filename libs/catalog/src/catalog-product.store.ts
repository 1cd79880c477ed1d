import type { EntityManager } from 'typeorm';
import { returnedRows, SystemPath } from '@brandshelf/db';
import { COLUMNS, IMAGES, MERGED, OVERLAY, SALE, UPDATES, VALUES } from './publish.sql.js';

/** What a statement needs to run: an EntityManager inside the publish's transaction. */
type Queryable = Pick<EntityManager, 'query'>;

/** Inserts new and rewrites changed products of the version; returns one row per written product. */
const UPSERT_LIVE_PRODUCTS = `
  INSERT INTO catalog_product (${COLUMNS})
  SELECT ${VALUES}
    FROM version_item vi
    JOIN item_revision ir ON ir.feed_id = $2 AND ir.offer_id = vi.offer_id AND ir.content_hash = vi.content_hash
    JOIN product_identity pi ON pi.feed_id = $2 AND pi.offer_id = vi.offer_id
    ${OVERLAY}
    ${MERGED}
    ${SALE}
    ${IMAGES}
   WHERE vi.version_id = $3 AND ($4::text[] IS NULL OR vi.offer_id = ANY($4)) AND (NOT $5::boolean OR img.main_ok)
  ON CONFLICT (feed_id, offer_id) DO UPDATE SET ${UPDATES}
   WHERE catalog_product.content_hash IS DISTINCT FROM EXCLUDED.content_hash
      OR catalog_product.overlay_hash IS DISTINCT FROM EXCLUDED.overlay_hash
      OR catalog_product.images IS DISTINCT FROM EXCLUDED.images
      OR catalog_product.search_config IS DISTINCT FROM EXCLUDED.search_config
      OR catalog_product.sale_price_minor IS DISTINCT FROM EXCLUDED.sale_price_minor
      OR catalog_product.sale_change_at IS DISTINCT FROM EXCLUDED.sale_change_at
  RETURNING (xmax = 0) AS inserted`;

/** Products of the feed that the version no longer has, or whose main image is no longer usable. */
const DELETE_REMOVED_PRODUCTS = `
  DELETE FROM catalog_product cp
   WHERE cp.feed_id = $1 AND cp.brand_id = $4
     AND NOT EXISTS (
       SELECT 1 FROM version_item vi
         JOIN item_revision ir ON ir.feed_id = $1 AND ir.offer_id = vi.offer_id AND ir.content_hash = vi.content_hash
        WHERE vi.version_id = $2 AND vi.offer_id = cp.offer_id
          AND (NOT $3::boolean OR EXISTS (
            SELECT 1 FROM image_source s
             WHERE s.brand_id = cp.brand_id AND s.url = ir.data->>'imageLink' AND s.status = 'PROCESSED')))
  RETURNING cp.offer_id`;

/**
 * Every brand's live products whose sale, judged where a primary and a supplemental feed meet, starts or ends at or
 * before $1 (at most $2, earliest first), by feed, locked for the caller's transaction: overlapping ticks never take
 * one twice. NO KEY UPDATE: what references a product by its key goes on meanwhile.
 */
const CLAIM_SALE_CHANGES = `
  WITH due AS (
    SELECT brand_id, feed_id, offer_id FROM catalog_product WHERE sale_change_at <= $1
     ORDER BY sale_change_at LIMIT $2
       FOR NO KEY UPDATE SKIP LOCKED)
  SELECT brand_id, feed_id, array_agg(offer_id) AS offer_ids FROM due GROUP BY brand_id, feed_id`;

/**
 * The one writer of catalog_product (libs/db/src/table-owners.ts), the live catalog: publishing writes a version's
 * items into it inside its transaction (which holds the feed's row lock). Every method takes the brand.
 */
export class CatalogProductStore {
  /**
   * Inserts the version's new products and rewrites its changed ones (all of them, or those in `onlyOffers`; with
   * `imagesRequired`, only those with a processed main image), their sales judged at `salesJudgedAt` (publish.sql.ts
   * SALE); one row per product written.
   */
  static upsertFromVersion(
    manager: Queryable,
    brandId: string,
    feedId: string,
    versionId: string,
    onlyOffers: string[] | null,
    imagesRequired: boolean,
    salesJudgedAt: Date,
  ): Promise<{ inserted: boolean }[]> {
    return manager.query(UPSERT_LIVE_PRODUCTS, [brandId, feedId, versionId, onlyOffers, imagesRequired, salesJudgedAt]);
  }

  /** Live products whose overlaid sale starts or ends at or before `now`, by brand and feed (CLAIM_SALE_CHANGES). */
  @SystemPath('catalog-product.store.systemClaimSaleChanges')
  static systemClaimSaleChanges(
    manager: Queryable,
    now: Date,
    limit: number,
  ): Promise<{ brand_id: string; feed_id: string; offer_ids: string[] }[]> {
    return manager.query(CLAIM_SALE_CHANGES, [now, limit]);
  }

  /**
   * The products' sale changes at or before `now` were acted on: any still marked (a product its upsert did not
   * write, such as one whose main image is no longer usable) is cleared, so no boundary is acted on twice.
   */
  static async clearSaleChanges(
    manager: Queryable,
    brandId: string,
    feedId: string,
    offerIds: string[],
    now: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE catalog_product SET sale_change_at = NULL
        WHERE brand_id = $1 AND feed_id = $2 AND offer_id = ANY($3) AND sale_change_at <= $4`,
      [brandId, feedId, offerIds, now],
    );
  }

  /** Deletes the feed's products the version no longer has (or whose main image is no longer usable); their ids. */
  static async deleteRemoved(
    manager: Queryable,
    brandId: string,
    feedId: string,
    versionId: string,
    imagesRequired: boolean,
  ): Promise<{ offer_id: string }[]> {
    return returnedRows<{ offer_id: string }>(
      await manager.query(DELETE_REMOVED_PRODUCTS, [feedId, versionId, imagesRequired, brandId]),
    );
  }
}
