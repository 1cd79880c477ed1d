import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { BrandContext } from '@brandshelf/core';
import { returnedRows, SystemPath } from '@brandshelf/db';
import { IngestionRunEntity, type RunPhase, type RunStatus, type RunTrigger } from './ingestion-run.entity.js';
import type { RunErrorCode } from '@brandshelf/catalog-rules';

/** What a statement needs to run: the data source, or an EntityManager inside a transaction. */
type Queryable = Pick<EntityManager, 'query'>;

/** The counters a progress write stores (RunProgress's), with skips already as stored (most frequent first). */
export interface ProgressCounters {
  phase: RunPhase;
  bytesRead: number;
  bytesTotal: number | null;
  rowsRead: number;
  itemsAccepted: number;
  itemsRejected: number;
  warnings: number;
  errors: number;
  rowsSkipped: number;
  rowsSkippedByReason: { reason: string; count: number }[];
}

/** What a new run records. */
export interface NewRun {
  trigger: RunTrigger;
  /** Chosen by the caller when the file is stored under the run's id before the run exists. */
  id?: string;
  sourceKey?: string | null;
  sourceName?: string | null;
  bytesTotal?: number | null;
  validateOnly?: boolean;
  /** SALE_WINDOW: the instant the run judges sale windows at (the scheduler's tick), instead of when it reads. */
  salesJudgedAt?: Date | null;
}

/** The run that already holds a feed's one active slot. */
export interface ActiveRun {
  id: string;
  status: Extract<RunStatus, 'QUEUED' | 'RUNNING'>;
}

/** Either the run just created, or the feed's run that is already queued or running (and nothing was created). */
export type RunStart = { created: IngestionRunEntity; active?: undefined } | { created?: undefined; active: ActiveRun };

/**
 * The one writer of ingestion_run (libs/db/src/table-owners.ts). Every method takes the brand first (its context
 * or id) and writes only that brand's runs, except the `system…` methods, which act across brands for the
 * schedulers and retention sweeps.
 *
 * Creating runs: a feed has at most one run QUEUED or RUNNING: the partial unique index
 * ingestion_run_one_active_idx makes the database refuse a second, however many processes try at once, so
 * "is a run active?" and "create one" are one statement here, never a check and an insert. Each trigger maps
 * `active` to its own answer (CONFLICT, a skipped schedule slot, ALREADY_QUEUED).
 */
@Injectable()
export class IngestionRunStore {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /**
   * A QUEUED run of the feed, unless the feed already has one queued or running. The feed must be the brand's
   * (callers read it through the brand first). `manager` runs it inside the caller's transaction.
   */
  async startIfIdle(ctx: BrandContext, feedId: string, run: NewRun, manager?: EntityManager): Promise<RunStart> {
    const db = manager ?? this.db.manager;
    // Between a refused insert and the read of the active run, that run may finish: then try again.
    for (let attempt = 0; ; attempt++) {
      const inserted: { id: string }[] = await db.query(
        `INSERT INTO ingestion_run (id, brand_id, feed_id, trigger, validate_only, source_key, source_name, bytes_total,
                                    sales_judged_at)
         VALUES (COALESCE($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (feed_id) WHERE status IN ('QUEUED', 'RUNNING') DO NOTHING
         RETURNING id`,
        [
          run.id ?? null,
          ctx.principal.brandId,
          feedId,
          run.trigger,
          run.validateOnly ?? false,
          run.sourceKey ?? null,
          run.sourceName ?? null,
          run.bytesTotal ?? null,
          run.salesJudgedAt ?? null,
        ],
      );
      if (inserted.length) {
        const created = await db
          .getRepository(IngestionRunEntity)
          .findOneOrFail({ where: { id: inserted[0].id, brandId: ctx.principal.brandId } });
        return { created };
      }
      const active = await this.findActive(ctx, feedId, db);
      if (active) return { active };
      if (attempt >= 5) throw new Error(`Feed ${feedId}: could not create a run nor find its active one.`);
    }
  }

