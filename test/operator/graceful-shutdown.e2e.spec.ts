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
 * SIGTERM (a deploy, `docker stop`, Ctrl-C) to a worker in the middle of an ingestion: "SHUTDOWN_TIMEOUT_MS: how
 * long shutdown waits for in-flight requests and jobs". The worker stops taking jobs, finishes the run it holds
 * (the timeout here is far longer than the run), and exits 0; the run is done once, by that worker, and the next
 * worker publishes it. Built processes on the real PostgreSQL and s3rver.
 */

const server = testServerUrl();
if (!server) {
  console.warn('test/operator: skipped; set TEST_DATABASE_URL (real PostgreSQL) to run the graceful shutdown test');
}
const suite = server ? describe : describe.skip;

const ROWS = 80_000;

suite('operator: SIGTERM to a worker mid-ingest (built API + worker, PostgreSQL, s3rver)', () => {
  let cluster: ProcessCluster;
  let apiUrl: string;

  beforeAll(async () => {
    // Far beyond the run: the worker must finish it, not hand it back.
    cluster = await startProcessCluster('term', { SHUTDOWN_TIMEOUT_MS: '600000' });
    apiUrl = (await cluster.startApi()).url;
  }, 300_000);

  afterAll(async () => {
    await cluster?.close();
  }, 120_000);

  it('the stopping worker finishes the run it holds and exits 0; the run is done once', async () => {
    const { sql, until } = cluster;
    const worker = await cluster.startWorker();
    const { feedId, runId } = await uploadToNewBrand(apiUrl, 'Term Outdoor', productsCsv('term', ROWS));
    // The moment: the worker is reading and staging rows.
    await until('the worker staging the run', async () => {
      const { rows } = await sql.query('SELECT phase, rows_read FROM ingestion_run WHERE id = $1', [runId]);
      return rows[0].phase === 'READING' && rows[0].rows_read > 0 && rows[0].rows_read < ROWS;
    });
    worker.child.kill('SIGTERM');
    const exit = await worker.exited;

    expect(worker.output()).not.toContain('ingestion run crashed');
    expect(exit).toBe(0);
    const { rows: done } = await sql.query(
      'SELECT status, attempt, rows_read, items_accepted, error_code FROM ingestion_run WHERE id = $1',
      [runId],
    );
    expect(done[0]).toEqual({
      status: 'SUCCEEDED',
      attempt: 1,
      rows_read: ROWS,
      items_accepted: ROWS,
      error_code: null,
    });
    const { rows: jobs } = await sql.query(
      `SELECT state, retry_count FROM pgboss.job WHERE name = 'ingestion.run' AND data->>'runId' = $1`,
      [runId],
    );
    expect(jobs).toEqual([{ state: 'completed', retry_count: 0 }]);

    // The next worker takes the auto-publish the stopping one left queued.
    await cluster.startWorker();
    await until('the run published', async () => {
      const { rows } = await sql.query('SELECT publish_status FROM ingestion_run WHERE id = $1', [runId]);
      return rows[0].publish_status === 'PUBLISHED';
    });
    const { rows: live } = await sql.query('SELECT count(*)::int AS n FROM catalog_product WHERE feed_id = $1', [
      rawId(feedId),
    ]);
    expect(live[0].n).toBe(ROWS);
  }, 600_000);
});
