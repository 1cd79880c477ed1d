import type { IssueCode, IssueSeverity } from '@brandshelf/catalog-rules';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, type Repository } from 'typeorm';
import { PassThrough, type Readable } from 'node:stream';
import { to as copyTo } from 'pg-copy-streams';
import { BadInputError, ConflictError, type BrandContext } from '@brandshelf/core';
import { BrandScopedRepository } from '@brandshelf/db';
import { QueueService } from '@brandshelf/queue';
import { FeedEntity } from './feed.entity.js';
import { IngestionRunEntity, TERMINAL_STATUSES, type RunTrigger } from './ingestion-run.entity.js';
import { INGEST_RUN, RUN_STAGED } from './ingestion.jobs.js';
import { acquireClient } from './pg-client.js';
import { RunImagesService } from './images/run-images.service.js';

export interface IssueFilter {
  severity?: IssueSeverity | null;
  code?: IssueCode | null;
  attribute?: string | null;
  itemId?: string | null;
  row?: number | null;
}

/**
 * Blanks and quotes a spreadsheet skips before it looks for a formula (Unicode spaces and the BOM included), and
 * the characters that start one: = + - @ and their full-width and small forms (Excel in CJK locales reads `＝1+1`
 * as a formula) and the minus sign.
 */
const FORMULA_LEAD = ` \\t\\r\\n\\v\\f\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"''\`\u2018\u2019\u201c\u201d\uff02\uff07`;
const FORMULA_START = '=+@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b\u2212-';

/**
 * SQL for a text column that a spreadsheet would not run as a formula: a value starting with tab, CR or LF, or
 * with a formula character after any blanks and quotes, gets an apostrophe first.
 */
export const spreadsheetSafe = (column: string): string =>
  `CASE WHEN ${column} ~ '^([\\t\\r\\n]|[${FORMULA_LEAD}]*[${FORMULA_START}])' THEN '''' || ${column} ELSE ${column} END`;

export interface RunInput {
  trigger: RunTrigger;
  /** Chosen by the caller when the file is stored under the run's id before the run exists. */
  id?: string;
  sourceKey?: string | null;
  sourceName?: string | null;
  bytesTotal?: number | null;
  validateOnly?: boolean;
}

export interface StoredIssue {
  id: string;
  severity: IssueSeverity;
  code: IssueCode;
  attribute: string | null;
  row: number;
  itemId: string | null;
  value: string | null;
  message: string;
  hint: string;
}

@Injectable()
export class RunsService {
  private readonly runs: BrandScopedRepository<IngestionRunEntity>;
  private readonly feeds: BrandScopedRepository<FeedEntity>;

  constructor(
    @InjectRepository(IngestionRunEntity) runs: Repository<IngestionRunEntity>,
    @InjectRepository(FeedEntity) feeds: Repository<FeedEntity>,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(QueueService) private readonly queue: QueueService,
    @Inject(RunImagesService) private readonly images: RunImagesService,
  ) {
    this.runs = new BrandScopedRepository(runs, 'IngestionRun');
    this.feeds = new BrandScopedRepository(feeds, 'Feed');
  }

  /** Records a run and queues it; the worker that picks it up does everything else. */
  async start(ctx: BrandContext, feedId: string, input: RunInput): Promise<IngestionRunEntity> {
    const run = await this.create(ctx, feedId, input);
    await this.queue.send(INGEST_RUN, { runId: run.id, brandId: run.brandId });
    return run;
  }

  /** A QUEUED run without a job, for callers that execute it themselves (the CLI). */
  async create(ctx: BrandContext, feedId: string, input: RunInput): Promise<IngestionRunEntity> {
    const feed = await this.feeds.get(ctx, feedId);
    return this.runs.insert(ctx, {
      ...(input.id ? { id: input.id } : {}),
      feedId: feed.id,
      trigger: input.trigger,
      status: 'QUEUED',
      phase: 'QUEUED',
      validateOnly: input.validateOnly ?? false,
      sourceKey: input.sourceKey ?? null,
      sourceName: input.sourceName ?? null,
      bytesTotal: input.bytesTotal ?? null,
      notModified: false,
      cancelRequested: false,
      attempt: 0,
      bytesRead: 0,
      rowsRead: 0,
      itemsAccepted: 0,
      itemsRejected: 0,
      warnings: 0,
      errors: 0,
      issuesStored: 0,
      imagesTotal: 0,
      imagesDone: 0,
      imagesFailed: 0,
      imagesSkipped: 0,
      issueSummary: [],
      publishStatus: 'NOT_PUBLISHED',
      queuedAt: new Date(),
      updatedAt: new Date(),
    });
  }

