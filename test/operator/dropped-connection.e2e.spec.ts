import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  productsCsv,
  rawId,
  startProcessCluster,
  testServerUrl,
  uploadToNewBrand,
  type ProcessCluster,
} from '@brandshelf/testing';

/**
 * A worker's database connection dropped in the middle of a run (a failover, a proxy's cut, an operator's
 * pg_terminate_backend; here the last, on the backend running the run's COPY). The worker must live on, the run
 * be tried again and published once. Built processes on the real PostgreSQL and s3rver.
 */

const server = testServerUrl();
if (!server) {
  console.warn('test/operator: skipped; set TEST_DATABASE_URL (real PostgreSQL) to run the dropped connection test');
}
const suite = server ? describe : describe.skip;

const ROWS = 80_000;

suite('operator: a worker whose connection is terminated mid-COPY (built API + worker, PostgreSQL, s3rver)', () => {
  let cluster: ProcessCluster;

  beforeAll(async () => {
    cluster = await startProcessCluster('drop');
  }, 120_000);

  afterAll(async () => {
    await cluster?.close();
  }, 120_000);

  it('the worker lives on, and the run is tried again and published once', async () => {
    const { sql, until, logs } = cluster;
    const { url: apiUrl } = await cluster.startApi();
    const worker = await cluster.startWorker();
    const { feedId, runId } = await uploadToNewBrand(apiUrl, 'Drop Outdoor', productsCsv('drop', ROWS));

    // The worker's backend running the run's COPY, found in the database.
    const backend = await until('the worker staging the run by COPY', async () => {
      const { rows } = await sql.query(
        `SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = $1 AND state = 'active' AND query ILIKE 'COPY %'`,
        [`brandshelf:${worker.pid}`],
      );
      return rows[0]?.pid as number | undefined;
    });
    const { rows: terminated } = await sql.query('SELECT pg_terminate_backend($1) AS ok', [backend]);
    expect(terminated[0].ok).toBe(true);

    // Either the run is taken up again or the worker is gone: then it died of the dropped connection.
    await until('a second attempt, or the worker gone', async () => {
      if (!worker.alive()) return true;
      const { rows } = await sql.query('SELECT attempt FROM ingestion_run WHERE id = $1', [runId]);
      return rows[0].attempt >= 2;
    });
    expect(worker.alive()).toBe(true);
    await until('the run published', async () => {
      const { rows } = await sql.query('SELECT status, publish_status FROM ingestion_run WHERE id = $1', [runId]);
      if (rows[0].status === 'FAILED') throw new Error(`run failed\n${logs()}`);
      return rows[0].publish_status === 'PUBLISHED';
    });
    expect(worker.alive()).toBe(true);
    const { rows: done } = await sql.query(
      'SELECT status, attempt, rows_read, items_accepted FROM ingestion_run WHERE id = $1',
      [runId],
    );
    expect(done[0]).toEqual({ status: 'SUCCEEDED', attempt: 2, rows_read: ROWS, items_accepted: ROWS });
    const { rows: live } = await sql.query('SELECT count(*)::int AS n FROM catalog_product WHERE feed_id = $1', [
      rawId(feedId),
    ]);
    expect(live[0].n).toBe(ROWS);
    const { rows: publications } = await sql.query('SELECT count(*)::int AS n FROM publication WHERE run_id = $1', [
      runId,
    ]);
    expect(publications[0].n).toBe(1);
  }, 600_000);
});
