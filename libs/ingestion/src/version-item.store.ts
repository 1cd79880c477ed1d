import type { PoolClient } from 'pg';

/** The run (and so the brand and feed) whose version's items are written. */
export interface VersionTarget {
  brandId: string;
  feedId: string;
}

/**
 * The one writer of version_item (libs/db/src/table-owners.ts): which item data each catalog version holds,
 * written by the ingestion stager on its own connection (a version's items go with it by cascade). Every method
 * takes the brand in `target`; version_item has no brand column, and its versions are the brand's own (the
 * stager created them for the brand's run).
 */
export class VersionItemStore {
  /**
   * The staged items (session temp table `stage`) as version `versionId`'s items. `range`: one block range of the
   * stage (PGlite, see ItemStager.commitInChunks).
   */
  static async insertFromStage(
    client: PoolClient,
    target: VersionTarget,
    versionId: string,
    stage: string,
    range: string | null,
  ): Promise<void> {
    await client.query(
      range === null
        ? `INSERT INTO version_item (version_id, offer_id, content_hash) SELECT $1, offer_id, content_hash FROM ${stage}`
        : `INSERT INTO version_item (version_id, offer_id, content_hash)
           SELECT $1, s.offer_id, s.content_hash FROM ${stage} s WHERE ${range}`,
      [versionId],
    );
  }

  /** A first import: every item data row of the feed is the version's. */
  static async insertFromFeedRevisions(client: PoolClient, target: VersionTarget, versionId: string): Promise<void> {
    await client.query(
      `INSERT INTO version_item (version_id, offer_id, content_hash)
             SELECT $1, offer_id, content_hash FROM item_revision WHERE feed_id = $2`,
      [versionId, target.feedId],
    );
  }

  /** The items an earlier attempt wrote under `versionId` (PGlite's retry of a run). */
  static async deleteVersionItems(client: PoolClient, target: VersionTarget, versionId: string): Promise<void> {
    await client.query('DELETE FROM version_item WHERE version_id = $1', [versionId]);
  }

  /** PGlite: the items of a version whose catalog_version row was never committed. */
  static async deleteUncommitted(client: PoolClient, target: VersionTarget, versionId: string): Promise<void> {
    await client.query(
      `DELETE FROM version_item WHERE version_id = $1
            AND NOT EXISTS (SELECT 1 FROM catalog_version v WHERE v.id = $1)`,
      [versionId],
    );
  }
}
