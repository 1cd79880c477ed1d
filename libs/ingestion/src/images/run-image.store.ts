import type { EntityManager } from 'typeorm';
import { IngestionRunStore } from '../ingestion-run.store.js';
import { ImageSourceStore } from './image-source.store.js';
import { ITEM_IMAGE_URLS } from './item-image-urls.js';

/** What a statement needs to run: the data source, or an EntityManager inside a transaction. */
type Queryable = Pick<EntityManager, 'query'>;

/**
 * The one writer of run_image (libs/db/src/table-owners.ts): the images each run needs and how far each got.
 * Every method takes the brand of the run. A statement that also writes image_source or the run's counters is
 * composed here from the parts ImageSourceStore and IngestionRunStore own (one round trip, one snapshot, as
 * before the tables had owners).
 */
export class RunImageStore {
  /**
   * Records the images version `versionId` needs for run `runId` (replacing any the run had): every image URL of
   * its items gets its image_source row, and a run_image row PENDING unless it was processed and its items did
   * not change since `baseVersionId`, or the run read its base's file again (`sameFile`: SALE_WINDOW) (SKIPPED).
   */
  static async plan(
    db: Queryable,
    brandId: string,
    run: { runId: string; feedId: string; versionId: string; baseVersionId: string | null; sameFile?: boolean },
  ): Promise<void> {
    await db.query(
      `DELETE FROM run_image WHERE run_id = $1 AND EXISTS (SELECT 1 FROM ingestion_run WHERE id = $1 AND brand_id = $2)`,
      [run.runId, brandId],
    );
    await db.query(
      `WITH items AS (
         SELECT ir.data AS d, (b.content_hash IS DISTINCT FROM vi.content_hash) AS changed
           FROM version_item vi
           JOIN item_revision ir ON ir.feed_id = $3 AND ir.offer_id = vi.offer_id AND ir.content_hash = vi.content_hash
           LEFT JOIN version_item b ON b.version_id = $5 AND b.offer_id = vi.offer_id
          WHERE vi.version_id = $4),
       urls AS (
         SELECT u.url, bool_or(items.changed) AS changed
           FROM items CROSS JOIN LATERAL (${ITEM_IMAGE_URLS}) u
          GROUP BY u.url),${ImageSourceStore.UPSERT_URLS}
       INSERT INTO run_image (run_id, image_id, state)
       SELECT $1, s.id, CASE WHEN s.status = 'PROCESSED' AND (NOT u.changed OR $6) THEN 'SKIPPED' ELSE 'PENDING' END
         FROM sources s JOIN urls u ON u.url = s.url`,
      [run.runId, brandId, run.feedId, run.versionId, run.baseVersionId, run.sameFile ?? false],
    );
  }

  /**
   * Settles one pending image of the run as `state` and advances the run's counters; an image settled meanwhile
   * (its host condemned by another worker, the run cancelled) stays settled.
   */
  static async settle(
    db: Queryable,
    brandId: string,
    runId: string,
    imageId: string,
    state: 'DONE' | 'FAILED' | 'SKIPPED',
  ): Promise<void> {
    await db.query(
      `WITH settled AS (
         UPDATE run_image SET state = $3 WHERE run_id = $1 AND image_id = $4 AND state = 'PENDING' RETURNING state)
       ${IngestionRunStore.COUNT_SETTLED}`,
      [runId, brandId, state, imageId],
    );
  }

  /**
   * Fails the run's images `imageIds` still pending, and their image_source rows as unreachable with `message`,
   * without fetching them (their host was given up); the run's counters advance by them.
   */
  static async failPending(
    db: Queryable,
    brandId: string,
    runId: string,
    imageIds: string[],
    message: string,
  ): Promise<void> {
    await db.query(
      `WITH settled AS (
         UPDATE run_image SET state = 'FAILED' WHERE run_id = $1 AND image_id = ANY($3::uuid[]) AND state = 'PENDING'
         RETURNING image_id, state),${ImageSourceStore.FAIL_SETTLED_UNREACHABLE}
       ${IngestionRunStore.COUNT_SETTLED}`,
      [runId, brandId, imageIds, message],
    );
  }

  /** A cancelled run's pending images, settled as skipped (the caller recounts the run). */
  static async skipPending(db: Queryable, brandId: string, runId: string): Promise<void> {
    await db.query(
      `UPDATE run_image SET state = 'SKIPPED' WHERE run_id = $1 AND state = 'PENDING'
          AND EXISTS (SELECT 1 FROM ingestion_run WHERE id = $1 AND brand_id = $2)`,
      [runId, brandId],
    );
  }
}
