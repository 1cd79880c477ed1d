import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Readable } from 'node:stream';
import { DataSource, type Repository } from 'typeorm';
import { CODES, type ItemIssue, type RunErrorCode } from '@brandshelf/catalog-rules';
import { APP_CONFIG, FILE_STORAGE, type AppConfig } from '@brandshelf/core';
import { FeedReadError, readFeed } from '@brandshelf/feeds';
import { NetError, SafeHttpClient } from '@brandshelf/net';
import { JobHandler, QueueService, type JobContext } from '@brandshelf/queue';
import type { ObjectStorage } from '@brandshelf/storage';
import { BrandStorageService } from './brand-storage.service.js';
import { RunSourceService } from './run-source.service.js';
import { FeedEntity } from './feed.entity.js';
import { FeedsService } from './feeds.service.js';
import { IngestionRunEntity, TERMINAL_STATUSES } from './ingestion-run.entity.js';
import { IngestionRunStore } from './ingestion-run.store.js';
import { FeedStore } from './feed.store.js';
import { FeedRuleSetStore, type FeedRuleSetRow } from './feed-rule-set.store.js';
import { RunRuleTraceStore } from './run-rule-trace.store.js';
import { INGEST_RUN, RUN_STAGED } from './ingestion.jobs.js';
import { RunImagesService } from './images/run-images.service.js';
import { IssueSink, mergeSummaries } from './issue.sink.js';
import { RunIssueStore } from './run-issue.store.js';
import { CatalogVersionStore } from './catalog-version.store.js';
import type { FeedRule } from '@brandshelf/feed-rules';
import { ITEM_SOURCES, type ItemSource, type ItemSourceResult } from './item-source.js';
import { ItemStager, unknownItemIssue } from './item.stager.js';
import { readInThread } from './read-thread.js';
import {
  feedPrepareOptions,
  feedReadOptions,
  prepareEvents,
  type PreparedEvent,
  type PrepareOptions,
} from './row-preparer.js';
import { RunCancelledError, RunHandBackError, RunProgress, skipCounts, type RunCounters } from './run-progress.js';
import { runAsBrand } from '@brandshelf/db';

/** A running ingestion writes progress at least this often; a run silent for longer lost its worker. */
export const STALL_SECONDS = 60;

/**
 * How long a running run may be silent before it counts as stalled: STALL_SECONDS, or a job lease when that is
 * shorter (JOB_LEASE_SECONDS), since a live worker touches its run every quarter of this (the heartbeat in execute()).
 * A second delivery of its job takes over a run silent this long, and the stall sweep queues again one silent twice
 * this long.
 */
export function stallSeconds(jobLeaseSeconds: number): number {
  return Math.max(1, Math.min(STALL_SECONDS, jobLeaseSeconds));
}

/** A failure of the run itself (not of one row): stored on the run with a code and a hint. */
class RunFailure extends Error {
  constructor(
    readonly code: RunErrorCode,
    message: string,
    readonly hint: string = CODES[code].hint,
  ) {
    super(message);
  }
}

export interface ExecuteOptions {
  /** Called at every progress write (the CLI draws its progress bar from it). */
  onProgress?: (counters: RunCounters) => void;
  /** The queue will not try again after this attempt: an unexpected error fails the run. */
  lastAttempt?: boolean;
  /**
   * The job's signal: aborted when this process shuts down and stops waiting for the run. The run then stops at its
   * next progress write (or step), before its version is committed, and goes back to the queue with a new job.
   */
  signal?: AbortSignal;
}

/**
 * fetch → read → validate → stage → compare → version, for one run. Items are streamed end to end:
 * the reader yields one item at a time, accepted items go straight into a COPY, issues into another,
 * so memory stays flat whatever the feed's size. Restartable: a retried job starts the run over.
 */
