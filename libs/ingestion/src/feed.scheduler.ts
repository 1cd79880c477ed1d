import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, systemBrandContext, type AppConfig } from '@brandshelf/core';
import { JobHandler, QueueService } from '@brandshelf/queue';
import { stallSeconds } from './ingestion.pipeline.js';
import { FEED_SCHEDULE_TICK, INGEST_RUN } from './ingestion.jobs.js';
import { BrandStorageService } from './brand-storage.service.js';
import { RunImagesService } from './images/run-images.service.js';
import { IngestionRunStore } from './ingestion-run.store.js';
import { FeedStore } from './feed.store.js';
import { CatalogVersionStore } from './catalog-version.store.js';
import { LIVE_SALE_WINDOWS, type LiveSaleWindows } from './live-sale-windows.js';
import { SystemPath } from '@brandshelf/db';

/**
 * URL feeds with a schedule are fetched when due. The tick job is a pg-boss schedule (every minute, sent once
 * for the whole cluster); it claims due feeds with SKIP LOCKED, so ticks that overlap never fetch a feed twice,
 * and creates one run per feed. It also reads a live version's file again when a sale in it starts or ends
 * (runSaleWindows). Tests call tick(), runDueFeeds() or runSaleWindows() directly.
 */
@Injectable()
export class FeedScheduler {
  private readonly logger = new Logger('FeedScheduler');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(QueueService) private readonly queue: QueueService,
    @Inject(RunImagesService) private readonly images: RunImagesService,
    @Inject(BrandStorageService) private readonly storage: BrandStorageService,
    @Inject(IngestionRunStore) private readonly store: IngestionRunStore,
    @Inject(FeedStore) private readonly feeds: FeedStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(LIVE_SALE_WINDOWS) private readonly liveSales: LiveSaleWindows | null = null,
  ) {}

  @JobHandler(FEED_SCHEDULE_TICK)
  async tick(): Promise<number> {
    await this.recoverStalledRuns();
    await this.images.sweepStalled();
    await this.storage
      .sweepExpired()
      .catch((error: unknown) => this.logger.warn({ msg: 'expired sources could not be deleted', err: String(error) }));
    const now = new Date();
    const due = await this.runDueFeeds(now);
    await this.runSaleWindows(now).catch((error: unknown) =>
      this.logger.warn({ msg: 'sale window runs could not be started', err: String(error) }),
    );
    return due;
  }

  /**
   * Runs whose worker died (no progress written for twice the stall time, stallSeconds) are queued again at once,
   * rather than waiting for the queue's job expiry; the pipeline starts them over. Runs in phase IMAGES
   * have a sweep of their own (RunImagesService.sweepStalled). And runs QUEUED that long with no job left
   * in the queue (waiting, retrying or running) get one: nothing else would ever take them, and the feed's one
   * active run would refuse every later upload and fetch. Each run goes back with its job in one transaction,
   * so a crash leaves either both or neither.
   */
  @SystemPath('feeds.recover-stalled-runs')
  async recoverStalledRuns(): Promise<number> {
    const silentSeconds = stallSeconds(this.config.jobLeaseSeconds) * 2;
    const { stalled, orphaned } = await this.db.transaction(async (manager) => {
      const stalled = await this.store.systemRequeueStalled(silentSeconds, manager);
      const orphaned: { id: string; brand_id: string }[] = [];
      // The runs just requeued were touched now, so only runs queued long ago are asked about.
      for (const run of await this.store.systemLockQueuedSilent(manager, silentSeconds)) {
        if ((await this.queue.liveJobs(INGEST_RUN, { runId: run.id }, { db: manager })) > 0) continue;
        await this.store.systemTouchQueued(manager, run.id);
        orphaned.push(run);
      }
      for (const run of [...stalled, ...orphaned]) {
        await this.queue.send(INGEST_RUN, { runId: run.id, brandId: run.brand_id }, { db: manager });
      }
      return { stalled, orphaned };
    });
    if (stalled.length) this.logger.warn({ msg: 'stalled runs queued again', runs: stalled.map((r) => r.id) });
    if (orphaned.length)
      this.logger.warn({ msg: 'queued runs without a job queued again', runs: orphaned.map((r) => r.id) });
    return stalled.length + orphaned.length;
  }

  /** Creates a run for every URL feed due at `now` and moves its next fetch on by its interval. */
  @SystemPath('feeds.due-feeds')
  async runDueFeeds(now: Date): Promise<number> {
    const created: { run_id: string; brand_id: string }[] = await this.db.transaction(async (manager) => {
      const due = await this.feeds.systemClaimDue(manager, now);
      const runs: { run_id: string; brand_id: string }[] = [];
      for (const feed of due) {
        await this.feeds.advanceSchedule(manager, feed.brand_id, feed.id, now, feed.schedule_interval_minutes);
        const ctx = systemBrandContext(feed.brand_id, 'feed-schedule');
        const started = await this.store.startIfIdle(ctx, feed.id, { trigger: 'SCHEDULE' }, manager);
        // The previous fetch is still going: skip this slot rather than pile up.
        if (!started.created) continue;
        // Sent in the same transaction: the run exists exactly when its job does.
        await this.queue.send(INGEST_RUN, { runId: started.created.id, brandId: feed.brand_id }, { db: manager });
        runs.push({ run_id: started.created.id, brand_id: feed.brand_id });
      }
      return runs;
    });
    if (created.length) this.logger.log({ msg: 'scheduled fetches queued', count: created.length });
    return created.length;
  }

  /**
   * A sale_price_effective_date window is judged when a run reads the item, so a sale that starts or ends between
   * two runs would change only at the next run that reads the file, never for an upload that is not sent again. For
   * every live version whose next sale start or end (catalog_version.next_sale_change_at) is at or before `now`, this
   * starts a SALE_WINDOW run that reads the file of the run that made the version again, judging the windows at
   * `now`, and clears the version's mark in the same transaction as the run and its job: overlapping ticks start one
   * run per boundary, and a boundary is acted on once (the new run marks its own version with the next one). A feed
   * already running keeps its mark and is tried at the next tick. A version whose file retention deleted (it should
   * not, while live) cannot be read again: its mark is cleared with a warning. Then the live products whose sale
   * price and window come from different feeds, and whose sale started or ended by `now`, are judged again at `now`
   * (LIVE_SALE_WINDOWS, libs/catalog): no file has changed, so no run is needed. Answers how many runs it started.
   */
  @SystemPath('feeds.sale-windows')
  async runSaleWindows(now: Date): Promise<number> {
    const created: string[] = await this.db.transaction(async (manager) => {
      const due = await CatalogVersionStore.systemClaimSaleChanges(manager, now);
      const runs: string[] = [];
      for (const version of due) {
        if (!version.source_key) {
          this.logger.warn({
            msg: "a sale window of a live version passed, but its run's file is gone: not read again",
            feedId: version.feed_id,
            versionId: version.version_id,
            saleChangeAt: version.next_sale_change_at,
          });
          await CatalogVersionStore.clearNextSaleChange(manager, version.brand_id, version.version_id);
          continue;
        }
        const ctx = systemBrandContext(version.brand_id, 'sale-window');
        const started = await this.store.startIfIdle(
          ctx,
          version.feed_id,
          {
            trigger: 'SALE_WINDOW',
            sourceKey: version.source_key,
            sourceName: version.source_name,
            bytesTotal: version.bytes_total === null ? null : Number(version.bytes_total),
            salesJudgedAt: now,
          },
          manager,
        );
        // A run of the feed is queued or running: the mark stays, and the next tick tries again.
        if (!started.created) continue;
        await CatalogVersionStore.clearNextSaleChange(manager, version.brand_id, version.version_id);
        await this.queue.send(INGEST_RUN, { runId: started.created.id, brandId: version.brand_id }, { db: manager });
        runs.push(started.created.id);
      }
      return runs;
    });
    if (created.length) this.logger.log({ msg: 'sale window runs queued', count: created.length });
    await this.liveSales?.applyDue(now);
    return created.length;
  }
}
