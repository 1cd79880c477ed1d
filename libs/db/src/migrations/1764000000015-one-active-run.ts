import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OneActiveRun1764000000015 implements MigrationInterface {
  name = 'OneActiveRun1764000000015';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- A feed has at most one run queued or running; the database refuses a second (IngestionRunStore maps the
      -- refusal to each trigger's answer). Older duplicates left by the former check-then-insert are cancelled,
      -- keeping the newest: a worker still running one sees cancel_requested and stops at its next progress check.
      UPDATE ingestion_run r
         SET status = 'CANCELLED', phase = 'DONE', cancel_requested = true,
             finished_at = COALESCE(r.finished_at, now()), updated_at = now()
        FROM (SELECT id, row_number() OVER (PARTITION BY feed_id ORDER BY queued_at DESC, id DESC) AS n
                FROM ingestion_run WHERE status IN ('QUEUED', 'RUNNING')) d
       WHERE r.id = d.id AND d.n > 1;
      CREATE UNIQUE INDEX ingestion_run_one_active_idx ON ingestion_run (feed_id) WHERE status IN ('QUEUED', 'RUNNING');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ingestion_run_one_active_idx;`);
  }
}
