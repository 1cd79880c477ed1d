import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { logContext } from '@brandshelf/core';
import { JOB_HANDLER_METADATA, type JobContext, type JobDefinition } from './job.definition.js';

export interface QueueSettings {
  connectionString: string;
  definitions: JobDefinition<object>[];
  /**
   * Consume jobs in this process (worker processes, and the API in embedded mode); a list of job names
   * consumes only those (the CLI finishing its own run's images and auto-publish).
   */
  consume: boolean | readonly string[];
  concurrency: number;
  /** Per-job concurrency overrides (image processing wants more than ingestion). */
  concurrencyByJob?: Record<string, number>;
  shutdownTimeoutMs: number;
  pollingIntervalSeconds?: number;
  /**
   * A running job's lease (JOB_LEASE_SECONDS). This process renews the expiry of the jobs it runs every third
   * of it, so the job of a process that died expires (and is retried elsewhere) within about one lease plus
   * pg-boss's maintenance interval (half a lease, at most 120 s), never later than the job kind's own
   * `expireInSeconds`, which stays the bound of one attempt. Unset: jobs expire after `expireInSeconds` only.
   */
  leaseSeconds?: number;
  /**
   * The role the application's own connections take (DATABASE_APP_ROLE): they enqueue jobs inside their
   * transactions, so it is granted the queue's tables once pg-boss has made them. Null: none.
   */
  appRole?: string | null;
}

export const QUEUE_SETTINGS = Symbol('QUEUE_SETTINGS');

type Handler = (payload: object, job: JobContext) => Promise<unknown>;

/** Something that runs SQL inside a caller's transaction: a TypeORM EntityManager or QueryRunner. */
export interface SqlExecutor {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** Thrown at startup when a job has no handler or more than one. */
export class JobHandlerRegistryError extends Error {}

@Injectable()
export class QueueService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Queue');
  private boss: PgBoss | null = null;
  private readonly handlers = new Map<string, Handler>();
  private readonly inFlight = new Map<string, { name: string; done: Promise<unknown>; stop: AbortController }>();
  private stopping = false;
  private leaseTimer: NodeJS.Timeout | null = null;
  /** A connection of its own for lease renewals, so they never wait behind the queue's polling. */
  private leaseDb: pg.Pool | null = null;

