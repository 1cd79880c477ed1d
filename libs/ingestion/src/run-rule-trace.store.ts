import type { PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';
import { openRowWriter, type RowWriter } from './copy-writer.js';

/** What a statement needs to run: the data source, or an EntityManager inside a transaction. */
type Queryable = Pick<EntityManager, 'query'>;

/** One attribute a rule changed on an item, as stored (compact: the rule's id and name and the attribute). */
export interface RuleChangeTrace {
  ruleId: string;
  ruleName: string;
  attribute: string;
}

/** The rule changes of one item of a run. */
export interface ItemRuleTrace {
  row: number;
  itemId: string | null;
  changes: RuleChangeTrace[];
}

/**
 * The one writer of run_rule_trace (libs/db/src/table-owners.ts): per item a rule changed, which rules changed which
 * attributes (one row per item, the changes as a JSON list), streamed while the run reads and capped like its issues.
 * Every method takes the brand of the run.
 */
export class RunRuleTraceStore {
  /** Streams traces into run_rule_trace on the caller's own connection: [row, item id, changes JSON]. */
  static openWriter(client: PoolClient, brandId: string, runId: string, pglite: boolean): RowWriter {
    const writer = openRowWriter(
      client,
      'run_rule_trace',
      ['run_id', 'brand_id', '"row"', 'item_id', 'changes'],
      pglite,
    );
    return {
      get count() {
        return writer.count;
      },
      write: (fields) => writer.write([runId, brandId, ...fields]),
      end: () => writer.end(),
      abort: () => writer.abort(),
    };
  }

  /** What an earlier attempt of the run stored (a retry starts over). */
  static async deleteForRun(db: Queryable, brandId: string, runId: string): Promise<void> {
    await db.query('DELETE FROM run_rule_trace WHERE run_id = $1 AND brand_id = $2', [runId, brandId]);
  }

  /** The traces of the brand's run at `rows`, by row. */
  static async forRows(
    db: Queryable,
    brandId: string,
    runId: string,
    rows: number[],
  ): Promise<Map<number, ItemRuleTrace>> {
    const found: { row: number; item_id: string | null; changes: RuleChangeTrace[] }[] = await db.query(
      `SELECT "row", item_id, changes FROM run_rule_trace WHERE run_id = $1 AND brand_id = $2 AND "row" = ANY($3::int[])`,
      [runId, brandId, rows],
    );
    return new Map(found.map((r) => [r.row, { row: r.row, itemId: r.item_id, changes: r.changes }]));
  }

  /** A page of the brand's run's traces by row, after row `afterRow`; `itemId` narrows to one item. */
  static async page(
    db: Queryable,
    brandId: string,
    runId: string,
    options: { first: number; afterRow: number | null; itemId: string | null },
  ): Promise<{ traces: ItemRuleTrace[]; totalCount: number; hasNextPage: boolean }> {
    const where = ['run_id = $1', 'brand_id = $2'];
    const params: unknown[] = [runId, brandId];
    if (options.itemId !== null) {
      params.push(options.itemId);
      where.push(`item_id = $${params.length}`);
    }
    const [{ n }]: { n: number }[] = await db.query(
      `SELECT count(*)::int AS n FROM run_rule_trace WHERE ${where.join(' AND ')}`,
      params,
    );
    if (options.afterRow !== null) {
      params.push(options.afterRow);
      where.push(`"row" > $${params.length}`);
    }
    params.push(options.first + 1);
    const rows: { row: number; item_id: string | null; changes: RuleChangeTrace[] }[] = await db.query(
      `SELECT "row", item_id, changes FROM run_rule_trace WHERE ${where.join(' AND ')} ORDER BY "row" LIMIT $${params.length}`,
      params,
    );
    return {
      traces: rows.slice(0, options.first).map((r) => ({ row: r.row, itemId: r.item_id, changes: r.changes })),
      totalCount: n,
      hasNextPage: rows.length > options.first,
    };
  }
}
