import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { acquireClient, runAsOwner } from '@brandshelf/db';
import { openRowWriter, type RowWriter } from './copy-writer.js';
import { CODES, truncateValue, type FeedMode, type ItemIssue } from '@brandshelf/catalog-rules';
import { CatalogVersionStore } from './catalog-version.store.js';
import { ItemRevisionStore } from './item-revision.store.js';
import { VersionItemStore } from './version-item.store.js';

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
  /**
   * The server is PGlite: no COPY (see openRowWriter), no first-import transaction, and the compare and
   * version steps run in chunks (see PGLITE_CHUNK_ROWS).
   */
  pglite: boolean;
}

/**
 * PGlite has one session for every connection, and a statement or a transaction holds it to the end: a
 * 200k-row compare or version step as a few big statements would keep searches and the health check
 * waiting for seconds. There they run as statements over about this many stage rows each (a range of the
 * stage's blocks), so other connections' statements are served in between.
 */
export const PGLITE_CHUNK_ROWS = 1000;

/**
 * The version items ("vi") of the brand's ($1) primary (REPLACE) feeds, each feed's live version, else its newest:
 * the products a supplemental (UPDATE_ONLY) feed's ids must name. Ends in a WHERE that callers extend with AND.
 */
export const PRIMARY_FEED_ITEMS = `feed f
  JOIN version_item vi ON vi.version_id = coalesce(f.live_version_id, (
    SELECT v.id FROM catalog_version v WHERE v.feed_id = f.id ORDER BY v.number DESC LIMIT 1))
 WHERE f.brand_id = $1 AND f.mode = 'REPLACE'`;