  /**
   * The feed's run queued or running, if any: for refusing early (before a file is stored), never for deciding
   * whether to create one (startIfIdle decides that atomically).
   */
  async findActive(ctx: BrandContext, feedId: string, manager?: EntityManager): Promise<ActiveRun | null> {
    const [active]: ActiveRun[] = await (manager ?? this.db.manager).query(
      `SELECT id, status FROM ingestion_run
        WHERE feed_id = $1 AND brand_id = $2 AND status IN ('QUEUED', 'RUNNING') LIMIT 1`,
      [feedId, ctx.principal.brandId],
    );
    return active ?? null;
  }

  /** cancelRun: a queued run ends at once, a running one is flagged (its next progress write notices). */
  async requestCancel(ctx: BrandContext, runId: string): Promise<void> {
    await this.db.query(
      `UPDATE ingestion_run
          SET cancel_requested = true,
              status = CASE WHEN status = 'QUEUED' THEN 'CANCELLED' ELSE status END,
              phase = CASE WHEN status = 'QUEUED' THEN 'DONE' ELSE phase END,
              finished_at = CASE WHEN status = 'QUEUED' THEN now() ELSE finished_at END,
              updated_at = now()
        WHERE id = $1 AND brand_id = $2`,
      [runId, ctx.principal.brandId],
    );
  }

  /**
   * Claims a run for this worker: a queued run, or a running one silent for `takeoverSeconds` (its worker died).
   * False when another delivery holds it.
   */
  async claim(brandId: string, runId: string, phase: RunPhase, takeoverSeconds: number): Promise<boolean> {
    const claimed = await this.db.query(
      `UPDATE ingestion_run
          SET status = 'RUNNING', phase = $3, attempt = attempt + 1, started_at = now(), updated_at = now(),
              error_code = NULL, error_message = NULL, error_hint = NULL
        WHERE id = $1 AND brand_id = $2
          AND (status = 'QUEUED' OR (status = 'RUNNING' AND phase <> 'IMAGES' AND updated_at < now() - make_interval(secs => $4)))
        RETURNING attempt`,
      [runId, brandId, phase, takeoverSeconds],
    );
    return returnedRows(claimed).length > 0;
  }

  /** Says the run's process is alive (before IMAGES), through statements that write no progress. */
  async heartbeat(brandId: string, runId: string): Promise<void> {
    await this.db.query(
      `UPDATE ingestion_run SET updated_at = now()
        WHERE id = $1 AND brand_id = $2 AND status = 'RUNNING' AND phase <> 'IMAGES'`,
      [runId, brandId],
    );
  }

  /**
   * Hands a run back to the queue (its job's retry, or a job the caller sends in the same transaction, `manager`),
   * which claims it and starts over. Its updated_at says since when it waits (the stall sweep's measure).
   */
  async requeue(brandId: string, runId: string, manager: Queryable = this.db): Promise<void> {
    await manager.query(
      `UPDATE ingestion_run SET status = 'QUEUED', phase = 'QUEUED', updated_at = now() WHERE id = $1 AND brand_id = $2`,
      [runId, brandId],
    );
  }

  /** Records `changes` on the run (its source, what the reader detected, its outcome). */
  async record(
    brandId: string,
    runId: string,
    changes: Partial<IngestionRunEntity>,
    manager?: EntityManager,
  ): Promise<void> {
    await (manager ?? this.db.manager).getRepository(IngestionRunEntity).update({ id: runId, brandId }, changes);
  }

