import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * run_rule_trace.changes as text, not jsonb. A run writes a trace row for every 128 items a rule changed, and
 * PostgreSQL's jsonb input cost about 2.5 µs of its CPU an item (parsing a 12 KB batch into a binary form twice its
 * size, then compressing that): a tenth of what 20 rules add to a run. The trace is written on every run and read
 * only when someone asks for it, so it is now stored as the JSON text the writer produced (valid by construction,
 * RunRuleTraceStore) and parsed when read, once per batch. `items` is how many items a batch holds, so a count and a
 * page read only what they need (null for rows written before it: those are counted by parsing them).
 */
export class RuleTraceText1764000000031 implements MigrationInterface {
  name = 'RuleTraceText1764000000031';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE run_rule_trace ALTER COLUMN changes TYPE text USING changes::text, ADD COLUMN items integer`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE run_rule_trace ALTER COLUMN changes TYPE jsonb USING changes::jsonb, DROP COLUMN items`);
  }
}
