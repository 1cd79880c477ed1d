import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  productsCsv,
  rawId,
  startProcessCluster,
  testServerUrl,
  uploadToNewBrand,
  type ProcessCluster,
} from '@brandshelf/testing';

/**
 * SIGTERM to a worker whose run cannot finish within SHUTDOWN_TIMEOUT_MS: the worker hands the run back at once
 * (QUEUED, with a job another worker can take now, not after the stall sweep's minutes), exits 0, and the next
 * worker starts the run over and publishes it once. And a shutdown whose hand-back the database does not answer
 * (the run's job row locked) still ends: the process exits while the lock is held. Built processes on the real
 * PostgreSQL and s3rver.
 */

const server = testServerUrl();
if (!server) {
  console.warn('test/operator: skipped; set TEST_DATABASE_URL (real PostgreSQL) to run the shutdown hand-back test');
}
const suite = server ? describe : describe.skip;

const ROWS = 80_000;

suite('operator: SIGTERM to a worker whose run outlasts SHUTDOWN_TIMEOUT_MS (built API + worker, PostgreSQL)', () => {
  let cluster: ProcessCluster;
  let apiUrl: string;

  beforeAll(async () => {
    // Far shorter than the run: the worker cannot finish it, so it must hand it back.
    // Progress every 100 ms: the run notices the hand-back well within the shutdown's last second.
    // A short lease: the third test's run is queued again by the stall sweep after twice that much silence (at the
    // next minute's tick), not after the default two minutes.
    cluster = await startProcessCluster('handback', {
      SHUTDOWN_TIMEOUT_MS: '500',
      INGEST_PROGRESS_INTERVAL_MS: '100',
      JOB_LEASE_SECONDS: '8',
    });
    apiUrl = (await cluster.startApi()).url;
  }, 300_000);

  afterAll(async () => {
    await cluster?.close();
  }, 120_000);

  /** Until `runId` is read and staged by a worker, early on (far from its end). */
  const readingEarly = (runId: string) =>
    cluster.until('the worker staging the run', async () => {
      const { rows } = await cluster.sql.query('SELECT phase, rows_read FROM ingestion_run WHERE id = $1', [runId]);
      return rows[0].phase === 'READING' && rows[0].rows_read > 0 && rows[0].rows_read < ROWS / 2;
    });

  /** The run done once by a later attempt and published once, with every row. */
  const expectDoneOnce = async (runId: string, feedId: string, timeoutMs?: number) => {
    const { sql, until } = cluster;
    await until(
      'the run published',
      async () => {
        const { rows } = await sql.query('SELECT publish_status FROM ingestion_run WHERE id = $1', [runId]);
        return rows[0].publish_status === 'PUBLISHED';
      },
      timeoutMs,
    );
    const { rows: done } = await sql.query(
      'SELECT status, attempt, rows_read, items_accepted, error_code FROM ingestion_run WHERE id = $1',
      [runId],
    );
    expect(done[0]).toEqual({
      status: 'SUCCEEDED',
      attempt: 2,
      rows_read: ROWS,
      items_accepted: ROWS,
      error_code: null,
    });
    const versions = await sql.query('SELECT count(*)::int AS n FROM catalog_version WHERE feed_id = $1', [
      rawId(feedId),
    ]);
    expect(versions.rows[0].n).toBe(1);
    const publications = await sql.query('SELECT count(*)::int AS n FROM publication WHERE run_id = $1', [runId]);
    expect(publications.rows[0].n).toBe(1);
    const live = await sql.query(
      'SELECT count(*)::int AS n, count(DISTINCT offer_id)::int AS distinct FROM catalog_product WHERE feed_id = $1',
      [rawId(feedId)],
    );
    expect(live.rows[0]).toEqual({ n: ROWS, distinct: ROWS });
  };

  it('hands the run it cannot finish back to the queue at once, and the next worker publishes it once', async () => {
    const { sql } = cluster;
    const worker = await cluster.startWorker();
    const { feedId, runId } = await uploadToNewBrand(apiUrl, 'Handback Outdoor', productsCsv('hb', ROWS));
    await readingEarly(runId);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);

    // No worker is running now: what the stopping one left is all there is.
    const { rows: run } = await sql.query('SELECT status, phase, attempt FROM ingestion_run WHERE id = $1', [runId]);
    expect(run[0]).toEqual({ status: 'QUEUED', phase: 'QUEUED', attempt: 1 });
    expect(worker.output()).not.toContain('ingestion run crashed');
    expect(worker.output()).toContain('run handed back to the queue');
    const { rows: available } = await sql.query(
      `SELECT retry_count FROM pgboss.job
        WHERE name = 'ingestion.run' AND data->>'runId' = $1 AND state < 'active' AND start_after <= now()`,
      [runId],
    );
    // One job any worker may take now, with no failed attempt counted against the run.
    expect(available).toEqual([{ retry_count: 0 }]);

    const next = await cluster.startWorker();
    await expectDoneOnce(runId, feedId);
    // The next test's worker is the only one.
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  }, 600_000);

  it('exits within its shutdown while the database does not answer the hand-back (the job row locked)', async () => {
    const { until } = cluster;
    const worker = await cluster.startWorker();
    const { feedId, runId } = await uploadToNewBrand(apiUrl, 'Locked Outdoor', productsCsv('lk', ROWS));
    await readingEarly(runId);
    // A saturated database, as the stopping worker sees it: every statement on the run's job waits.
    const lock = new pg.Client({ connectionString: cluster.db.url });
    await lock.connect();
    try {
      await lock.query('BEGIN');
      const locked = await lock.query(
        `SELECT id FROM pgboss.job WHERE name = 'ingestion.run' AND data->>'runId' = $1 AND state = 'active' FOR UPDATE`,
        [runId],
      );
      expect(locked.rows).toHaveLength(1);
      worker.child.kill('SIGTERM');
      let exit: number | string | null | undefined;
      void worker.exited.then((code) => (exit = code));
      // The lock is still held here: the process ends without the database's answer.
      await until('the worker exited while its job row is locked', async () => exit !== undefined, 60_000);
      expect(exit).toBe(0);
    } finally {
      await lock.query('ROLLBACK').catch(() => undefined);
      await lock.end();
    }
    const next = await cluster.startWorker();
    await expectDoneOnce(runId, feedId);
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  }, 600_000);

  it('exits even when its run cannot stop, and the run it could not hand back is recovered by the stall sweep', async () => {
    const { until } = cluster;
    const worker = await cluster.startWorker();
    const { feedId, runId } = await uploadToNewBrand(apiUrl, 'Stuck Outdoor', productsCsv('st', ROWS));
    await readingEarly(runId);
    // The run's own row locked: its progress writes wait, so it can neither go on nor hand itself back.
    const lock = new pg.Client({ connectionString: cluster.db.url });
    await lock.connect();
    try {
      await lock.query('BEGIN');
      await lock.query('SELECT 1 FROM ingestion_run WHERE id = $1 FOR UPDATE', [runId]);
      worker.child.kill('SIGTERM');
      let exit: number | string | null | undefined;
      void worker.exited.then((code) => (exit = code));
      await until('the worker exited while its run row is locked', async () => exit !== undefined, 60_000);
      // 0 when its pools close without the waiting statement, 1 when the close waited past its limit.
      expect([0, 1]).toContain(exit);
      expect(worker.output()).toContain('releasing unfinished job to the queue');
      expect(worker.output()).not.toContain('run handed back to the queue');
    } finally {
      await lock.query('ROLLBACK').catch(() => undefined);
      await lock.end();
    }
    // What the dead worker's connection had waiting ran once the lock went: the run looks alive for a while, so
    // the failed-back job's retry may leave it alone; then the stall sweep (a run silent for twice the lease) queues
    // it again.
    await cluster.startWorker();
    await expectDoneOnce(runId, feedId, 420_000);
  }, 600_000);
});
