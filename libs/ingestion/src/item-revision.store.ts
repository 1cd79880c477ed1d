import type { PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';
import { openRowWriter, type RowWriter } from './copy-writer.js';

/** The run (and so the brand and feed) whose item data is written. */
export interface RevisionTarget {
  brandId: string;
  feedId: string;
}

/**
 * The one writer of item_revision (libs/db/src/table-owners.ts): a feed's item data, content-addressed by (feed,
 * offer id, content hash), written by the ingestion stager on its own connection and pruned by publishing. Every
 * method takes the brand (in `target`, or as `brandId`).
 */
export class ItemRevisionStore {
  /**
   * A first import's COPY straight into item_revision (inside the stager's transaction), of the target's brand and
   * feed: each row written is [offer id, content hash, row, data], as into a stage.
   */
  static openDirectWriter(client: PoolClient, target: RevisionTarget): RowWriter {
    const writer = openRowWriter(
      client,
      'item_revision',
      ['feed_id', 'brand_id', 'offer_id', 'content_hash', '"row"', 'data'],
      false,
    );
    return {
      get count() {
        return writer.count;
      },
      write: (fields) => writer.write([target.feedId, target.brandId, ...fields]),
      end: () => writer.end(),
      abort: () => writer.abort(),
    };
  }

  /**
   * The staged items (session temp table `stage`) whose (offer id, content hash) the feed has no data for yet.
   * `range`: one block range of the stage, looked up per row (PGlite, see ItemStager.commitInChunks).
   */
  static async insertFromStage(
    client: PoolClient,
    target: RevisionTarget,
    stage: string,
    range: string | null,
  ): Promise<void> {
    await client.query(
      range === null
        ? `INSERT INTO item_revision (feed_id, offer_id, content_hash, brand_id, "row", data)
           SELECT $1, s.offer_id, s.content_hash, $2, s."row", s.data::jsonb FROM ${stage} s
            WHERE NOT EXISTS (SELECT 1 FROM item_revision ir
                               WHERE ir.feed_id = $1 AND ir.offer_id = s.offer_id AND ir.content_hash = s.content_hash)
           ON CONFLICT (feed_id, offer_id, content_hash) DO NOTHING`
        : `INSERT INTO item_revision (feed_id, offer_id, content_hash, brand_id, "row", data)
         SELECT $1, s.offer_id, s.content_hash, $2, s."row", s.data::jsonb FROM ${stage} s
          WHERE ${range}
            AND NOT EXISTS (SELECT 1 FROM item_revision ir
                             WHERE ir.feed_id = $1 AND ir.offer_id = s.offer_id AND ir.content_hash = s.content_hash
                             OFFSET 0)
         ON CONFLICT (feed_id, offer_id, content_hash) DO NOTHING`,
      [target.feedId, target.brandId],
    );
  }

  /**
   * After versions were pruned: the feed's item data no remaining version uses. Not while a run of the feed is
   * COMPARING: on PGlite it writes its item data before the version that will use it (see
   * ItemStager.commitInChunks); what it leaves unused goes at a later prune.
   */
  static async pruneUnused(manager: EntityManager, brandId: string, feedId: string): Promise<void> {
    await manager.query(
      `DELETE FROM item_revision ir WHERE ir.feed_id = $1 AND ir.brand_id = $2 AND NOT EXISTS (
           SELECT 1 FROM version_item vi JOIN catalog_version v ON v.id = vi.version_id
            WHERE v.feed_id = $1 AND vi.offer_id = ir.offer_id AND vi.content_hash = ir.content_hash)
           AND NOT EXISTS (SELECT 1 FROM ingestion_run r WHERE r.feed_id = $1 AND r.status = 'RUNNING' AND r.phase = 'COMPARING')`,
      [feedId, brandId],
    );
  }
}
