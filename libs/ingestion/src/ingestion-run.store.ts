import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { BrandContext } from '@brandshelf/core';
import { IngestionRunEntity, type RunStatus, type RunTrigger } from './ingestion-run.entity.js';

/** What a new run records. */
export interface NewRun {
  trigger: RunTrigger;
  /** Chosen by the caller when the file is stored under the run's id before the run exists. */
  id?: string;
  sourceKey?: string | null;
  sourceName?: string | null;
  bytesTotal?: number | null;
  validateOnly?: boolean;
}

/** The run that already holds a feed's one active slot. */
export interface ActiveRun {
  id: string;
  status: Extract<RunStatus, 'QUEUED' | 'RUNNING'>;
}

/** Either the run just created, or the feed's run that is already queued or running (and nothing was created). */
export type RunStart = { created: IngestionRunEntity; active?: undefined } | { created?: undefined; active: ActiveRun };

/**
 * Creating runs. A feed has at most one run QUEUED or RUNNING: the partial unique index
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
        `INSERT INTO ingestion_run (id, brand_id, feed_id, trigger, validate_only, source_key, source_name, bytes_total)
         VALUES (COALESCE($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8)
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
}