/** The ERROR of a supplemental feed's item whose id no primary product has (a run's, and its preview's). */
export function unknownItemIssue(row: number, offerId: string): ItemIssue {
  return {
    severity: 'ERROR',
    code: 'UNKNOWN_ITEM_ID',
    attribute: 'id',
    row,
    value: truncateValue(offerId),
    itemId: offerId,
    message: `No product with id "${offerId}" exists in this brand's primary feeds.`,
    hint: CODES.UNKNOWN_ITEM_ID.hint,
  };
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
  private indexed = false;
  /** PGlite: the version being written in chunks, invisible until its catalog_version row is committed. */
  private pendingVersionId: string | null = null;

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
          stager.writer = ItemRevisionStore.openDirectWriter(client, target);
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
    return this.writer!.write([offerId, contentHash, row, json]);
  }

  /**
   * Ends the COPY and indexes the stage for the comparisons. On PGlite the index (a long statement) is
   * made only for the steps that look items up by id in the stage (carry-over, UPDATE_ONLY checks): the
   * chunked compare and version steps read the stage by block range.
   */
  async finishLoading(): Promise<void> {
    await this.writer!.end();
    if (!this.target.pglite) await this.ensureIndexed();
  }

  private async ensureIndexed(): Promise<void> {
    if (this.direct || this.indexed) return;
    await this.client.query(`CREATE INDEX ON ${this.table} (offer_id); ANALYZE ${this.table}`);
    this.indexed = true;
  }

  /**
   * The stage as block ranges of about PGLITE_CHUNK_ROWS rows each, as SQL conditions on ctid (a TID range
   * scan reads only those blocks). The last range is open, so every row is in exactly one range.
   */
  private async blockRanges(): Promise<string[]> {
    const { rows } = await this.client.query(
      `SELECT (pg_relation_size('pg_temp.${this.table}') / current_setting('block_size')::int)::int AS blocks`,
    );
    const blocks: number = rows[0].blocks;
    // Rows per block from the count staged (an estimate: UPDATE_ONLY checks may have taken some out).
    const step = Math.max(1, Math.floor((blocks * PGLITE_CHUNK_ROWS) / Math.max(1, this.staged)));
    const ranges: string[] = [];
    for (let lo = 0; lo < blocks || lo === 0; lo += step) {
      const last = lo + step >= blocks;
      ranges.push(
        last ? `s.ctid >= '(${lo},0)'::tid` : `s.ctid >= '(${lo},0)'::tid AND s.ctid < '(${lo + step},0)'::tid`,
      );
      if (last) break;
    }
    return ranges;
  }

  /**
   * Supplemental (UPDATE_ONLY) feeds may only touch products that exist: items whose id is in no
   * REPLACE feed of the brand are taken out of the stage and returned, to be reported.
   */
  async rejectUnknownForUpdateOnly(): Promise<{ offerId: string; row: number }[]> {
    await this.ensureIndexed();
    const { rows } = await this.client.query(
      `DELETE FROM ${this.table} s
        WHERE NOT EXISTS (SELECT 1 FROM ${PRIMARY_FEED_ITEMS} AND vi.offer_id = s.offer_id)
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
    await this.ensureIndexed();
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
    if (this.target.pglite) return this.compareInChunks(baseVersionId, mode);
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

  /**
   * compare() on PGlite, a range of the stage at a time. The lookups in the base are forced to be per row
   * (a LATERAL or EXISTS subquery with OFFSET 0 is not turned into a join): the stage has no statistics,
   * and the planner would otherwise hash or merge the whole base (or the feed's whole item data) into
   * every range, which is quadratic over the ranges. Offer ids are unique in the stage (a repeated id is
   * rejected as DUPLICATE_ID, and version_item's key needs it), so the base items missing from the stage
   * are the base's count minus those matched.
   */
  private async compareInChunks(baseVersionId: string | null, mode: FeedMode): Promise<DiffCounts> {
    const diff: DiffCounts = { created: 0, updated: 0, unchanged: 0, removed: 0 };
    for (const range of await this.blockRanges()) {
      const { rows } = await this.client.query(
        `SELECT count(*) FILTER (WHERE b.offer_id IS NULL)::int AS created,
                count(*) FILTER (WHERE b.content_hash <> s.content_hash)::int AS updated,
                count(*) FILTER (WHERE b.content_hash = s.content_hash)::int AS unchanged
           FROM ${this.table} s
           LEFT JOIN LATERAL (SELECT b.offer_id, b.content_hash FROM version_item b
                               WHERE b.version_id = $1 AND b.offer_id = s.offer_id OFFSET 0) b ON true
          WHERE ${range}`,
        [baseVersionId],
      );
      diff.created += rows[0].created;
      diff.updated += rows[0].updated;
      diff.unchanged += rows[0].unchanged;
    }
    if (baseVersionId && mode === 'REPLACE') {
      const { rows } = await this.client.query('SELECT count(*)::int AS n FROM version_item WHERE version_id = $1', [
        baseVersionId,
      ]);
      diff.removed = rows[0].n - diff.updated - diff.unchanged;
    }
    return diff;
  }

  /** Writes the staged set as the feed's next version, in one transaction (on PGlite, see commitInChunks). */
  async commitVersion(): Promise<{ versionId: string; itemCount: number }> {
    if (this.target.pglite && !this.direct) return this.commitInChunks();
    const c = this.client;
    const { feedId } = this.target;
    if (!this.inTransaction) {
      await c.query('BEGIN');
      await c.query('SET LOCAL synchronous_commit = off'); // see open()
      this.inTransaction = true;
    }
    try {
      // Serializes versions of one feed: two runs finishing at once get consecutive numbers.
      await c.query('SELECT id FROM feed WHERE id = $1 FOR UPDATE', [feedId]);
      if (!this.direct) await ItemRevisionStore.insertFromStage(c, this.target, this.table, null);
      const version = await CatalogVersionStore.insertNext(c, this.target, this.staged);
      if (this.direct) await VersionItemStore.insertFromFeedRevisions(c, this.target, version.id);
      else await VersionItemStore.insertFromStage(c, this.target, version.id, this.table, null);
      await c.query('COMMIT');
      this.inTransaction = false;
      return { versionId: version.id, itemCount: version.item_count };
    } catch (error) {
      await c.query('ROLLBACK').catch(() => undefined);
      this.inTransaction = false;
      throw error;
    }
  }

  /**
   * commitVersion() on PGlite, in statements over a range of the stage each, so that other connections
   * are served in between, with the same outcome:
   * 1. the new item data goes into item_revision a range at a time (looked up per row, see
   *    compareInChunks). Rows there are content-addressed and
   *    read only through a version's items, so until the version exists they are invisible; a failed
   *    attempt leaves rows no version uses, which pruning removes (it leaves a feed's item data alone
   *    while a run of the feed is COMPARING, see PublishService.pruneVersions).
   * 2. the version's items go into version_item a range at a time under the version's id, decided now
   *    (derived from the run, so a retry finds and replaces what a crashed attempt left). Each range is a
   *    short transaction that skips the foreign-key trigger: the catalog_version row does not exist yet,
   *    and every reader reaches version_item through it, so the half-written set is seen by no one.
   * 3. one short transaction numbers the version and inserts its catalog_version row: the version appears
   *    whole, at once, as it does on PostgreSQL.
   */
  private async commitInChunks(): Promise<{ versionId: string; itemCount: number }> {
    const c = this.client;
    const { feedId, runId } = this.target;
    const versionId: string = (await c.query(`SELECT md5('catalog_version:' || $1)::uuid AS id`, [runId])).rows[0].id;
    this.pendingVersionId = versionId;
    // An earlier attempt of this run that died part-way (or after committing, before the run finished).
    await CatalogVersionStore.deleteUnlessLive(c, this.target, versionId);
    await VersionItemStore.deleteVersionItems(c, this.target, versionId);
    const ranges = await this.blockRanges();
    for (const range of ranges) await ItemRevisionStore.insertFromStage(c, this.target, this.table, range);
    for (const range of ranges) {
      // Skipping the trigger takes the owner's rights (session_replication_role is a superuser setting), so these
      // chunks run as the database's owner, not the application role; version_item has no brand column, and the
      // rows come from this run's own stage.
      await runAsOwner('pglite-version-items', async () => {
        await c.query('BEGIN');
        try {
          await c.query('SET LOCAL session_replication_role = replica');
          await VersionItemStore.insertFromStage(c, this.target, versionId, this.table, range);
          await c.query('COMMIT');
        } catch (error) {
          await c.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      });
    }
    await c.query('BEGIN');
    try {
      // Serializes versions of one feed: two runs finishing at once get consecutive numbers.
      await c.query('SELECT id FROM feed WHERE id = $1 FOR UPDATE', [feedId]);
      const version = await CatalogVersionStore.insertNext(c, this.target, this.staged, versionId);
      await c.query('COMMIT');
      this.pendingVersionId = null;
      return { versionId: version.id, itemCount: version.item_count };
    } catch (error) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** PGlite: the items of a version whose catalog_version row was never committed. */
  private async dropPendingVersion(): Promise<void> {
    if (!this.pendingVersionId) return;
    await VersionItemStore.deleteUncommitted(this.client, this.target, this.pendingVersionId).catch(() => undefined);
    this.pendingVersionId = null;
  }

  /** Drops the stage (or rolls a first import back) and gives the connection back. */
  async close(failed = false): Promise<void> {
    if (failed) {
      this.writer?.abort();
      await this.dropPendingVersion();
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
