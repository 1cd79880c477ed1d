import type { EntityManager } from 'typeorm';

/** What a statement needs to run: an EntityManager inside the publish's transaction. */
type Queryable = Pick<EntityManager, 'query'>;

const ENSURE_IDENTITIES = `
  INSERT INTO product_identity (brand_id, feed_id, offer_id)
  SELECT $1, $2, vi.offer_id FROM version_item vi WHERE vi.version_id = $3
  ON CONFLICT (feed_id, offer_id) DO NOTHING`;

/**
 * The one writer of product_identity (libs/db/src/table-owners.ts): the stable id of each (feed, offer id) the
 * brand ever published, kept across versions. Every method takes the brand.
 */
export class ProductIdentityStore {
  /** An identity for every item of the version that has none yet. */
  static async ensureForVersion(manager: Queryable, brandId: string, feedId: string, versionId: string): Promise<void> {
    await manager.query(ENSURE_IDENTITIES, [brandId, feedId, versionId]);
  }
}
