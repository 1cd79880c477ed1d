import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { openRowWriter, type RowWriter } from './copy-writer.js';
import type { FeedMode } from './feed.entity.js';
import { acquireClient } from './pg-client.js';

export interface DiffCounts {
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
}

export interface StagerTarget {
  runId: string;
  feedId: string;
  brandId: string;
  /**
   * The feed has no version and no item data yet (its first import): items are copied straight into
   * item_revision inside one transaction, so the data is written once and a failed run rolls back whole.
   */
  firstImport: boolean;
  /** The server is PGlite: no COPY (see openRowWriter), no first-import transaction. */
  pglite: boolean;
}

/**
 * Stages a run's accepted items while the file is read, then compares them with the feed's base version
 * and writes the new version in set-based SQL.
 *
 * - Later imports: one COPY into a session temp table (data kept as text), then only items whose
 *   (offer id, content hash) is new are parsed and inserted into item_revision: an unchanged item is
 *   never written again, and a run that changes nothing creates no version at all.
 * - A first import copies straight into item_revision in a transaction (every item is new).
 */
export class ItemStager {
  private writer: RowWriter | null = null;
  private inTransaction = false;
  private carried = 0;

  private constructor(
    private readonly client: PoolClient,
    private readonly target: StagerTarget,
    private readonly table: string,
    readonly direct: boolean,
  ) {}

  static async open(dataSource: DataSource, target: StagerTarget): Promise<ItemStager> {
    const client = await acquireClient(dataSource);
    const table = `stage_${target.runId.replace(/-/g, '')}`;
    try {
      if (target.firstImport && !target.pglite) {
        await client.query('BEGIN');
        // Durable anyway: the run's own (synchronous) commit right after flushes the log past this one.
        await client.query('SET LOCAL synchronous_commit = off');
        // Two first imports of one feed at once: the second takes the ordinary path.
        const [{ locked }] = (
          await client.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [target.feedId])
        ).rows;
        const { rows } = await client.query('SELECT 1 FROM item_revision WHERE feed_id = $1 LIMIT 1', [target.feedId]);
        if (locked && rows.length === 0) {
          const stager = new ItemStager(client, target, table, true);
          stager.inTransaction = true;
          stager.writer = openRowWriter(
            client,
            'item_revision',
            ['feed_id', 'brand_id', 'offer_id', 'content_hash', '"row"', 'data'],
            false,
          );
          return stager;
        }
        await client.query('ROLLBACK');
      }
      // A retry starts clean: on PGlite every connection shares one session, so a failed attempt's stage
      // outlives its connection (on PostgreSQL it went with it, and this drops nothing).
      await client.query(`DROP TABLE IF EXISTS pg_temp.${table}`);
      await client.query(
        `CREATE TEMP TABLE ${table} (offer_id text NOT NULL, content_hash text NOT NULL, "row" integer NOT NULL, data text NOT NULL)`,
      );
      const stager = new ItemStager(client, target, table, false);
      stager.writer = openRowWriter(client, table, ['offer_id', 'content_hash', '"row"', 'data'], target.pglite);
      return stager;
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
  }

  /** Items in the stage: those written by this run and those carried over from the base version. */
  get staged(): number {
    return (this.writer?.count ?? 0) + this.carried;
  }

  add(offerId: string, contentHash: string, row: number, json: string): Promise<void> {
    if (this.direct)
      return this.writer!.write([this.target.feedId, this.target.brandId, offerId, contentHash, row, json]);
    return this.writer!.write([offerId, contentHash, row, json]);
  }

  /** Ends the COPY and indexes the stage for the comparisons. */
  async finishLoading(): Promise<void> {
    await this.writer!.end();
    if (!this.direct) await this.client.query(`CREATE INDEX ON ${this.table} (offer_id); ANALYZE ${this.table}`);
  }

  /**
   * Supplemental (UPDATE_ONLY) feeds may only touch products that exist: items whose id is in no
   * REPLACE feed of the brand are taken out of the stage and returned, to be reported.
   */
  async rejectUnknownForUpdateOnly(): Promise<{ offerId: string; row: number }[]> {
    const { rows } = await this.client.query(
      `DELETE FROM ${this.table} s
        WHERE NOT EXISTS (
          SELECT 1 FROM feed f
            JOIN version_item vi ON vi.version_id = coalesce(f.live_version_id, (
              SELECT v.id FROM catalog_version v WHERE v.feed_id = f.id ORDER BY v.number DESC LIMIT 1))
           WHERE f.brand_id = $1 AND f.mode = 'REPLACE' AND vi.offer_id = s.offer_id)
        RETURNING s.offer_id AS "offerId", s."row"`,
      [this.target.brandId],
    );
    return rows;
  }

