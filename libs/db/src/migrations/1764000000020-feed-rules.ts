import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Feed rules (issue 14): per feed an ordered list of rules, versioned. Each setFeedRules writes a new row
 * (version = the feed's newest + 1, never updated); the newest is the current set. A run records the version it
 * applied (ingestion_run.rule_set_version, null: no rules), so each catalog version names the rule set that produced
 * it (through its run). A rollback to a version made under another rule set writes a new version copying that one
 * (restored_from). What rules changed per item is kept per run (run_rule_trace, capped like issues); an issue a
 * rule's value caused names the rule (run_issue.rule_id, rule_name); items a rule excluded are counted per rule.
 */
export class FeedRules1764000000020 implements MigrationInterface {
  name = 'FeedRules1764000000020';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE feed_rule_set (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL REFERENCES brand(id) ON DELETE CASCADE,
        feed_id uuid NOT NULL REFERENCES feed(id) ON DELETE CASCADE,
        version integer NOT NULL CHECK (version > 0),
        rules jsonb NOT NULL,
        restored_from integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (feed_id, version)
      );
      CREATE INDEX feed_rule_set_brand_idx ON feed_rule_set (brand_id, feed_id, version DESC);

      CREATE TABLE run_rule_trace (
        run_id uuid NOT NULL REFERENCES ingestion_run(id) ON DELETE CASCADE,
        brand_id uuid NOT NULL,
        "row" integer NOT NULL,
        item_id text,
        changes jsonb NOT NULL
      );
      CREATE INDEX run_rule_trace_run_idx ON run_rule_trace (run_id, "row");

      ALTER TABLE ingestion_run
        ADD COLUMN rule_set_version integer,
        ADD COLUMN items_excluded integer NOT NULL DEFAULT 0,
        ADD COLUMN items_changed_by_rules integer NOT NULL DEFAULT 0,
        ADD COLUMN excluded_by_rule jsonb NOT NULL DEFAULT '[]';
      ALTER TABLE run_issue ADD COLUMN rule_id text, ADD COLUMN rule_name text;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE run_issue DROP COLUMN rule_id, DROP COLUMN rule_name;
      ALTER TABLE ingestion_run DROP COLUMN rule_set_version, DROP COLUMN items_excluded,
        DROP COLUMN items_changed_by_rules, DROP COLUMN excluded_by_rule;
      DROP TABLE run_rule_trace;
      DROP TABLE feed_rule_set;
    `);
  }
}