  constructor(
    @Inject(QUEUE_SETTINGS) private readonly settings: QueueSettings,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async onModuleInit(): Promise<void> {
    this.collectHandlers();
    const boss = new PgBoss({
      connectionString: this.settings.connectionString,
      schema: 'pgboss',
      max: 4,
      application_name: `brandshelf-queue:${process.pid}`,
      // Expiry of dead processes' jobs runs in maintenance: often enough that a lease means what it says.
      ...(this.settings.leaseSeconds
        ? { maintenanceIntervalSeconds: Math.max(1, Math.min(120, Math.floor(this.settings.leaseSeconds / 2))) }
        : {}),
      // Scheduled jobs are sent by the processes that consume every job (pg-boss elects one per minute).
      schedule: this.settings.consume === true,
    });
    boss.on('error', (error) => this.logger.error({ msg: 'queue error', err: String(error) }));
    await boss.start();
    this.boss = boss;
    await this.createQueues(boss);
    if (this.settings.consume === true) await this.registerSchedules(boss);
    if (this.settings.consume !== false) {
      await this.startConsumers(boss);
      const lease = this.settings.leaseSeconds;
      if (lease) {
        this.leaseDb = new pg.Pool({
          connectionString: this.settings.connectionString,
          max: 1,
          application_name: `brandshelf-lease:${process.pid}`,
          allowExitOnIdle: true, // never what keeps a process alive
        });
        this.leaseDb.on('error', () => undefined); // a dropped idle connection is replaced on next use
        this.leaseTimer = setInterval(() => void this.renewLeases(), Math.max(500, (lease * 1000) / 3));
        this.leaseTimer.unref();
      }
    }
  }

  /**
   * Creates the queues of the defined jobs and grants them to the application role, one process at a time.
   * pg-boss's createQueue makes a partition of pgboss.job (CREATE TABLE, ATTACH PARTITION, a foreign key to
   * pgboss.queue) without a lock of its own: two processes creating queues at once on a new database (an API and
   * its workers started together, as a deployment does) lock pgboss.queue in opposite orders and all but one
   * stop at boot with "deadlock detected". A session advisory lock on a connection of its own makes the others
   * wait, then find the queues made (createQueue does nothing for a queue that exists).
   */
  private async createQueues(boss: PgBoss): Promise<void> {
    const lock = new pg.Client({
      connectionString: this.settings.connectionString,
      application_name: `brandshelf-queue-setup:${process.pid}`,
    });
    lock.on('error', () => undefined); // a dropped connection fails the query below, and ends the lock with it
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [QUEUE_SETUP_LOCK]);
      const existing = new Set((await boss.getQueues()).map((q) => q.name));
      for (const def of this.settings.definitions) {
        if (existing.has(def.name)) continue;
        await boss.createQueue(def.name, {
          name: def.name,
          retryLimit: def.options.retryLimit,
          retryDelay: def.options.retryDelaySeconds,
          retryBackoff: true,
          expireInSeconds: def.options.expireInSeconds,
        });
      }
      // After the queues, so the grant covers the tables they made.
      if (this.settings.appRole) await grantQueue(boss, this.settings.appRole);
      // Said, not left to the session's end: the embedded database has one session for every connection.
      await lock.query('SELECT pg_advisory_unlock($1)', [QUEUE_SETUP_LOCK]);
    } finally {
      await lock.end().catch(() => undefined); // a session that ends (an error above) releases its lock
    }
  }

  /**
   * Renews the lease of the jobs running in this process (or of `only`): each one's expiry becomes one lease
   * from now, capped by its kind's expireInSeconds. Best effort: a missed renewal is made up by the next.
   */
  private async renewLeases(only?: { id: string; name: string }): Promise<void> {
    const lease = this.settings.leaseSeconds;
    const db = this.leaseDb;
    if (!lease || !db) return;
    const jobs = only ? [only] : [...this.inFlight].map(([id, job]) => ({ id, name: job.name }));
    const byName = new Map<string, string[]>();
    for (const job of jobs) byName.set(job.name, [...(byName.get(job.name) ?? []), job.id]);
    for (const [name, ids] of byName) {
      const limit = this.settings.definitions.find((d) => d.name === name)?.options.expireInSeconds;
      if (!limit) continue;
      await db
        .query(
          `UPDATE pgboss.job SET expire_in = LEAST(make_interval(secs => $4),
                  (now() - started_on) + make_interval(secs => $3))
            WHERE name = $1 AND id = ANY($2::uuid[]) AND state = 'active'`,
          [name, ids, lease, limit],
        )
        .catch((error: unknown) => this.logger.warn({ msg: 'job lease not renewed', job: name, err: String(error) }));
    }
  }

  /**
   * Each job with a `cron` is scheduled (pg-boss keeps schedules in the database and sends each due job once,
   * whichever process's clock monitor gets there first); a job that no longer has one is unscheduled.
   */
  private async registerSchedules(boss: PgBoss): Promise<void> {
    const scheduled = new Set((await boss.getSchedules()).map((s) => s.name));
    for (const def of this.settings.definitions) {
      if (def.options.cron) await boss.schedule(def.name, def.options.cron, {}, { tz: 'UTC' });
      else if (scheduled.has(def.name)) await boss.unschedule(def.name);
    }
  }

  /** Checks the one-handler-per-job rule before anything consumes. */
  private collectHandlers(): void {
    const found = new Map<string, string[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance);
      if (!prototype) continue;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const jobName = this.reflector.get<string>(JOB_HANDLER_METADATA, fn);
        if (!jobName) continue;
        const where = `${prototype.constructor.name}.${method}`;
        found.set(jobName, [...(found.get(jobName) ?? []), where]);
        this.handlers.set(jobName, (payload, job) => (fn as Handler).call(instance, payload, job));
      }
    }
    const problems: string[] = [];
    const defined = new Set(this.settings.definitions.map((d) => d.name));
    for (const name of defined) {
      const places = found.get(name) ?? [];
      if (places.length === 0) problems.push(`job "${name}" has no @JobHandler`);
      if (places.length > 1) problems.push(`job "${name}" has ${places.length} handlers: ${places.join(', ')}`);
    }
    for (const [name, places] of found) {
      if (!defined.has(name)) problems.push(`${places.join(', ')} handles "${name}", which is not a defined job`);
    }
    if (problems.length) throw new JobHandlerRegistryError(`Job handler check failed: ${problems.join('; ')}`);
  }

  private async startConsumers(boss: PgBoss): Promise<void> {
    const only = Array.isArray(this.settings.consume) ? new Set(this.settings.consume) : null;
    for (const def of this.settings.definitions) {
      if (only && !only.has(def.name)) continue;
      const handler = this.handlers.get(def.name)!;
      const workers = this.settings.concurrencyByJob?.[def.name] ?? this.settings.concurrency;
      // pg-boss 10 runs one job at a time per worker; N workers give N at once.
      for (let i = 0; i < workers; i++) {
        const worker = { id: '' };
        worker.id = await boss.work<object>(
          def.name,
          {
            batchSize: 1,
            includeMetadata: true,
            pollingIntervalSeconds: this.settings.pollingIntervalSeconds ?? 0.5,
          },
          async ([job]) => {
            await this.renewLeases({ id: job.id, name: def.name });
            const stop = new AbortController();
            const run = logContext.run({ jobId: job.id, job: def.name }, () =>
              handler(job.data, { id: job.id, name: job.name, retryCount: job.retryCount, signal: stop.signal }),
            );
            this.inFlight.set(job.id, { name: def.name, done: run.catch(() => undefined), stop });
            try {
              return await run;
            } catch (error) {
              this.logger.error({
                msg: 'job failed',
                job: def.name,
                jobId: job.id,
                attempt: job.retryCount + 1,
                err: String((error as Error)?.stack ?? error),
              });
              throw error;
            } finally {
              this.inFlight.delete(job.id);
              // pg-boss waits out the polling interval after every job, even with more queued: a run of
              // 600 quick image batches would take 5 minutes per worker. Fetch the next one at once instead;
              // only a fetch that finds nothing waits.
              if (worker.id && !this.stopping) boss.notifyWorker(worker.id);
            }
          },
        );
      }
    }
  }

  /**
   * Queues a job. With `db` (the caller's transaction) the job exists exactly when the caller's writes
   * commit: a crash in between cannot lose it, and nobody sees the writes without the job.
   */
  async send<P extends object>(
    definition: JobDefinition<P>,
    payload: P,
    options: { singletonKey?: string; startAfterSeconds?: number; db?: SqlExecutor } = {},
  ): Promise<string | null> {
    if (!this.boss) throw new Error('Queue is not started');
    const db = options.db;
    return this.boss.send(definition.name, payload, {
      singletonKey: options.singletonKey,
      startAfter: options.startAfterSeconds,
      ...(db
        ? {
            db: {
              executeSql: async (text: string, values: unknown[]) => {
                const result = await db.query(text, values);
                // TypeORM answers an UPDATE with [rows, count] and anything else with the rows.
                const rows =
                  Array.isArray(result) &&
                  result.length === 2 &&
                  Array.isArray(result[0]) &&
                  typeof result[1] === 'number'
                    ? result[0]
                    : result;
                return { rows: Array.isArray(rows) ? rows : [] };
              },
            },
          }
        : {}),
    });
  }

  /** Queues many jobs of one kind in one statement (a run's image batches: hundreds at once). */
  async sendMany<P extends object>(
    definition: JobDefinition<P>,
    payloads: P[],
    options: { startAfterSeconds?: number } = {},
  ): Promise<void> {
    if (!this.boss) throw new Error('Queue is not started');
    if (payloads.length === 0) return;
    const startAfter = options.startAfterSeconds === undefined ? undefined : String(options.startAfterSeconds);
    // The queue's own retry and expiry settings apply, as with send().
    await this.boss.insert(payloads.map((data) => ({ name: definition.name, data, startAfter })));
  }

  /**
   * Takes the next waiting job of a kind whose payload's `field` is none of `except` (in pg-boss's own
   * order: priority, then age; a retry counts as an attempt), runs it with the kind's handler in the caller's
   * turn and completes or fails it as a consumer would. False when no such job waits. For a handler whose
   * own job must wait (a brand over its share of image slots): it does another's work meanwhile instead of
   * holding a consumer idle while jobs wait behind it.
   */
  async runNextExcept(definition: JobDefinition<object>, field: string, except: string[]): Promise<boolean> {
    const boss = this.boss;
    const handler = this.handlers.get(definition.name);
    if (!boss || !handler || this.stopping) return false;
    const claimed = (await boss.getDb().executeSql(
      `WITH next AS (
         SELECT id FROM pgboss.job
          WHERE name = $1 AND state < 'active' AND start_after < now() AND NOT (data->>$2 = ANY($3::text[]))
          ORDER BY priority DESC, created_on, id
          LIMIT 1
          FOR UPDATE SKIP LOCKED)
       UPDATE pgboss.job j SET state = 'active', started_on = now(),
              retry_count = CASE WHEN started_on IS NOT NULL THEN retry_count + 1 ELSE retry_count END
         FROM next WHERE j.name = $1 AND j.id = next.id
       RETURNING j.id, j.data, j.retry_count`,
      [definition.name, field, except],
    )) as { rows: { id: string; data: object; retry_count: number }[] };
    const [job] = claimed.rows;
    if (!job) return false;
    await this.renewLeases({ id: job.id, name: definition.name });
    const stop = new AbortController();
    const run = logContext.run({ jobId: job.id, job: definition.name }, () =>
      handler(job.data, { id: job.id, name: definition.name, retryCount: job.retry_count, signal: stop.signal }),
    );
    this.inFlight.set(job.id, { name: definition.name, done: run.catch(() => undefined), stop });
    try {
      await run;
      await boss.complete(definition.name, job.id);
    } catch (error) {
      this.logger.error({
        msg: 'job failed',
        job: definition.name,
        jobId: job.id,
        attempt: job.retry_count + 1,
        err: String((error as Error)?.stack ?? error),
      });
      await boss.fail(definition.name, job.id, { message: String((error as Error)?.message ?? error) });
    } finally {
      this.inFlight.delete(job.id);
    }
    return true;
  }

  /** Gives a job up (it is not retried): what the queue does with a job whose worker died on its last attempt. */
  async cancel(definition: JobDefinition<object>, jobId: string): Promise<void> {
    await this.boss?.cancel(definition.name, jobId);
  }

  /**
   * Jobs of a kind whose payload contains `match` (JSON containment) that are still waiting, retrying or
   * running: what a stall sweep asks before it decides that no job will ever come for something. With `db`, asked
   * inside the caller's transaction (which may then send the missing job in it, see send()).
   */
  async liveJobs(
    definition: JobDefinition<object>,
    match: Record<string, unknown>,
    options: { db?: SqlExecutor } = {},
  ): Promise<number> {
    if (!this.boss) throw new Error('Queue is not started');
    const sql = `SELECT count(*)::int AS count FROM pgboss.job WHERE name = $1 AND state < 'completed' AND data @> $2::jsonb`;
    const params = [definition.name, JSON.stringify(match)];
    if (options.db) {
      const rows = (await options.db.query(sql, params)) as { count: number }[];
      return rows[0]?.count ?? 0;
    }
    const result = (await this.boss.getDb().executeSql(sql, params)) as { rows: { count: number }[] };
    return result.rows[0]?.count ?? 0;
  }

  /** Whether this process consumes every job (workers, and the API in embedded mode). */
  get consumes(): boolean {
    return this.settings.consume === true;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /**
   * Stops fetching and gives running jobs SHUTDOWN_TIMEOUT_MS less the hand-back time (shutdownWindows) to finish.
   * Then it aborts what still runs (JobContext.signal: an ingestion run goes back to the queue with a new job) and
   * fails back what has not ended by the deadline (retried by the next worker). Past the deadline nothing waits more
   * than QUEUE_CLOSE_MS for the database (a saturated one answers late or never): a job whose failure was not
   * answered stays active until its lease runs out (JOB_LEASE_SECONDS) and is retried then, and a run left RUNNING is
   * taken over by that retry or queued again by the stall sweep.
   */
  async onApplicationShutdown(): Promise<void> {
    if (!this.boss || this.stopping) return;
    this.stopping = true;
    const boss = this.boss;
    const { finishMs, handBackMs } = shutdownWindows(this.settings.shutdownTimeoutMs);
    const deadline = Date.now() + finishMs + handBackMs;
    const offWorkAt = Date.now();
    for (const def of this.settings.definitions) await within(boss.offWork(def.name), deadline);
    await within(Promise.all([...this.inFlight.values()].map((j) => j.done)), Date.now() + finishMs);
    if (this.inFlight.size) {
      this.logger.warn({ msg: 'shutting down: handing unfinished jobs back', jobs: this.inFlight.size, handBackMs });
      for (const job of this.inFlight.values()) job.stop.abort();
      await within(Promise.all([...this.inFlight.values()].map((j) => j.done)), deadline);
    }
    // Leases are renewed while jobs may still finish; the unfinished ones are handed back just below.
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    const unfinished = [...this.inFlight].map(([id, job]) => {
      this.logger.warn({ msg: 'releasing unfinished job to the queue', job: job.name, jobId: id });
      return boss.fail(job.name, id, { reason: 'worker shut down before the job finished' }).catch(() => undefined);
    });
    // offWork leaves pg-boss polling (once a second) until its workers report stopped; give that loop time
    // to see them stopped and end, or it would outlive the process's teardown.
    if (this.settings.consume !== false) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, offWorkAt + 1500 - Date.now())));
    }
    // The failures sent above, pg-boss's stop (after them) and the pools' end wait for their statements, however
    // long the database takes: bounded. A job whose failure was not answered stays active until its lease runs out.
    const closed = await within(
      Promise.all([
        Promise.all(unfinished).then(() => boss.stop({ graceful: true, wait: true, timeout: 1000 })),
        this.leaseDb?.end(),
      ]),
      Date.now() + QUEUE_CLOSE_MS,
    );
    if (!closed) {
      this.logger.warn({ msg: "the database did not answer the hand-back or the queue's close in time; leaving them" });
    }
    this.leaseDb = null;
    this.boss = null;
  }
}