  /**
   * Incremental runs stage only what changed: the rest of the base version is carried over, minus the
   * removed offer ids, so the new version is complete and compares like a full one.
   */
  async carryOverBase(baseVersionId: string, removedOfferIds: string[]): Promise<number> {
    const { rowCount } = await this.client.query(
      `INSERT INTO ${this.table} (offer_id, content_hash, "row", data)
       SELECT vi.offer_id, vi.content_hash, ir."row", ir.data::text
         FROM version_item vi
         JOIN item_revision ir ON ir.feed_id = $2 AND ir.offer_id = vi.offer_id AND ir.content_hash = vi.content_hash
        WHERE vi.version_id = $1
          AND NOT (vi.offer_id = ANY($3::text[]))
          AND NOT EXISTS (SELECT 1 FROM ${this.table} s WHERE s.offer_id = vi.offer_id)`,
      [baseVersionId, this.target.feedId, removedOfferIds],
    );
    this.carried += rowCount ?? 0;
    return rowCount ?? 0;
  }

  async compare(baseVersionId: string | null, mode: FeedMode): Promise<DiffCounts> {
    if (this.direct) return { created: this.staged, updated: 0, unchanged: 0, removed: 0 };
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
  async commitVersion(): Promise<{ versionId: string; itemCount: number }> {
    const c = this.client;
    const { feedId, brandId, runId } = this.target;
    if (!this.inTransaction) {
      await c.query('BEGIN');
      await c.query('SET LOCAL synchronous_commit = off'); // see open()
      this.inTransaction = true;
    }
    try {
      // Serializes versions of one feed: two runs finishing at once get consecutive numbers.
      await c.query('SELECT id FROM feed WHERE id = $1 FOR UPDATE', [feedId]);
      if (!this.direct) {
        await c.query(
          `INSERT INTO item_revision (feed_id, offer_id, content_hash, brand_id, "row", data)
           SELECT $1, s.offer_id, s.content_hash, $2, s."row", s.data::jsonb FROM ${this.table} s
            WHERE NOT EXISTS (SELECT 1 FROM item_revision ir
                               WHERE ir.feed_id = $1 AND ir.offer_id = s.offer_id AND ir.content_hash = s.content_hash)
           ON CONFLICT (feed_id, offer_id, content_hash) DO NOTHING`,
          [feedId, brandId],
        );
      }
      const { rows } = await c.query(
        `INSERT INTO catalog_version (brand_id, feed_id, run_id, number, item_count)
         VALUES ($1, $2, $3, (SELECT coalesce(max(number), 0) + 1 FROM catalog_version WHERE feed_id = $2), $4)
         RETURNING id, item_count`,
        [brandId, feedId, runId, this.staged],
      );
      await c.query(
        this.direct
          ? `INSERT INTO version_item (version_id, offer_id, content_hash)
             SELECT $1, offer_id, content_hash FROM item_revision WHERE feed_id = $2`
          : `INSERT INTO version_item (version_id, offer_id, content_hash) SELECT $1, offer_id, content_hash FROM ${this.table}`,
        this.direct ? [rows[0].id, feedId] : [rows[0].id],
      );
      await c.query('COMMIT');
      this.inTransaction = false;
      return { versionId: rows[0].id, itemCount: rows[0].item_count };
    } catch (error) {
      await c.query('ROLLBACK').catch(() => undefined);
      this.inTransaction = false;
      throw error;
    }
  }

  /** Drops the stage (or rolls a first import back) and gives the connection back. */
  async close(failed = false): Promise<void> {
    if (failed) {
      this.writer?.abort();
      // PGlite's one session keeps the stage after the connection goes: drop it (there is no COPY to end there).
      if (this.target.pglite && !this.direct) {
        await this.client.query(`DROP TABLE IF EXISTS pg_temp.${this.table}`).catch(() => undefined);
      }
      this.client.release(true); // the server rolls back whatever the connection had open
      return;
    }
    try {
      if (this.inTransaction) await this.client.query('ROLLBACK');
      if (!this.direct) await this.client.query(`DROP TABLE IF EXISTS ${this.table}`);
      this.client.release();
    } catch (error) {
      this.client.release(error as Error);
    }
  }
}
