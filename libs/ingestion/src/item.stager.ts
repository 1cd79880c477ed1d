import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { CopyWriter } from './copy-writer.js';
import type { FeedMode } from './feed.entity.js';
import { acquireClient } from './pg-client.js';

export interface DiffCounts {
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
}

/**
 * Stages a run's accepted items: one COPY into a session temp table while reading, then set-based
 * SQL to compare with the feed's base version and to write the new version. Item data is
 * content-addressed (feed, offer id, hash), so an unchanged item is never written again, and a run
 * that changes nothing creates no version at all.
 */
export class ItemStager {
  private writer: CopyWriter | null = null;

  private constructor(
    private readonly client: PoolClient,
    private readonly table: string,
  ) {}

  static async open(dataSource: DataSource, runId: string): Promise<ItemStager> {
    const client = await acquireClient(dataSource);
    const table = `stage_${runId.replace(/-/g, '')}`;
    try {
      await client.query(
        `CREATE TEMP TABLE ${table} (offer_id text NOT NULL, content_hash text NOT NULL, "row" integer NOT NULL, data jsonb NOT NULL)`,
      );
      const stager = new ItemStager(client, table);
      stager.writer = new CopyWriter(client, `COPY ${table} (offer_id, content_hash, "row", data) FROM STDIN`);
      return stager;
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
  }

  get staged(): number {
    return this.writer?.count ?? 0;
  }

  add(offerId: string, contentHash: string, row: number, json: string): Promise<void> {
    return this.writer!.write([offerId, contentHash, row, json]);
  }

  /** Ends the COPY and indexes the stage for the comparisons. */
  async finishLoading(): Promise<void> {
    await this.writer!.end();
    await this.client.query(`CREATE INDEX ON ${this.table} (offer_id); ANALYZE ${this.table}`);
  }

  /**
   * Supplemental (UPDATE_ONLY) feeds may only touch products that exist: items whose id is in no
   * REPLACE feed of the brand are taken out of the stage and returned, to be reported.
   */
  async rejectUnknownForUpdateOnly(brandId: string): Promise<{ offerId: string; row: number }[]> {
    const { rows } = await this.client.query(
      `DELETE FROM ${this.table} s
        WHERE NOT EXISTS (
          SELECT 1 FROM feed f
            JOIN version_item vi ON vi.version_id = coalesce(f.live_version_id, (
              SELECT v.id FROM catalog_version v WHERE v.feed_id = f.id ORDER BY v.number DESC LIMIT 1))
           WHERE f.brand_id = $1 AND f.mode = 'REPLACE' AND vi.offer_id = s.offer_id)
        RETURNING s.offer_id AS "offerId", s."row"`,
      [brandId],
    );
    return rows;
  }

  async compare(baseVersionId: string | null, mode: FeedMode): Promise<DiffCounts> {
    const { rows } = await this.client.query(
      `SELECT count(*) FILTER (WHERE b.offer_id IS NULL)::int AS created,
              count(*) FILTER (WHERE b.content_hash <> s.content_hash)::int AS updated,
              count(*) FILTER (WHERE b.content_hash = s.content_hash)::int AS unchanged
         FROM ${this.table} s
         LEFT JOIN version_item b ON b.version_id = $1 AND b.offer_id = s.offer_id`,
      [baseVersionId],
    );
    let removed = 0;
    if (baseVersionId && mode === 'REPLACE') {
      const result = await this.client.query(
        `SELECT count(*)::int AS removed FROM version_item b
          WHERE b.version_id = $1 AND NOT EXISTS (SELECT 1 FROM ${this.table} s WHERE s.offer_id = b.offer_id)`,
        [baseVersionId],
      );
      removed = result.rows[0].removed;
    }
    return { ...rows[0], removed };
  }

  /** Writes the staged set as the feed's next version, in one transaction. */
  async commitVersion(input: { brandId: string; feedId: string; runId: string }): Promise<{ versionId: string; itemCount: number }> {
    const c = this.client;
    await c.query('BEGIN');
    try {
      // Serializes versions of one feed: two runs finishing at once get consecutive numbers.
      await c.query('SELECT id FROM feed WHERE id = $1 FOR UPDATE', [input.feedId]);
      await c.query(
        `INSERT INTO item_revision (feed_id, offer_id, content_hash, brand_id, "row", data)
         SELECT $1, offer_id, content_hash, $2, "row", data FROM ${this.table}
         ON CONFLICT (feed_id, offer_id, content_hash) DO NOTHING`,
        [input.feedId, input.brandId],
      );
      const { rows } = await c.query(
        `INSERT INTO catalog_version (brand_id, feed_id, run_id, number, item_count)
         VALUES ($1, $2, $3, (SELECT coalesce(max(number), 0) + 1 FROM catalog_version WHERE feed_id = $2),
                 (SELECT count(*) FROM ${this.table}))
         RETURNING id, item_count`,
        [input.brandId, input.feedId, input.runId],
      );
      await c.query(
        `INSERT INTO version_item (version_id, offer_id, content_hash) SELECT $1, offer_id, content_hash FROM ${this.table}`,
        [rows[0].id],
      );
      await c.query('COMMIT');
      return { versionId: rows[0].id, itemCount: rows[0].item_count };
    } catch (error) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Drops the stage and gives the connection back; after a failure the connection is discarded. */
  async close(failed = false): Promise<void> {
    if (failed) {
      this.writer?.abort();
      this.client.release(true);
      return;
    }
    try {
      await this.client.query(`DROP TABLE IF EXISTS ${this.table}`);
      this.client.release();
    } catch (error) {
      this.client.release(error as Error);
    }
  }
}
