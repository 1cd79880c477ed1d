import type { PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';
import { openRowWriter, type RowWriter } from './copy-writer.js';
import type { StoredRuleChange } from './row-preparer.js';

/** What a statement needs to run: the data source, or an EntityManager inside a transaction. */
type Queryable = Pick<EntityManager, 'query'>;

/** One attribute a rule changed on an item, as stored (compact: the rule's id and name and the attribute). */
export interface RuleChangeTrace {
  ruleId: string;
  ruleName: string;
  attribute: string;
}

/**
 * The rules of the run's rule-set version by position, loaded when first asked for: what a stored change
 * ([rule index, attribute], see StoredRuleChange) names.
 */
export type TraceRules = () => Promise<readonly { id: string; name: string }[]>;

/** The rule changes of one item of a run. */
export interface ItemRuleTrace {
  row: number;
  itemId: string | null;
  changes: RuleChangeTrace[];
}

/**
 * The one writer of run_rule_trace (libs/db/src/table-owners.ts): per item a rule changed, which rules changed which
 * attributes, streamed while the run reads and capped like its issues. Items are stored in batches, one row per
 * batch of consecutive traced items (IssueSink.addTrace): `row` is the batch's first item row, `item_id` null, `items`
 * how many it holds and `changes` the JSON text {"patterns": [changes, …], "rows": [[row, item id, pattern index], …]}. Earlier runs stored
 * {"rows": [[row, item id, changes], …]}, or a row per item (`changes` the list); all three are read.
 * A change is stored as [rule index, attribute] (StoredRuleChange; an exclusion, and runs before that form, as
 * { ruleId, ruleName, attribute }) and read back with the rule's id and name from the run's rule-set version.
 * Every method takes the brand of the run.
 */
export class RunRuleTraceStore {
  /** Streams traces into run_rule_trace on the caller's own connection: rows of batchRow(). */
  static openWriter(client: PoolClient, brandId: string, runId: string, pglite: boolean): RowWriter {
    const writer = openRowWriter(
      client,
      'run_rule_trace',
      ['run_id', 'brand_id', '"row"', 'item_id', 'changes', 'items'],
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
    rules: TraceRules,
  ): Promise<Map<number, ItemRuleTrace>> {
    if (!rows.length) return new Map();
    // Only the batches that can hold the rows: from the one holding the first to the one starting before the last.
    const found: StoredTrace[] = await db.query(
      `SELECT "row", item_id, changes FROM (${itemTraces(
        `AND b."row" <= $4 AND b."row" >= (SELECT coalesce(max("row"), 0) FROM run_rule_trace
                                            WHERE run_id = $1 AND brand_id = $2 AND "row" <= $5)`,
      )}) t WHERE "row" = ANY($3::int[])`,
      [runId, brandId, rows, Math.max(...rows), Math.min(...rows)],
    );
    const traces = await readTraces(found, rules);
    return new Map(traces.map((trace) => [trace.row, trace]));
  }

  /** A page of the brand's run's traces by row, after row `afterRow`; `itemId` narrows to one item. */
  static async page(
    db: Queryable,
    brandId: string,
    runId: string,
    options: { first: number; afterRow: number | null; itemId: string | null },
    rules: TraceRules,
  ): Promise<{ traces: ItemRuleTrace[]; totalCount: number; hasNextPage: boolean }> {
    const where: string[] = [];
    const params: unknown[] = [runId, brandId];
    if (options.itemId !== null) {
      params.push(options.itemId);
      where.push(`item_id = $${params.length}`);
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // Without an item filter, the count is the batches' own (a row per item counts one; a batch written before
    // `items` is parsed); with one, every item has to be read.
    const [{ n }]: { n: number }[] = await db.query(
      options.itemId === null
        ? `SELECT coalesce(sum(CASE WHEN items IS NOT NULL THEN items WHEN left(changes, 1) = '[' THEN 1
                                    ELSE jsonb_array_length(changes::jsonb->'rows') END), 0)::int AS n
             FROM run_rule_trace WHERE run_id = $1 AND brand_id = $2`
        : `SELECT count(*)::int AS n FROM (${itemTraces()}) t ${filter}`,
      params,
    );
    let batches = '';
    const start = options.afterRow ?? 0;
    if (options.afterRow !== null) {
      params.push(options.afterRow);
      where.push(`"row" > $${params.length}`);
    }
    if (options.itemId === null) {
      // The page lies in the batch holding the next row and the first+1 after it (each holds at least one item),
      // so a page reads a few batches, not the rest of the run.
      params.push(start, options.first + 1);
      batches = `AND b."row" >= (SELECT coalesce(max("row"), 0) FROM run_rule_trace
                                  WHERE run_id = $1 AND brand_id = $2 AND "row" <= $${params.length - 1})
                 AND b."row" <= coalesce((SELECT max("row") FROM (SELECT "row" FROM run_rule_trace
                                  WHERE run_id = $1 AND brand_id = $2 AND "row" > $${params.length - 1}
                                  ORDER BY "row" LIMIT $${params.length}) n), $${params.length - 1})`;
    } else if (options.afterRow !== null) {
      // The batch holding the next row and those after it.
      batches = `AND b."row" >= (SELECT coalesce(max("row"), 0) FROM run_rule_trace
                                  WHERE run_id = $1 AND brand_id = $2 AND "row" <= $${params.length})`;
    }
    params.push(options.first + 1);
    const rows: StoredTrace[] = await db.query(
      `SELECT "row", item_id, changes FROM (${itemTraces(batches)}) t WHERE ${where.length ? where.join(' AND ') : 'true'}
        ORDER BY "row" LIMIT $${params.length}`,
      params,
    );
    return {
      traces: await readTraces(rows.slice(0, options.first), rules),
      totalCount: n,
      hasNextPage: rows.length > options.first,
    };
  }
}

/**
 * The run's traces one row per item ($1 the run, $2 the brand), from rows of either form; `batchFilter` narrows the
 * batches read (alias b). `changes` is JSON text (see the migration RuleTraceText1764000000031): a batch is parsed
 * once (the OFFSET 0 keeps PostgreSQL from parsing it again for each reference), a list (a row per item) as read.
 */
function itemTraces(batchFilter = ''): string {
  return `SELECT "row", item_id, changes::jsonb AS changes FROM run_rule_trace
           WHERE run_id = $1 AND brand_id = $2 AND left(changes, 1) = '['
          UNION ALL
          SELECT (e->>0)::int, e->>1,
                 CASE WHEN jsonb_typeof(e->2) = 'number' THEN d.doc->'patterns'->((e->>2)::int) ELSE e->2 END
            FROM run_rule_trace b
           CROSS JOIN LATERAL (SELECT b.changes::jsonb AS doc OFFSET 0) d
           CROSS JOIN LATERAL jsonb_array_elements(d.doc->'rows') e
           WHERE b.run_id = $1 AND b.brand_id = $2 AND left(b.changes, 1) = '{' ${batchFilter}`;
}

interface StoredTrace {
  row: number;
  item_id: string | null;
  changes: (StoredRuleChange | RuleChangeTrace)[];
}

/** Stored traces with every change named (the run's rules loaded once, and only when a change is stored by index). */
async function readTraces(found: StoredTrace[], rules: TraceRules): Promise<ItemRuleTrace[]> {
  let named: readonly { id: string; name: string }[] | null = null;
  if (found.some((r) => r.changes.some((change) => Array.isArray(change)))) named = await rules();
  return found.map((r) => ({
    row: r.row,
    itemId: r.item_id,
    changes: r.changes.map((change) => {
      if (!Array.isArray(change)) return change;
      const [index, attribute] = change;
      const rule = named?.[index];
      // Unreachable while rule-set versions are kept (they are never updated or deleted before their feed).
      return rule
        ? { ruleId: rule.id, ruleName: rule.name, attribute }
        : { ruleId: `rules[${index}]`, ruleName: `rules[${index}]`, attribute };
    }),
  }));
}

/**
 * One item's entry of a trace batch: its row, its id and which of the batch's patterns its changes are (their
 * position in `patterns`, see traceBatchRow).
 */
export function traceBatchEntry(row: number, itemId: string | null, pattern: number): string {
  return `[${row},${itemId === null ? 'null' : JSON.stringify(itemId)},${pattern}]`;
}

/**
 * The [row, item id, changes] of a trace batch whose first item is at `firstRow`: `entries` joined by commas, and
 * `patterns` the distinct change lists (JSON, as the reader serialized them) the entries point to. A feed's items
 * fall into a few patterns, so a batch stores each once (measured: 20 rules' lists were ~120 bytes an item, a
 * third of what the rules added to what a run sends PostgreSQL).
 */
export function traceBatchRow(
  firstRow: number,
  entries: string,
  items: number,
  patterns: readonly string[],
): [number, null, string, number] {
  return [firstRow, null, `{"patterns":[${patterns.join(',')}],"rows":[${entries}]}`, items];
}