  /** fetchFeedNow: one fetch at a time per feed; asking again while one runs answers CONFLICT. */
  async startFetch(ctx: BrandContext, feedId: string): Promise<IngestionRunEntity> {
    const feed = await this.feeds.get(ctx, feedId);
    if (feed.source !== 'URL') {
      throw new BadInputError('Only URL feeds can be fetched; upload files to POST /feeds/:feedId/uploads.', 'feedId');
    }
    const active = await this.runs.find(ctx, { feedId, status: In(['QUEUED', 'RUNNING']) }, { take: 1 });
    if (active.length) {
      throw new ConflictError(`Feed ${feedId} is already being fetched by run ${active[0].id}.`, {
        runId: active[0].id,
      });
    }
    return this.start(ctx, feedId, { trigger: 'FETCH' });
  }

  /**
   * The run as it progresses, read from its row (written by whichever process runs it): on every
   * change and at least once a second, ending with the finished run. A run that succeeded with an
   * auto-publish queued (queued in the transaction that set SUCCEEDED) is followed until that job is
   * done, so the last message carries the publish's outcome (PUBLISHED, or WAITING with its reason).
   */
  async *watch(ctx: BrandContext, runId: string, pollMs = 250): AsyncGenerator<IngestionRunEntity> {
    let run = await this.runs.get(ctx, runId);
    let lastSent = 0;
    let lastStamp = '';
    const stampOf = (r: IngestionRunEntity) =>
      `${r.status}|${r.updatedAt.getTime()}|${r.rowsRead}|${r.phase}|${r.publishStatus}|${r.imagesDone}|${r.imagesFailed}`;
    for (;;) {
      const stamp = stampOf(run);
      if (stamp !== lastStamp || Date.now() - lastSent >= 1000) {
        lastStamp = stamp;
        lastSent = Date.now();
        yield run;
      }
      if (TERMINAL_STATUSES.includes(run.status) && !(await this.publishPending(run))) {
        // The publish may have landed between the read above and the queue's answer: read once more.
        const last = await this.runs.get(ctx, runId);
        if (stampOf(last) !== lastStamp) yield last;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      run = await this.runs.get(ctx, runId);
    }
  }

  /** A SUCCEEDED, unpublished run whose auto-publish job is still queued or running. */
  private async publishPending(run: IngestionRunEntity): Promise<boolean> {
    if (run.status !== 'SUCCEEDED' || run.validateOnly || run.publishStatus !== 'NOT_PUBLISHED') return false;
    return (await this.queue.liveJobs(RUN_STAGED, { runId: run.id })) > 0;
  }

  /**
   * Every stored issue of a run as CSV, streamed by PostgreSQL itself (COPY … TO STDOUT), so a run
   * with a hundred thousand issues costs no memory. Cells that a spreadsheet would run as a formula
   * are prefixed with an apostrophe (messages and hints too: they quote the feed's values).
   */
  async issuesCsv(ctx: BrandContext, runId: string): Promise<Readable> {
    const run = await this.runs.get(ctx, runId);
    const client = await acquireClient(this.db);
    // Both ids are UUIDs read back from the database, so inlining them is safe (COPY takes no parameters).
    const sql = `COPY (
        SELECT "row", ${spreadsheetSafe('item_id')} AS item_id, severity, code, ${spreadsheetSafe('attribute')} AS attribute,
               ${spreadsheetSafe('value')} AS value, ${spreadsheetSafe('message')} AS message, ${spreadsheetSafe('hint')} AS hint
          FROM run_issue WHERE run_id = '${run.id}' AND brand_id = '${run.brandId}' ORDER BY "row", id
      ) TO STDOUT WITH (FORMAT csv, HEADER true)`;
    const stream = client.query(copyTo(sql));
    const out = new PassThrough();
    let released = false;
    const release = (error?: Error) => {
      if (released) return;
      released = true;
      client.release(error);
    };
    stream.on('error', (error: Error) => {
      release(error);
      out.destroy(error);
    });
    stream.on('end', () => release());
    out.on('close', () => {
      if (!released) {
        stream.destroy();
        release(new Error('client went away'));
      }
    });
    stream.pipe(out);
    return out;
  }

  get(ctx: BrandContext, id: string): Promise<IngestionRunEntity> {
    return this.runs.get(ctx, id);
  }

  listForFeed(ctx: BrandContext, feedId: string, first = 20): Promise<IngestionRunEntity[]> {
    return this.runs.find(ctx, { feedId }, { order: { queuedAt: 'DESC' }, take: Math.min(Math.max(first, 1), 100) });
  }

  /**
   * A queued run is cancelled at once; a running one stops at its next progress check (within a second);
   * one in phase IMAGES ends at once, its downloads in flight here aborted and no further image taken.
   */
  async cancel(ctx: BrandContext, id: string): Promise<IngestionRunEntity> {
    const run = await this.runs.get(ctx, id);
    if (TERMINAL_STATUSES.includes(run.status)) {
      throw new ConflictError(`Run ${id} already finished with status ${run.status}; there is nothing to cancel.`, {
        status: run.status,
      });
    }
    await this.db.query(
      `UPDATE ingestion_run
          SET cancel_requested = true,
              status = CASE WHEN status = 'QUEUED' THEN 'CANCELLED' ELSE status END,
              phase = CASE WHEN status = 'QUEUED' THEN 'DONE' ELSE phase END,
              finished_at = CASE WHEN status = 'QUEUED' THEN now() ELSE finished_at END,
              updated_at = now()
        WHERE id = $1 AND brand_id = $2`,
      [run.id, ctx.principal.brandId],
    );
    // No reader loop watches a run in IMAGES: its images step would end it only when a next image job came.
    if (run.status === 'RUNNING' && run.phase === 'IMAGES') await this.images.cancelImages(run.id, run.brandId);
    return this.runs.get(ctx, id);
  }

  /** A page of a run's issues in row order, filtered; `after` is the last issue id of the previous page. */
  async issues(
    ctx: BrandContext,
    runId: string,
    filter: IssueFilter,
    page: { first: number; after?: string | null },
  ): Promise<{ issues: StoredIssue[]; totalCount: number; hasNextPage: boolean }> {
    const run = await this.runs.get(ctx, runId);
    const where = ['run_id = $1', 'brand_id = $2'];
    const params: unknown[] = [run.id, ctx.principal.brandId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.severity) add('severity = ?', filter.severity);
    if (filter.code) add('code = ?', filter.code);
    if (filter.attribute) add('attribute = ?', filter.attribute);
    if (filter.itemId) add('item_id = ?', filter.itemId);
    if (filter.row !== undefined && filter.row !== null) add('"row" = ?', filter.row);
    const [{ count }] = await this.db.query(
      `SELECT count(*)::int AS count FROM run_issue WHERE ${where.join(' AND ')}`,
      params,
    );
    if (page.after) {
      const [rowStr, idStr] = Buffer.from(page.after, 'base64url').toString().split(':');
      if (/^\d+$/.test(rowStr ?? '') && /^\d+$/.test(idStr ?? '')) {
        params.push(Number(rowStr), idStr);
        where.push(`("row", id) > ($${params.length - 1}, $${params.length})`);
      }
    }
    const first = Math.min(Math.max(page.first, 1), 500);
    params.push(first + 1);
    const rows: (StoredIssue & { id: string })[] = await this.db.query(
      `SELECT id::text, severity, code, attribute, "row", item_id AS "itemId", value, message, hint
         FROM run_issue WHERE ${where.join(' AND ')} ORDER BY "row", id LIMIT $${params.length}`,
      params,
    );
    return { issues: rows.slice(0, first), totalCount: count, hasNextPage: rows.length > first };
  }

  static issueCursor(issue: { row: number; id: string }): string {
    return Buffer.from(`${issue.row}:${issue.id}`).toString('base64url');
  }
}