  /** Writes a running run's counters; answers whether someone asked to cancel it. */
  async writeProgress(brandId: string, runId: string, c: ProgressCounters): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE ingestion_run
          SET phase = $2, bytes_read = $3, bytes_total = coalesce($4, bytes_total), rows_read = $5, items_accepted = $6,
              items_rejected = $7, warnings = $8, errors = $9, rows_skipped = $10, rows_skipped_by_reason = $11,
              updated_at = now()
        WHERE id = $1 AND brand_id = $12
        RETURNING cancel_requested`,
      [
        runId,
        c.phase,
        c.bytesRead,
        c.bytesTotal,
        c.rowsRead,
        c.itemsAccepted,
        c.itemsRejected,
        c.warnings,
        c.errors,
        c.rowsSkipped,
        JSON.stringify(c.rowsSkippedByReason),
        brandId,
      ],
    );
    return Boolean(returnedRows<{ cancel_requested: boolean }>(result)[0]?.cancel_requested);
  }

  /** The run's image counters recounted from its run_image rows; answers how many are still pending. */
  async recountImages(brandId: string, runId: string, manager: Queryable = this.db): Promise<number> {
    const result = await manager.query(
      `UPDATE ingestion_run r SET
          images_total = c.total, images_done = c.done, images_failed = c.failed, images_skipped = c.skipped, updated_at = now()
         FROM (SELECT count(*)::int AS total, count(*) FILTER (WHERE state = 'DONE')::int AS done,
                      count(*) FILTER (WHERE state = 'FAILED')::int AS failed,
                      count(*) FILTER (WHERE state = 'SKIPPED')::int AS skipped,
                      count(*) FILTER (WHERE state = 'PENDING')::int AS pending
                 FROM run_image WHERE run_id = $1) c
        WHERE r.id = $1 AND r.brand_id = $2
        RETURNING c.pending`,
      [runId, brandId],
    );
    return returnedRows<{ pending: number }>(result)[0]?.pending ?? 0;
  }

  /**
   * Ends a statement whose CTE `settled` returns the `state` of each image it moved out of PENDING (RunImageStore
   * writes that part): the run's counters advance by those, so imagesDone and imagesFailed move per image without
   * recounting the run. `$1` is the run's id, `$2` its brand's.
   */
  static readonly COUNT_SETTLED = `
  UPDATE ingestion_run SET
    images_done = images_done + (SELECT count(*) FROM settled WHERE state = 'DONE'),
    images_failed = images_failed + (SELECT count(*) FROM settled WHERE state = 'FAILED'),
    images_skipped = images_skipped + (SELECT count(*) FROM settled WHERE state = 'SKIPPED'),
    updated_at = now()
  WHERE id = $1 AND brand_id = $2 AND EXISTS (SELECT 1 FROM settled)`;

  /** The one caller that moves a run in IMAGES to DONE; null when another did (or it is not in IMAGES). */
  async endImages(
    manager: Queryable,
    brandId: string,
    runId: string,
  ): Promise<{ feed_id: string; version_id: string; cancel_requested: boolean } | null> {
    const claimed = await manager.query(
      `UPDATE ingestion_run SET phase = 'DONE', updated_at = now()
          WHERE id = $1 AND brand_id = $2 AND status = 'RUNNING' AND phase = 'IMAGES'
          RETURNING feed_id, version_id, cancel_requested`,
      [runId, brandId],
    );
    return returnedRows<{ feed_id: string; version_id: string; cancel_requested: boolean }>(claimed)[0] ?? null;
  }

  /** Sets the final status of a run whose images step ended. */
  async finishImages(
    manager: Queryable,
    brandId: string,
    runId: string,
    status: Extract<RunStatus, 'SUCCEEDED' | 'CANCELLED'>,
  ): Promise<void> {
    await manager.query(`UPDATE ingestion_run SET status = $3, finished_at = now() WHERE id = $1 AND brand_id = $2`, [
      runId,
      brandId,
      status,
    ]);
  }

  /** Ends a run still in phase IMAGES as FAILED; false when it had already left IMAGES. */
  async failImages(
    manager: Queryable,
    brandId: string,
    runId: string,
    error: { code: RunErrorCode; message: string; hint: string },
  ): Promise<boolean> {
    const result = await manager.query(
      `UPDATE ingestion_run SET status = 'FAILED', phase = 'DONE', finished_at = now(), updated_at = now(),
              error_code = $2, error_message = $3, error_hint = $4
        WHERE id = $1 AND brand_id = $5 AND status = 'RUNNING' AND phase = 'IMAGES'
        RETURNING id`,
      [runId, error.code, error.message, error.hint, brandId],
    );
    return returnedRows(result).length > 0;
  }

  /** Forgets the run's version when CatalogVersionStore dropped it. */
  async forgetDroppedVersion(manager: Queryable, brandId: string, runId: string): Promise<void> {
    await manager.query(
      `UPDATE ingestion_run r SET version_id = NULL
        WHERE r.id = $1 AND r.brand_id = $2 AND NOT EXISTS (SELECT 1 FROM catalog_version v WHERE v.id = r.version_id)`,
      [runId, brandId],
    );
  }

  /** Adds a version's image issues to the run's counters, with `summary` the merged issue summary. */
  async addImageIssues(
    manager: Queryable,
    brandId: string,
    runId: string,
    totals: { rejectedItems: number; errors: number; warnings: number; stored: number },
    summary: unknown,
  ): Promise<void> {
    await manager.query(
      `UPDATE ingestion_run SET items_accepted = items_accepted - $2, items_rejected = items_rejected + $2,
              errors = errors + $3, warnings = warnings + $4, issues_stored = issues_stored + $5, issue_summary = $6
        WHERE id = $1 AND brand_id = $7`,
      [runId, totals.rejectedItems, totals.errors, totals.warnings, totals.stored, JSON.stringify(summary), brandId],
    );
  }

  /** The run's version is live. */
  async markPublished(ctx: BrandContext, runId: string): Promise<void> {
    await this.db.query(
      `UPDATE ingestion_run SET publish_status = 'PUBLISHED', publish_blocked_reason = NULL, published_at = now()
        WHERE id = $1 AND brand_id = $2`,
      [runId, ctx.principal.brandId],
    );
  }

  /**
   * Auto-publish held the run back for `reason`; with `onlyIfNotPublished`, unless it was published (or held)
   * meanwhile.
   */
  async holdPublish(ctx: BrandContext, runId: string, reason: string, onlyIfNotPublished = false): Promise<void> {
    await this.db.query(
      onlyIfNotPublished
        ? `UPDATE ingestion_run SET publish_status = 'WAITING', publish_blocked_reason = $2
            WHERE id = $1 AND brand_id = $3 AND publish_status = 'NOT_PUBLISHED'`
        : `UPDATE ingestion_run SET publish_status = 'WAITING', publish_blocked_reason = $2
            WHERE id = $1 AND brand_id = $3`,
      [runId, reason, ctx.principal.brandId],
    );
  }

  /**
   * Every brand's runs whose worker died (RUNNING before IMAGES, silent for `silentSeconds`) back to QUEUED; the
   * caller queues their jobs again, in the same transaction (`manager`).
   */
  @SystemPath('ingestion-run.store.systemRequeueStalled')
  async systemRequeueStalled(
    silentSeconds: number,
    manager: Queryable = this.db,
  ): Promise<{ id: string; brand_id: string }[]> {
    return returnedRows<{ id: string; brand_id: string }>(
      await manager.query(
        `UPDATE ingestion_run SET status = 'QUEUED', phase = 'QUEUED', updated_at = now()
        WHERE status = 'RUNNING' AND phase <> 'IMAGES' AND updated_at < now() - make_interval(secs => $1)
        RETURNING id, brand_id`,
        [silentSeconds],
      ),
    );
  }

  /**
   * Every brand's runs QUEUED and untouched for `silentSeconds`, locked for the caller's transaction (`manager`)
   * and skipped when another sweep holds them: the caller asks the queue whether a job will still come for each.
   */
  @SystemPath('ingestion-run.store.systemLockQueuedSilent')
  async systemLockQueuedSilent(manager: Queryable, silentSeconds: number): Promise<{ id: string; brand_id: string }[]> {
    return manager.query(
      `SELECT id, brand_id FROM ingestion_run
        WHERE status = 'QUEUED' AND updated_at < now() - make_interval(secs => $1)
        ORDER BY updated_at LIMIT 100
        FOR UPDATE SKIP LOCKED`,
      [silentSeconds],
    );
  }

  /** A QUEUED run's job was sent again (any brand's, the stall sweep): it is not silent any more. */
  @SystemPath('ingestion-run.store.systemTouchQueued')
  async systemTouchQueued(manager: Queryable, runId: string): Promise<void> {
    await manager.query(`UPDATE ingestion_run SET updated_at = now() WHERE id = $1 AND status = 'QUEUED'`, [runId]);
  }

  /** Retention (any brand's runs): the source keys whose files were deleted, unless a run's key changed since. */
  @SystemPath('ingestion-run.store.systemClearSourceKeys')
  async systemClearSourceKeys(doomed: { id: string; source_key: string }[]): Promise<void> {
    await this.db.query(
      `UPDATE ingestion_run r SET source_key = NULL
         FROM unnest($1::uuid[], $2::text[]) d(id, key) WHERE r.id = d.id AND r.source_key = d.key`,
      [doomed.map((d) => d.id), doomed.map((d) => d.source_key)],
    );
  }
}
