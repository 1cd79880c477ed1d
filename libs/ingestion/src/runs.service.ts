import type { IssueCode, IssueSeverity } from '@brandshelf/catalog-rules';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import type { Readable } from 'node:stream';
import { BadInputError, ConflictError, type BrandContext } from '@brandshelf/core';
import { validateFeedRules } from '@brandshelf/feed-rules';
import { BrandScopedRepository, copyToStream, type KeysetPage, type KeysetRequest, runAsBrand } from '@brandshelf/db';
import { QueueService } from '@brandshelf/queue';
import { FeedEntity } from './feed.entity.js';
import { IngestionRunEntity, TERMINAL_STATUSES } from './ingestion-run.entity.js';
import { IngestionRunStore, type ActiveRun, type NewRun, type RunStart } from './ingestion-run.store.js';
import { INGEST_RUN, RUN_STAGED } from './ingestion.jobs.js';
import { RunImagesService } from './images/run-images.service.js';
import {
  RunRuleTraceStore,
  type ItemRuleTrace,
  type RuleChangeTrace,
  type TraceRules,
} from './run-rule-trace.store.js';
import { FeedRuleSetStore } from './feed-rule-set.store.js';

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

const FORMULA = new RegExp(`^([\\t\\r\\n]|[${FORMULA_LEAD}]*[${FORMULA_START}])`);

/** spreadsheetSafe for a value already in hand (CSV written by the application, e.g. channel exports). */
export const spreadsheetSafeText = (value: string): string => (FORMULA.test(value) ? `'${value}` : value);

export type RunInput = NewRun;

export interface StartOptions {
  /** The job starts this much later. */
  delaySeconds?: number;
  /** Words between the feed and the active run's id in the CONFLICT message. */
  conflict?: string;
  /** Writes that belong with the run: they run first, in its transaction, and commit only if the run is created. */
  alsoInTransaction?: (manager: EntityManager) => Promise<void>;
}

const ROLLBACK = Symbol('rollback');

