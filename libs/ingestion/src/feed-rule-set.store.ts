import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** What a statement needs to run: the data source, or an EntityManager inside a transaction. */
type Queryable = Pick<EntityManager, 'query'>;

/** One stored version of a feed's rules (as validated, MAP tables as lists in the brand's order: feedRulesToStore). */
export interface FeedRuleSetRow {
  id: string;
  brandId: string;
  feedId: string;
  version: number;
  rules: unknown[];
  /** Set when a rollback wrote this version as a copy of that earlier one. */
  restoredFrom: number | null;
  createdAt: Date;
}

interface Raw {
  id: string;
  brand_id: string;
  feed_id: string;
  version: number;
  rules: unknown[];
  restored_from: number | null;
  created_at: Date;
}

const COLUMNS = 'id, brand_id, feed_id, version, rules, restored_from, created_at';
const toRow = (r: Raw): FeedRuleSetRow => ({
  id: r.id,
  brandId: r.brand_id,
  feedId: r.feed_id,
  version: r.version,
  rules: r.rules,
  restoredFrom: r.restored_from,
  createdAt: r.created_at,
});

/**
 * The one writer of feed_rule_set (libs/db/src/table-owners.ts): a feed's rules, one row per version, never
 * updated. The newest version is the current one. Every method takes the brand first; the caller has checked that
 * the feed is the brand's.
 */
@Injectable()
export class FeedRuleSetStore {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** The current (newest) version of the feed's rules; null when none was ever set. */
  async current(brandId: string, feedId: string, manager: Queryable = this.db): Promise<FeedRuleSetRow | null> {
    const rows: Raw[] = await manager.query(
      `SELECT ${COLUMNS} FROM feed_rule_set WHERE brand_id = $1 AND feed_id = $2 ORDER BY version DESC LIMIT 1`,
      [brandId, feedId],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Version `version` of the feed's rules; null when there is none. */
  async version(
    brandId: string,
    feedId: string,
    version: number,
    manager: Queryable = this.db,
  ): Promise<FeedRuleSetRow | null> {
    const rows: Raw[] = await manager.query(
      `SELECT ${COLUMNS} FROM feed_rule_set WHERE brand_id = $1 AND feed_id = $2 AND version = $3`,
      [brandId, feedId, version],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  /**
   * Writes `rules` as the feed's next version. The feed's row is locked first, so two writers get consecutive
   * numbers (the unique (feed_id, version) would refuse a duplicate anyway).
   */
  async insertNext(
    brandId: string,
    feedId: string,
    rules: unknown[],
    restoredFrom: number | null = null,
    manager?: EntityManager,
  ): Promise<FeedRuleSetRow> {
    const write = async (m: Queryable) => {
      await m.query('SELECT 1 FROM feed WHERE id = $1 AND brand_id = $2 FOR UPDATE', [feedId, brandId]);
      const rows: Raw[] = await m.query(
        `INSERT INTO feed_rule_set (brand_id, feed_id, version, rules, restored_from)
         VALUES ($1, $2, (SELECT coalesce(max(version), 0) + 1 FROM feed_rule_set WHERE feed_id = $2 AND brand_id = $1),
                 $3::jsonb, $4)
         RETURNING ${COLUMNS}`,
        [brandId, feedId, JSON.stringify(rules), restoredFrom],
      );
      return toRow(rows[0]);
    };
    return manager ? write(manager) : this.db.transaction(write);
  }
}