/** How long failing back unfinished jobs and closing the queue's connections may take at shutdown, after the jobs' deadline. */
const QUEUE_CLOSE_MS = 3000;

/**
 * SHUTDOWN_TIMEOUT_MS split: running jobs get `finishMs` to finish; what still runs then gets `handBackMs` (a
 * fifth of it, at least 1 s) to hand its work back (an ingestion run) or be failed back to the queue.
 */
export function shutdownWindows(shutdownTimeoutMs: number): { finishMs: number; handBackMs: number } {
  const handBackMs = Math.max(1000, Math.round(shutdownTimeoutMs / 5));
  return { finishMs: Math.max(0, shutdownTimeoutMs - handBackMs), handBackMs };
}

/** Whether `promise` settled (either way) by `deadline` (epoch ms); it is not waited for past it. */
async function within(promise: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Held while a process creates the queues and grants them (see createQueues). */
const QUEUE_SETUP_LOCK = 7254190331;

/** Grants the application role the queue's tables (from pg-boss's connection, whose login made them). */
async function grantQueue(boss: PgBoss, role: string): Promise<void> {
  // Several processes start at once; one at a time, so their grants never update the same catalog row together.
  await boss.getDb().executeSql(
    `BEGIN;
     SELECT pg_advisory_xact_lock(7254190330);
     GRANT USAGE ON SCHEMA pgboss TO ${role};
     GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pgboss TO ${role};
     GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pgboss TO ${role};
     GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgboss TO ${role};
     COMMIT;`,
    [],
  );
}