@Injectable()
export class IngestionPipeline {
  private readonly logger = new Logger('Ingestion');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @InjectRepository(IngestionRunEntity) private readonly runs: Repository<IngestionRunEntity>,
    @InjectRepository(FeedEntity) private readonly feedRepo: Repository<FeedEntity>,
    @Inject(FILE_STORAGE) private readonly files: ObjectStorage,
    @Inject(SafeHttpClient) private readonly http: SafeHttpClient,
    @Inject(FeedsService) private readonly feeds: FeedsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QueueService) private readonly queue: QueueService,
    @Inject(RunImagesService) private readonly images: RunImagesService,
    @Inject(BrandStorageService) private readonly storage: BrandStorageService,
    @Inject(RunSourceService) private readonly sources: RunSourceService,
    @Inject(IngestionRunStore) private readonly store: IngestionRunStore,
    @Inject(FeedStore) private readonly feedStore: FeedStore,
    @Inject(FeedRuleSetStore) private readonly ruleSets: FeedRuleSetStore,
    @Optional() @Inject(ITEM_SOURCES) private readonly itemSources: ItemSource[] | null = null,
  ) {}

  @JobHandler(INGEST_RUN)
  async handleIngestRun(payload: { runId: string; brandId: string }, job: JobContext): Promise<void> {
    await this.execute(payload.runId, payload.brandId, {
      lastAttempt: job.retryCount >= INGEST_RUN.options.retryLimit,
      signal: job.signal,
    });
  }

  /**
   * A running run silent this long may be claimed by a second delivery of its job. Such a delivery only comes
   * when the first one's lease expired (its process died, see JOB_LEASE_SECONDS) or from the scheduler's stall
   * recovery; it arrives a lease plus the retry delay after the last renewal, so a lease of silence suffices
   * and the retry of a killed worker's job takes the run over at once instead of finding it "still claimed"
   * and leaving it to the recovery tick minutes later. A live process's run is never silent that long (the
   * heartbeat in execute()).
   */
  private get takeoverSeconds(): number {
    return stallSeconds(this.config.jobLeaseSeconds);
  }

  execute(runId: string, brandId: string, options: ExecuteOptions = {}): Promise<IngestionRunEntity | null> {
    // As the brand whoever calls (its job, the CLI's local run, a bench): row-level security, libs/db tenancy.ts.
    return runAsBrand(brandId, () => this.executeAsBrand(runId, brandId, options));
  }

  private async executeAsBrand(
    runId: string,
    brandId: string,
    options: ExecuteOptions,
  ): Promise<IngestionRunEntity | null> {
    const run = await this.runs.findOne({ where: { id: runId, brandId } });
    if (!run || TERMINAL_STATUSES.includes(run.status)) return run;
    const feed = await this.feedRepo.findOne({ where: { id: run.feedId, brandId } });
    if (!feed) return run;
    if (run.cancelRequested) return this.finish(brandId, run.id, { status: 'CANCELLED' });

    // Claim the run: a queued run, or one whose worker stopped writing progress (it crashed). A second
    // delivery of the same job while the first still runs finds the run claimed and leaves it alone.
    const phase = feed.source === 'URL' && !run.sourceKey ? 'FETCHING' : 'READING';
    if (!(await this.store.claim(brandId, run.id, phase, this.takeoverSeconds))) return run;
    // While this process works on the run its row says so, even through long statements (compare, version)
    // that write no progress: only a run whose process died falls silent long enough to be taken over.
    const heartbeat = setInterval(
      () => void this.store.heartbeat(brandId, run.id).catch(() => undefined),
      Math.min(5000, (this.takeoverSeconds * 1000) / 4),
    );
    heartbeat.unref();
    // A retry starts over: what an earlier attempt stored is replaced, never added to.
    await RunIssueStore.deleteForRun(this.db, brandId, run.id);
    await RunRuleTraceStore.deleteForRun(this.db, brandId, run.id);
    const progress = new RunProgress(
      this.store,
      brandId,
      run.id,
      this.config.ingest.progressIntervalMs,
      options.onProgress,
      options.signal,
    );
    const sink = new IssueSink(
      this.db,
      run.id,
      brandId,
      this.config.ingest.maxStoredIssues,
      this.config.databaseIsPglite,
    );
    let stager: ItemStager | null = null;
    try {
      const itemSource = this.itemSources?.find((s) => s.supports(feed)) ?? null;
      let fromApi: ItemSourceResult | null = null;
      let source: Awaited<ReturnType<IngestionPipeline['openSource']>> = null;
      const baseVersionId = feed.liveVersionId ?? (await this.latestVersionId(feed.id));
      // The feed's current rules, read once: the whole run applies this version, which the run records.
      const ruleSet = await this.ruleSets.current(brandId, feed.id);
      if (itemSource) {
        await progress.setPhase('FETCHING');
        // A store sync that reads only what changed upstream carries the rest over from the base version, as the
        // rules then made it: under other rules it reads every product again, so the new rules apply to all.
        const full = await this.rulesChangedSince(brandId, feed.id, baseVersionId, ruleSet);
        fromApi = await itemSource.open(feed, run, { full });
      } else {
        source = await this.openSource(run, feed, progress);
        if (!source) {
          return this.finish(brandId, run.id, { status: 'SUCCEEDED', notModified: true, counters: progress.counters });
        }
      }
      await progress.setPhase('READING');
      const startedAt = Date.now();
      stager = await ItemStager.open(this.db, {
        runId: run.id,
        feedId: feed.id,
        brandId,
        firstImport: !baseVersionId && !run.validateOnly && feed.mode === 'REPLACE',
        pglite: this.config.databaseIsPglite,
      });
      const rules = ruleSet?.rules.length ? (ruleSet.rules as FeedRule[]) : null;
      // Sale windows are judged at one instant for the whole run: when it reads, or for a run the scheduler started
      // at a sale's start or end, the tick's instant it was created for (which is past that boundary).
      const salesJudgedAt = run.trigger === 'SALE_WINDOW' && run.salesJudgedAt ? run.salesJudgedAt : new Date();
      await this.store.record(brandId, run.id, { ruleSetVersion: ruleSet?.version ?? null, salesJudgedAt });
      const prepare: PrepareOptions = {
        ...feedPrepareOptions(feed),
        rules,
        regexTimeoutMs: this.config.feedRules.regexTimeoutMs,
        ruleItemBudgetMs: this.config.feedRules.itemBudgetMs,
        now: salesJudgedAt.getTime(),
      };
      // A store API's items arrive a page at a time over the network and are validated here; a file is
      // read and validated on a worker thread (see readFile).
      const events = fromApi
        ? prepareEvents(fromApi.events, prepare)
        : this.readFile(source!.body, feed, progress, prepare);
      const meta = await this.readIntoStage(run.id, events, feed, stager, sink, progress);
      if (meta.fatal) {
        await sink.add(meta.fatal);
        await sink.close();
        progress.counters.errors = sink.errors;
        await stager.close(true);
        stager = null;
        return this.finish(brandId, run.id, {
          status: 'FAILED',
          counters: progress.counters,
          error: { code: meta.fatal.code, message: meta.fatal.message, hint: meta.fatal.hint },
          summary: sink.summaryEntries(),
          issuesStored: sink.stored,
          readMeta: meta.readMeta,
        });
      }

      const readMs = Date.now() - startedAt;
      await progress.setPhase('COMPARING');
      await stager.finishLoading();
      progress.checkHandBack();
      if (fromApi?.patch && baseVersionId && !stager.direct) {
        await stager.carryOverBase(baseVersionId, fromApi.patch.removedOfferIds());
      }
      if (feed.mode === 'UPDATE_ONLY') {
        for (const unknown of await stager.rejectUnknownForUpdateOnly()) {
          progress.counters.itemsAccepted--;
          progress.counters.itemsRejected++;
          await sink.add(unknownItemIssue(unknown.row, unknown.offerId));
        }
      }
      await sink.close();
      progress.counters.errors = sink.errors;
      progress.counters.warnings = sink.warnings;

      const diff = await stager.compare(baseVersionId, feed.mode);
      // The last moment the run may go back: from its version on it finishes here.
      progress.checkHandBack();
      let versionId = baseVersionId;
      let newVersion = false;
      const changed = diff.created + diff.updated + diff.removed > 0 || (!baseVersionId && stager.staged > 0);
      if (!run.validateOnly && changed) {
        versionId = (await stager.commitVersion()).versionId;
        newVersion = true;
      }
      await stager.close();
      stager = null;
      // When a sale of the items read next starts or ends: the scheduler reads the file again then, once the
      // version is live (FeedScheduler.runSaleWindows). A store sync's items are not read from a file, so none.
      const nextSaleChangeAt = source && meta.saleChangeAt !== null ? new Date(meta.saleChangeAt) : null;
      await this.store.record(brandId, run.id, { nextSaleChangeAt });
      if (source && versionId && !run.validateOnly) {
        // A run that found its base version unchanged judged the same items later: its next change is the version's.
        await CatalogVersionStore.setNextSaleChange(this.db, brandId, versionId, nextSaleChangeAt);
      }
      this.logger.log({
        msg: 'run staged',
        runId: run.id,
        rows: progress.counters.rowsRead,
        readMs,
        compareAndVersionMs: Date.now() - startedAt - readMs,
      });
      if (source?.validators && !run.validateOnly) {
        await this.feedStore.recordValidators(brandId, feed.id, source.validators);
      }
      if (fromApi?.onSucceeded && !run.validateOnly) await fromApi.onSucceeded();
      // With images to fetch the run goes on (phase IMAGES) and the images step completes it.
      const withImages = newVersion && this.images.enabled;
      let summary = sink.summaryEntries();
      let issuesStored = sink.stored;
      if (!newVersion && versionId && !run.validateOnly && this.images.enabled) {
        // The items matched the current version, so no image is fetched again; its images' known failures
        // still reject items, and the counters must say what that version holds.
        const images = await this.images.recordImageIssues(this.db.manager, run.id, brandId, feed.id, versionId);
        const c = progress.counters;
        c.itemsAccepted -= images.rejectedItems;
        c.itemsRejected += images.rejectedItems;
        c.errors += images.errors;
        c.warnings += images.warnings;
        summary = mergeSummaries(summary, images.summary);
        issuesStored += images.stored;
      }
      const finished = await this.finish(brandId, run.id, {
        status: withImages ? 'RUNNING' : 'SUCCEEDED',
        counters: progress.counters,
        diff,
        versionId: run.validateOnly ? null : versionId,
        summary,
        issuesStored,
        readMeta: meta.readMeta,
        announceTo: !withImages && newVersion && feed.autoPublish ? brandId : null,
      });
      if (withImages) {
        await this.images.plan({
          runId: run.id,
          brandId,
          feedId: feed.id,
          versionId: versionId!,
          baseVersionId,
          // The live version's own file read again: only sale prices changed, so its processed images stand.
          sameFile: run.trigger === 'SALE_WINDOW',
        });
        await this.images.completeIfDone(run.id, brandId);
        return (await this.runs.findOne({ where: { id: run.id } }))!;
      }
      return finished;
    } catch (error) {
      await stager?.close(true);
      await sink.close().catch(() => undefined);
      if (error instanceof RunCancelledError) {
        return this.finish(brandId, run.id, {
          status: 'CANCELLED',
          counters: progress.counters,
          summary: sink.summaryEntries(),
          issuesStored: sink.stored,
        });
      }
      if (error instanceof RunHandBackError) return this.handBack(brandId, run);
      if (error instanceof RunFailure) {
        return this.finish(brandId, run.id, {
          status: 'FAILED',
          counters: progress.counters,
          error: { code: error.code, message: error.message, hint: error.hint },
        });
      }
      this.logger.error({ msg: 'ingestion run crashed', runId: run.id, err: String((error as Error)?.stack ?? error) });
      if (options.lastAttempt) {
        return this.finish(brandId, run.id, {
          status: 'FAILED',
          counters: progress.counters,
          error: {
            code: 'INTERNAL_ERROR',
            message: `The run failed on our side after ${run.attempt + 1} attempts: ${(error as Error).message}`,
            hint: CODES.INTERNAL_ERROR.hint,
          },
        });
      }
      // Hand the run back so the queue's retry can claim it and start over.
      await this.store.requeue(brandId, run.id);
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
  }

  /**
   * The run goes back to the queue (this process is shutting down, and what the run staged is dropped): QUEUED with
   * a new job, in one transaction, so another worker takes it at once and starts it over; nothing of it was
   * committed (the last check is before its version). The job this attempt ran as then completes; the new one
   * counts no failed attempt, as the run did not fail.
   */
  private async handBack(brandId: string, run: IngestionRunEntity): Promise<IngestionRunEntity> {
    await this.db.transaction(async (manager) => {
      await this.store.requeue(brandId, run.id, manager);
      await this.queue.send(INGEST_RUN, { runId: run.id, brandId }, { db: manager });
    });
    this.logger.warn({ msg: 'run handed back to the queue: this worker is shutting down', runId: run.id });
    return run;
  }

  /** The bytes to read: an uploaded file, or the feed URL fetched (conditionally) into storage first. */
  private async openSource(
    run: IngestionRunEntity,
    feed: FeedEntity,
    progress: RunProgress,
  ): Promise<{ body: Readable; validators?: { lastEtag: string | null; lastModified: string | null } } | null> {
    let validators: { lastEtag: string | null; lastModified: string | null } | undefined;
    let key = run.sourceKey;
    if (!key) {
      if (feed.source !== 'URL' || !feed.url) {
        throw new RunFailure('NO_SOURCE', 'This run has no file to read.');
      }
      await progress.setPhase('FETCHING');
      // A fetched file counts against the brand's quota like an upload; past it the run fails, storing nothing.
      const room = await this.sources.room(run.brandId);
      const quotaFailure = (error: unknown) => {
        const cause = (error as { cause?: unknown })?.cause ?? error;
        if (!room.quotaBound || !(cause instanceof NetError) || cause.code !== 'TOO_LARGE') return null;
        return new RunFailure('QUOTA_EXCEEDED', this.storage.quotaExceeded(room.usage).message);
      };
      let response;
      try {
        response = await this.http.get(feed.url, {
          basicAuth: this.feeds.basicAuthOf(feed) ?? undefined,
          ifNoneMatch: feed.lastEtag,
          ifModifiedSince: feed.lastModified,
          maxBytes: room.maxBytes,
          // The read timeout bounds each wait, not the whole: a byte every few seconds would never end.
          deadlineMs: this.config.uploads.fetchDeadlineSeconds * 1000,
        });
      } catch (error) {
        throw quotaFailure(error) ?? this.fetchFailure(error);
      }
      if (response.notModified) return null;
      try {
        // The client stops at room.maxBytes itself, with the error mapped above.
        key = (await this.sources.put(room, run.id, response.body, { through: progress.counter(), enforce: false }))
          .key;
      } catch (error) {
        throw quotaFailure(error) ?? this.fetchFailure(error);
      }
      validators = { lastEtag: response.etag, lastModified: response.lastModified };
      await this.store.record(run.brandId, run.id, { sourceKey: key, sourceName: feed.url });
    }
    const object = await this.files.get(key);
    if (!object) {
      throw new RunFailure('SOURCE_MISSING', 'The file of this run is no longer in storage.');
    }
    progress.counters.bytesTotal = object.size;
    return { body: object.body, validators };
  }

  private fetchFailure(error: unknown): Error {
    const cause = (error as { cause?: unknown })?.cause;
    if (cause instanceof RunCancelledError || cause instanceof RunHandBackError || cause instanceof NetError) {
      error = cause;
    }
    if (error instanceof NetError) {
      return new RunFailure(`FETCH_${error.code}`, `Fetching the feed failed: ${error.message}`);
    }
    return error as Error;
  }

  /**
   * A file's bytes as prepared events, counting bytes (and writing progress) as they are read. Decoding,
   * tokenizing, validating and hashing run on a worker thread unless INGEST_WORKER_THREADS is off.
   */
  private async *readFile(
    body: Readable,
    feed: FeedEntity,
    progress: RunProgress,
    prepare: PrepareOptions,
  ): AsyncGenerator<PreparedEvent> {
    progress.counters.bytesRead = 0;
    const counted = body.pipe(progress.counter());
    body.on('error', (error) => counted.destroy(error));
    // A gzip feed inflates to at most what an uncompressed upload may have (GZIP_TOO_LARGE past it).
    const read = { ...feedReadOptions(feed), maxDecompressedBytes: this.config.uploads.maxBytes };
    try {
      if (this.config.ingest.workerThreads)
        yield* readInThread(counted, { read, prepare }, this.config.ingest.readerYoungGenerationMb);
      else yield* prepareEvents(readFeed(counted, read), prepare);
    } finally {
      counted.destroy();
      body.destroy();
    }
  }

  private async readIntoStage(
    runId: string,
    events: AsyncIterable<PreparedEvent>,
    feed: FeedEntity,
    stager: ItemStager,
    sink: IssueSink,
    progress: RunProgress,
  ): Promise<{
    fatal: (ItemIssue & { code: RunErrorCode }) | null;
    readMeta: Record<string, unknown> | null;
    /** The earliest sale start or end of the accepted items (ms), null when none. */
    saleChangeAt: number | null;
  }> {
    const counters = progress.counters;
    let readMeta: Record<string, unknown> | null = null;
    let saleChangeAt: number | null = null;
    // Rows that ended as an item, a rejected row or a skip; a file reader also counts the rows it read
    // (`rows` events), which is what rowsRead shows, so a row dropped in silence would show as a gap.
    let accounted = 0;
    let readerRows: number | null = null;
    const account = () => {
      accounted++;
      counters.rowsRead = readerRows ?? accounted;
    };
    const record = async (issue: ItemIssue) => {
      await sink.add(issue);
      if (issue.severity === 'ERROR') counters.errors++;
      else counters.warnings++;
    };
    try {
      for await (const event of events) {
        if (event.type === 'item') {
          account();
          // Validated, serialized and hashed already (prepareEvents, on the reader thread for a file).
          for (const issue of event.issues) await record(issue);
          if (event.ruleTrace !== undefined) {
            counters.itemsChangedByRules = (counters.itemsChangedByRules ?? 0) + 1;
            const itemId = event.staged?.offerId ?? event.itemId ?? null;
            const writing = sink.addPatternTrace(event.row, itemId, event.ruleTrace, event.ruleTraceJson);
            if (writing) await writing;
          }
          if (event.staged) {
            counters.itemsAccepted++;
            if (event.saleChangeAt !== undefined && (saleChangeAt === null || event.saleChangeAt < saleChangeAt)) {
              saleChangeAt = event.saleChangeAt;
            }
            await stager.add(event.staged.offerId, event.staged.contentHash, event.row, event.staged.data);
          } else {
            counters.itemsRejected++;
          }
          if (progress.due()) await progress.flush();
        } else if (event.type === 'issue') {
          await record(event.issue);
          if (progress.due()) await progress.flush();
          // A row the reader could not turn into an item (ragged, oversized cell) is a rejected row.
          if (event.issue.severity === 'ERROR' && event.issue.row > 0) {
            account();
            counters.itemsRejected++;
          }
        } else if (event.type === 'excluded') {
          // Excluded on purpose by a rule: no error, a skipped row (EXCLUDED_BY_RULE) counted per rule.
          account();
          counters.rowsSkipped++;
          counters.skippedByReason.EXCLUDED_BY_RULE = (counters.skippedByReason.EXCLUDED_BY_RULE ?? 0) + 1;
          counters.itemsExcluded = (counters.itemsExcluded ?? 0) + 1;
          const byRule = (counters.excludedByRule ??= new Map());
          const entry = byRule.get(event.ruleId);
          if (entry) entry.count++;
          else byRule.set(event.ruleId, { ruleId: event.ruleId, ruleName: event.ruleName, count: 1 });
          await sink.addTrace(event.row, event.itemId, [
            { ruleId: event.ruleId, ruleName: event.ruleName, attribute: 'excluded' },
          ]);
          if (progress.due()) await progress.flush();
        } else if (event.type === 'skip') {
          account();
          counters.rowsSkipped++;
          counters.skippedByReason[event.reason] = (counters.skippedByReason[event.reason] ?? 0) + 1;
        } else if (event.type === 'rows') {
          readerRows = event.rowsRead;
          counters.rowsRead = readerRows;
        } else {
          const { format, dialect, encoding, delimiter, columns } = event.meta;
          readMeta = {
            detectedFormat: format,
            dialect,
            encoding,
            delimiter: delimiter ?? null,
            columns: columns ?? null,
          };
          await this.store.record(feed.brandId, runId, readMeta as Partial<IngestionRunEntity>);
        }
      }
      if (readerRows !== null && readerRows !== accounted) {
        this.logger.warn({ msg: 'rows not accounted for', runId, rowsRead: readerRows, accounted });
      }
      await progress.flush();
      return { fatal: null, readMeta, saleChangeAt };
    } catch (error) {
      if (error instanceof FeedReadError) {
        return {
          fatal: {
            severity: 'ERROR',
            code: error.code,
            attribute: null,
            row: error.row ?? 0,
            value: null,
            message: error.message,
            hint: error.hint,
          },
          readMeta,
          saleChangeAt: null,
        };
      }
      throw error;
    }
  }

  /**
   * Whether `current` (the feed's rules now; null: none) differs from the rules the base version's run applied: a
   * version number that differs counts only when the rules do (a rollback's copy, [] against none, are the same).
   */
  private async rulesChangedSince(
    brandId: string,
    feedId: string,
    baseVersionId: string | null,
    current: FeedRuleSetRow | null,
  ): Promise<boolean> {
    if (!baseVersionId) return false;
    const rows: { rule_set_version: number | null }[] = await this.db.query(
      `SELECT r.rule_set_version FROM catalog_version v
         JOIN ingestion_run r ON r.id = v.run_id AND r.brand_id = v.brand_id
        WHERE v.id = $1 AND v.brand_id = $2`,
      [baseVersionId, brandId],
    );
    if (!rows.length) return false;
    const baseVersion = rows[0].rule_set_version;
    if (baseVersion === (current?.version ?? null)) return false;
    const base = baseVersion === null ? null : await this.ruleSets.version(brandId, feedId, baseVersion);
    // Both as PostgreSQL gave them back from jsonb (keys in its order), so equal rules serialize alike.
    return JSON.stringify(base?.rules ?? []) !== JSON.stringify(current?.rules ?? []);
  }

  private async latestVersionId(feedId: string): Promise<string | null> {
    const rows: { id: string }[] = await this.db.query(
      'SELECT id FROM catalog_version WHERE feed_id = $1 ORDER BY number DESC LIMIT 1',
      [feedId],
    );
    return rows[0]?.id ?? null;
  }

  private async finish(
    brandId: string,
    runId: string,
    outcome: {
      /** RUNNING: staged, and the images step will complete the run. */
      status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'RUNNING';
      counters?: RunCounters;
      notModified?: boolean;
      diff?: { created: number; updated: number; unchanged: number; removed: number };
      versionId?: string | null;
      error?: { code: RunErrorCode; message: string; hint: string };
      summary?: IngestionRunEntity['issueSummary'];
      issuesStored?: number;
      readMeta?: Record<string, unknown> | null;
      /**
       * Queue auto-publish in the same transaction as the SUCCEEDED status, so the job is never lost and
       * whoever sees the status can tell from the queue that a publish is still to come. The brand's id.
       */
      announceTo?: string | null;
    },
  ): Promise<IngestionRunEntity> {
    const c = outcome.counters;
    const changes = {
      status: outcome.status,
      phase: outcome.status === 'RUNNING' ? 'IMAGES' : 'DONE',
      finishedAt: outcome.status === 'RUNNING' ? null : new Date(),
      updatedAt: new Date(),
      notModified: outcome.notModified ?? false,
      ...(c
        ? {
            bytesRead: c.bytesRead,
            ...(c.bytesTotal !== null ? { bytesTotal: c.bytesTotal } : {}),
            rowsRead: c.rowsRead,
            rowsSkipped: c.rowsSkipped,
            rowsSkippedByReason: skipCounts(c),
            itemsAccepted: c.itemsAccepted,
            itemsRejected: c.itemsRejected,
            warnings: c.warnings,
            errors: c.errors,
            itemsExcluded: c.itemsExcluded ?? 0,
            itemsChangedByRules: c.itemsChangedByRules ?? 0,
            excludedByRule: [...(c.excludedByRule?.values() ?? [])].sort((a, b) => b.count - a.count),
          }
        : {}),
      ...(outcome.diff
        ? {
            itemsCreated: outcome.diff.created,
            itemsUpdated: outcome.diff.updated,
            itemsUnchanged: outcome.diff.unchanged,
            itemsRemoved: outcome.diff.removed,
          }
        : {}),
      ...(outcome.versionId !== undefined ? { versionId: outcome.versionId } : {}),
      ...(outcome.error
        ? { errorCode: outcome.error.code, errorMessage: outcome.error.message, errorHint: outcome.error.hint }
        : {}),
      ...(outcome.summary ? { issueSummary: outcome.summary } : {}),
      ...(outcome.issuesStored !== undefined ? { issuesStored: outcome.issuesStored } : {}),
      ...(outcome.readMeta ?? {}),
    } as Partial<IngestionRunEntity>;
    const announceTo = outcome.announceTo;
    if (announceTo) {
      await this.db.transaction(async (manager) => {
        await this.store.record(brandId, runId, changes, manager);
        await this.queue.send(RUN_STAGED, { runId, brandId: announceTo }, { db: manager });
      });
    } else {
      await this.store.record(brandId, runId, changes);
    }
    const run = (await this.runs.findOne({ where: { id: runId } }))!;
    // A finished run may push an older diagnostic source out of the retention window (README: Storage).
    if (outcome.status !== 'RUNNING') {
      await this.storage
        .sweepFeed(run.brandId, run.feedId)
        .catch((error: unknown) =>
          this.logger.warn({ msg: 'source retention sweep failed', runId, err: String(error) }),
        );
    }
    return run;
  }
}

export { supplementalFields } from './row-preparer.js';