function conflictMessage(feedId: string, active: ActiveRun, options: StartOptions = {}): string {
  if (options.conflict) return `Feed ${feedId} ${options.conflict} ${active.id}.`;
  const state = active.status === 'QUEUED' ? 'queued' : 'running';
  return `Feed ${feedId} already has run ${active.id} ${state}; a feed runs one at a time: wait for it or cancel it.`;
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
  /** The feed rule that set the attribute's failing value; null when the value came from the file. */
  ruleId?: string | null;
  ruleName?: string | null;
  /** Which rules changed which attributes of the issue's item (its rule trace), when loaded with the page. */
  ruleChanges?: RuleChangeTrace[];
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
    @Inject(IngestionRunStore) private readonly store: IngestionRunStore,
    @Inject(FeedRuleSetStore) private readonly ruleSets: FeedRuleSetStore,
  ) {
    this.runs = new BrandScopedRepository(runs, 'IngestionRun');
    this.feeds = new BrandScopedRepository(feeds, 'Feed');
  }

  /**
   * Records a run and queues its job in one transaction (a run never waits for a job that was not sent); the
   * worker that picks it up does everything else. A feed has one run queued or running at a time: while it has
   * one, this answers CONFLICT (with that run's id) and creates nothing.
   */
  async start(
    ctx: BrandContext,
    feedId: string,
    input: RunInput,
    options: StartOptions = {},
  ): Promise<IngestionRunEntity> {
    const outcome = await this.startIfIdle(ctx, feedId, input, options);
    if (outcome.active)
      throw new ConflictError(conflictMessage(feedId, outcome.active, options), {
        runId: outcome.active.id,
        feedId,
        userErrorCode: 'RUN_ALREADY_ACTIVE',
      });
    return outcome.created;
  }

  /**
   * Like start(), but a feed's run already queued or running is an answer rather than an error: `active` is
   * that run, and nothing was created or queued.
   */
  async startIfIdle(ctx: BrandContext, feedId: string, input: RunInput, options: StartOptions = {}): Promise<RunStart> {
    const feed = await this.feeds.get(ctx, feedId);
    let active: RunStart | null = null;
    try {
      return await this.db.transaction(async (manager) => {
        // Before the run's insert, so this transaction takes the rows it writes in the order a scheduler
        // does (the store's row, then the run), never the other way round (which could deadlock with it).
        await options.alsoInTransaction?.(manager);
        const outcome = await this.store.startIfIdle(ctx, feed.id, input, manager);
        if (outcome.active) {
          active = outcome;
          throw ROLLBACK; // nothing the caller wrote belongs to a run that was not created
        }
        await this.queue.send(
          INGEST_RUN,
          { runId: outcome.created.id, brandId: outcome.created.brandId },
          { startAfterSeconds: options.delaySeconds, db: manager },
        );
        return outcome;
      });
    } catch (error) {
      if (error === ROLLBACK && active) return active;
      throw error;
    }
  }

  /**
   * CONFLICT at once when the feed has a run queued or running: lets a file's sender be refused before the file
   * is stored. Only an early answer; start() and create() decide.
   */
  async refuseIfActive(ctx: BrandContext, feedId: string): Promise<void> {
    const active = await this.store.findActive(ctx, feedId);
    if (active)
      throw new ConflictError(conflictMessage(feedId, active), {
        runId: active.id,
        feedId,
        userErrorCode: 'RUN_ALREADY_ACTIVE',
      });
  }

  /**
   * A QUEUED run without a job, for a caller that executes it itself (the CLI). CONFLICT while the feed has a run
   * queued or running.
   */
  async create(ctx: BrandContext, feedId: string, input: RunInput): Promise<IngestionRunEntity> {
    const feed = await this.feeds.get(ctx, feedId);
    const outcome = await this.store.startIfIdle(ctx, feed.id, input);
    if (outcome.active)
      throw new ConflictError(conflictMessage(feedId, outcome.active), {
        runId: outcome.active.id,
        feedId,
        userErrorCode: 'RUN_ALREADY_ACTIVE',
      });
    return outcome.created;
  }

  /** fetchFeedNow: one fetch at a time per feed; asking again while one runs answers CONFLICT. */
  async startFetch(ctx: BrandContext, feedId: string): Promise<IngestionRunEntity> {
    const feed = await this.feeds.get(ctx, feedId);
    if (feed.source !== 'URL') {
      throw new BadInputError('Only URL feeds can be fetched; upload files to POST /feeds/:feedId/uploads.', 'feedId');
    }
    return this.start(ctx, feedId, { trigger: 'FETCH' }, { conflict: 'is already being fetched by run' });
  }

  /**
   * The run as it progresses, read from its row (written by whichever process runs it): on every
   * change and at least once a second, ending with the finished run. A run that succeeded with an
   * auto-publish queued (queued in the transaction that set SUCCEEDED) is followed until that job is
   * done, so the last message carries the publish's outcome (PUBLISHED, or WAITING with its reason).
   */
  async *watch(ctx: BrandContext, runId: string, pollMs = 250): AsyncGenerator<IngestionRunEntity> {
    // A subscription's reads happen when graphql-ws asks for the next message, outside the request that opened it:
    // each runs as the brand again (row-level security, libs/db tenancy.ts).
    const asBrand = <T>(fn: () => Promise<T>) => runAsBrand(ctx.principal.brandId, fn);
    let run = await asBrand(() => this.runs.get(ctx, runId));
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
      if (TERMINAL_STATUSES.includes(run.status) && !(await asBrand(() => this.publishPending(run)))) {
        // The publish may have landed between the read above and the queue's answer: read once more.
        const last = await asBrand(() => this.runs.get(ctx, runId));
        if (stampOf(last) !== lastStamp) yield last;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      run = await asBrand(() => this.runs.get(ctx, runId));
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
    // Both ids are UUIDs read back from the database, so inlining them is safe (COPY takes no parameters).
    const sql = `COPY (
        SELECT "row", ${spreadsheetSafe('item_id')} AS item_id, severity, code, ${spreadsheetSafe('attribute')} AS attribute,
               ${spreadsheetSafe('value')} AS value, ${spreadsheetSafe('message')} AS message, ${spreadsheetSafe('hint')} AS hint
          FROM run_issue WHERE run_id = '${run.id}' AND brand_id = '${run.brandId}' ORDER BY "row", id
      ) TO STDOUT WITH (FORMAT csv, HEADER true)`;
    return copyToStream(this.db, sql);
  }

  get(ctx: BrandContext, id: string): Promise<IngestionRunEntity> {
    return this.runs.get(ctx, id);
  }

  /** A page of a feed's runs, newest first. */
  pageForFeed(ctx: BrandContext, feedId: string, request: KeysetRequest): Promise<KeysetPage<IngestionRunEntity>> {
    return this.runs.page(ctx, { feedId }, { by: 'queuedAt', direction: 'DESC' }, request);
  }

  /**
   * A queued run is cancelled at once; a running one stops at its next progress check (within a second);
   * one in phase IMAGES ends at once, its downloads in flight here aborted and no further image taken.
   */
  async cancel(ctx: BrandContext, id: string): Promise<IngestionRunEntity> {
    const run = await this.runs.get(ctx, id);
    if (TERMINAL_STATUSES.includes(run.status)) {
      throw new ConflictError(`Run ${id} already finished with status ${run.status}; there is nothing to cancel.`, {
        runId: run.id,
        status: run.status,
        userErrorCode: 'RUN_ALREADY_FINISHED',
      });
    }
    await this.store.requestCancel(ctx, run.id);
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
  ): Promise<{ issues: StoredIssue[]; totalCount: number; hasNextPage: boolean; hasPreviousPage: boolean }> {
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
    let hasPreviousPage = false;
    if (page.after) {
      const [rowStr, idStr] = Buffer.from(page.after, 'base64url').toString().split(':');
      if (!/^\d+$/.test(rowStr ?? '') || !/^\d+$/.test(idStr ?? '')) {
        throw new BadInputError('after is not a cursor of this list; pass a cursor this list returned.', 'after');
      }
      params.push(Number(rowStr), idStr);
      // Anything at or before the cursor means a page came before this one.
      const [before] = await this.db.query(
        `SELECT 1 FROM run_issue WHERE ${where.join(' AND ')} AND ("row", id) <= ($${params.length - 1}, $${params.length}) LIMIT 1`,
        params,
      );
      hasPreviousPage = Boolean(before);
      where.push(`("row", id) > ($${params.length - 1}, $${params.length})`);
    }
    // The page size is checked by the caller (the API's page-size policy).
    const first = page.first;
    params.push(first + 1);
    const rows: (StoredIssue & { id: string })[] = await this.db.query(
      `SELECT id::text, severity, code, attribute, "row", item_id AS "itemId", value, message, hint,
              rule_id AS "ruleId", rule_name AS "ruleName"
         FROM run_issue WHERE ${where.join(' AND ')} ORDER BY "row", id LIMIT $${params.length}`,
      params,
    );
    // The rule trace of the page's items, in one statement.
    const traces = await RunRuleTraceStore.forRows(
      this.db,
      ctx.principal.brandId,
      run.id,
      [...new Set(rows.map((r) => r.row))],
      this.traceRules(ctx.principal.brandId, async () => run),
    );
    for (const issue of rows) issue.ruleChanges = traces.get(issue.row)?.changes ?? [];
    return { issues: rows.slice(0, first), totalCount: count, hasNextPage: rows.length > first, hasPreviousPage };
  }

  /** Which rules changed which attributes of the item at `row` of the brand's run `runId` (none: []). */
  async ruleChangesAt(ctx: BrandContext, runId: string, row: number): Promise<RuleChangeTrace[]> {
    const traces = await RunRuleTraceStore.forRows(
      this.db,
      ctx.principal.brandId,
      runId,
      [row],
      this.traceRules(ctx.principal.brandId, () => this.runs.get(ctx, runId)),
    );
    return traces.get(row)?.changes ?? [];
  }

  /** A page of the rule traces of the brand's run (items a rule changed or excluded), by row. */
  async ruleTrace(
    ctx: BrandContext,
    runId: string,
    options: { first: number; after: string | null; itemId: string | null },
  ): Promise<{ traces: ItemRuleTrace[]; totalCount: number; hasNextPage: boolean }> {
    const run = await this.runs.get(ctx, runId);
    let afterRow: number | null = null;
    if (options.after) {
      const text = Buffer.from(options.after, 'base64url').toString();
      if (!/^trace:\d{1,9}$/.test(text)) {
        throw new BadInputError('after is not a cursor of this list; pass a cursor this list returned.', 'after');
      }
      afterRow = Number(text.slice(6));
    }
    return RunRuleTraceStore.page(
      this.db,
      ctx.principal.brandId,
      run.id,
      { first: options.first, afterRow, itemId: options.itemId },
      this.traceRules(ctx.principal.brandId, async () => run),
    );
  }

  /** Rule-set versions by brand, feed and version, as traces name their rules: versions are never updated. */
  private readonly traceRuleNames = new Map<string, readonly { id: string; name: string }[]>();

  /** The rules of the run's rule-set version by position (what its stored trace names by index). */
  private traceRules(brandId: string, runOf: () => Promise<IngestionRunEntity>): TraceRules {
    return async () => {
      const run = await runOf();
      if (run.ruleSetVersion === null) return [];
      const key = `${brandId}:${run.feedId}:${run.ruleSetVersion}`;
      let names = this.traceRuleNames.get(key);
      if (!names) {
        const set = await this.ruleSets.version(brandId, run.feedId, run.ruleSetVersion);
        // As the run compiled them (validated: ids and names trimmed).
        const checked = set ? validateFeedRules(set.rules, { stored: true }) : null;
        names =
          checked && 'rules' in checked
            ? checked.rules.map((rule) => ({ id: rule.id, name: rule.name }))
            : (set?.rules ?? []).map((raw) => {
                const rule = (raw ?? {}) as { id?: unknown; name?: unknown };
                return { id: String(rule.id ?? '').trim(), name: String(rule.name ?? '').trim() };
              });
        if (this.traceRuleNames.size >= 256) this.traceRuleNames.clear();
        this.traceRuleNames.set(key, names);
      }
      return names;
    };
  }

  static traceCursor(trace: { row: number }): string {
    return Buffer.from(`trace:${trace.row}`).toString('base64url');
  }

  static issueCursor(issue: { row: number; id: string }): string {
    return Buffer.from(`${issue.row}:${issue.id}`).toString('base64url');
  }
}
