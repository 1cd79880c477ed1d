import type { EntityManager } from 'typeorm';
import { returnedRows } from '@brandshelf/db';
import { COLUMNS, IMAGES, MERGED, OVERLAY, UPDATES, VALUES } from './publish.sql.js';

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
    ${IMAGES}
   WHERE vi.version_id = $3 AND ($4::text[] IS NULL OR vi.offer_id = ANY($4)) AND (NOT $5::boolean OR img.main_ok)
  ON CONFLICT (feed_id, offer_id) DO UPDATE SET ${UPDATES}
   WHERE catalog_product.content_hash IS DISTINCT FROM EXCLUDED.content_hash
      OR catalog_product.overlay_hash IS DISTINCT FROM EXCLUDED.overlay_hash
      OR catalog_product.images IS DISTINCT FROM EXCLUDED.images
      OR catalog_product.search_config IS DISTINCT FROM EXCLUDED.search_config
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
 * The one writer of catalog_product (libs/db/src/table-owners.ts), the live catalog: publishing writes a version's
 * items into it inside its transaction (which holds the feed's row lock). Every method takes the brand.
 */
export class CatalogProductStore {
  /**
   * Inserts the version's new products and rewrites its changed ones (all of them, or those in `onlyOffers`; with
   * `imagesRequired`, only those with a processed main image); one row per product written.
   */
  static upsertFromVersion(
    manager: Queryable,
    brandId: string,
    feedId: string,
    versionId: string,
    onlyOffers: string[] | null,
    imagesRequired: boolean,
  ): Promise<{ inserted: boolean }[]> {
    return manager.query(UPSERT_LIVE_PRODUCTS, [brandId, feedId, versionId, onlyOffers, imagesRequired]);
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
