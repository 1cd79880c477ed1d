import {
  CODES,
  type Code,
  type ImageIssueCode,
  type IssueSeverity,
  type RunErrorCode,
} from '@brandshelf/catalog-rules';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, MEDIA_STORAGE, type AppConfig } from '@brandshelf/core';
import {
  ImageError,
  ImagePipeline,
  ImageProcessor,
  checkImageSize,
  configureSharp,
  renditionEntries,
} from '@brandshelf/media';
import { HostLimiter, SafeHttpClient, hostDown, hostOf, type HostDown } from '@brandshelf/net';
import { JobHandler, QueueService, type JobContext } from '@brandshelf/queue';
import type { ObjectStorage } from '@brandshelf/storage';
import type { IssueSummaryEntry } from '../ingestion-run.entity.js';
import { RUN_STAGED } from '../ingestion.jobs.js';
import { IngestionRunStore } from '../ingestion-run.store.js';
import { CatalogVersionStore } from '../catalog-version.store.js';
import { RunIssueStore } from '../run-issue.store.js';
import { ImageSourceStore } from './image-source.store.js';
import { RunImageStore } from './run-image.store.js';
import { mergeSummaries } from '../issue.sink.js';
import { BrandShare } from './brand-share.js';
import { HostFailures } from './host-failures.js';
import { IMAGE_BATCH_SIZE, IMAGE_FETCH } from './image.jobs.js';
import { SystemPath } from '@brandshelf/db';

/** The hint of each image code, from the code catalogue: joined into the image issues written in SQL. */
const HINTS: [ImageIssueCode, string][] = (Object.keys(CODES) as Code[])
  .filter((code): code is ImageIssueCode => CODES[code].kind === 'IMAGE')
  .map((code) => [code, CODES[code].hint]);

/**
 * The images step of a run: after its rows are staged, every image its version needs is fetched and
 * processed on the queue, in parallel and off the reading path. Each distinct URL is fetched
 * conditionally, each distinct image (by content) processed once; the last batch to finish turns the
 * results into item issues and completes the run.
 */
@Injectable()
export class RunImagesService implements OnModuleInit {
  private readonly logger = new Logger('Images');
  private readonly pipeline: ImagePipeline;
  private readonly localRuns = new Map<string, LocalRun>();
  private readonly share: BrandShare;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(QueueService) private readonly queue: QueueService,
    @Inject(SafeHttpClient) http: SafeHttpClient,
    @Inject(MEDIA_STORAGE) storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(IngestionRunStore) private readonly runs: IngestionRunStore,
  ) {
    this.pipeline = new ImagePipeline({
      http,
      storage,
      processor: new ImageProcessor({
        limitInputPixels: config.images.maxInputPixels,
        maxInputBytes: config.images.maxBytes,
      }),
      maxBytes: config.images.maxBytes,
      limiter: new HostLimiter(config.images.hostConcurrency),
      deadlineMs: config.images.fetchDeadlineSeconds * 1000,
    });
    this.share = BrandShare.of(config.images.concurrency);
  }

  onModuleInit(): void {
    configureSharp({ threadsPerImage: 1, cache: false });
  }

  get enabled(): boolean {
    return this.config.images.enabled;
  }

  /**
   * Records the images a new version needs and queues the ones to fetch: new or failed URLs, and URLs of
   * items that changed (fetched conditionally). Images of unchanged items that were processed are skipped.
   * Returns how many are pending; 0 means the run can complete now.
   */
  async plan(input: {
    runId: string;
    brandId: string;
    feedId: string;
    versionId: string;
    baseVersionId: string | null;
    /**
     * The run read the same file as its base version's run (a SALE_WINDOW run): an item changed only in what the
     * windows decide, so an image already processed is not fetched again even for a changed item.
     */
    sameFile?: boolean;
  }): Promise<number> {
    const { runId, brandId, feedId, versionId, baseVersionId } = input;
    await RunImageStore.plan(this.db, brandId, {
      runId,
      feedId,
      versionId,
      baseVersionId,
      sameFile: input.sameFile ?? false,
    });
    const pending: { image_id: string }[] = await this.db.query(
      `SELECT image_id FROM run_image WHERE run_id = $1 AND state = 'PENDING' ORDER BY image_id`,
      [runId],
    );
    await this.runs.recountImages(brandId, runId);
    const batches: { runId: string; brandId: string; imageIds: string[] }[] = [];
    for (let i = 0; i < pending.length; i += IMAGE_BATCH_SIZE) {
      batches.push({ runId, brandId, imageIds: pending.slice(i, i + IMAGE_BATCH_SIZE).map((p) => p.image_id) });
    }
    // One insert per thousand batches: sent one by one, 600 batches took seconds before the first could start.
    for (let i = 0; i < batches.length; i += 1000) await this.queue.sendMany(IMAGE_FETCH, batches.slice(i, i + 1000));
    return pending.length;
  }

  @JobHandler(IMAGE_FETCH)
  async fetchBatch(
    payload: { runId: string; brandId: string; imageIds: string[] },
    job?: Pick<JobContext, 'retryCount'>,
  ): Promise<void> {
    const { runId, brandId } = payload;
    const [run] = await this.db.query(
      'SELECT status, phase, cancel_requested FROM ingestion_run WHERE id = $1 AND brand_id = $2',
      [runId, brandId],
    );
    // Batches queued before the run ended (its host given up, cancelled, failed) have nothing left to do.
    if (!run || run.status !== 'RUNNING' || run.phase !== 'IMAGES') return;
    if (run.cancel_requested) {
      await this.completeIfDone(runId, brandId);
      return;
    }
    const leave = await this.enterShare(brandId);
    if (!leave) {
      if (this.queue.isStopping) throw new Error('The worker shut down before this image job got a slot');
      // Waited as long as a job may run: handed back to the queue rather than expired and run twice.
      await this.queue.sendMany(IMAGE_FETCH, [payload], { startAfterSeconds: 1 });
      return;
    }
    try {
      await this.fetchShared(payload, job);
    } finally {
      leave();
    }
  }

  /**
   * A slot of this brand's share of the process's image slots. While the brand holds all of its share, this
   * job runs other brands' waiting image jobs (so it never holds a consumer that another brand could use) or
   * waits for a slot when there are none. Null when the process stops, or after waiting half the job's
   * expiry (the caller re-queues it).
   */
  private async enterShare(brandId: string): Promise<(() => void) | null> {
    const since = Date.now();
    for (;;) {
      const leave = this.share.tryEnter(brandId);
      if (leave) return leave;
      if (this.queue.isStopping || Date.now() - since > IMAGE_FETCH.options.expireInSeconds * 500) return null;
      const ran = await this.queue.runNextExcept(IMAGE_FETCH, 'brandId', [brandId, ...this.share.saturated()]);
      if (!ran) await this.share.waitForRelease(brandId, SHARE_POLL_MS);
    }
  }

  private async fetchShared(
    payload: { runId: string; brandId: string; imageIds: string[] },
    job?: Pick<JobContext, 'retryCount'>,
  ): Promise<void> {
    const { runId, brandId } = payload;
    const work: ImageRow[] = await this.db.query(
      `SELECT s.id, s.url, s.etag, s.last_modified, s.sha256 FROM run_image ri JOIN image_source s ON s.id = ri.image_id
        WHERE ri.run_id = $1 AND ri.image_id = ANY($2::uuid[]) AND ri.state = 'PENDING'`,
      [runId, payload.imageIds],
    );
    const local = this.localRun(runId);
    try {
      // One image at a time per job: parallelism comes from IMAGE_CONCURRENCY jobs per worker and from
      // workers, which keeps memory at one decoded image per job.
      for (const image of work) {
        if (!(await this.stillWanted(runId, brandId))) break; // cancelled or ended meanwhile: no further image
        await this.fetchOne(runId, brandId, image, local);
      }
    } catch (error) {
      if ((job?.retryCount ?? 0) < IMAGE_FETCH.options.retryLimit) throw error; // the queue tries the batch again
      // The queue will not try again: without this the run would wait in IMAGES for a batch that never comes.
      this.logger.error({ msg: 'image batch failed for good', runId, err: String((error as Error)?.stack ?? error) });
      await this.failRun(runId, brandId, {
        code: 'INTERNAL_ERROR',
        message: `Processing images failed on our side after ${IMAGE_FETCH.options.retryLimit + 1} attempts: ${(error as Error).message}`,
        hint: 'Nothing from this run was published. Run the feed again (images already processed are not fetched again); if it keeps failing, contact support with the run id.',
      });
      return;
    }
    await this.completeIfDone(runId, brandId);
  }

  /** Whether the run still wants images: it is RUNNING in phase IMAGES and nobody asked to cancel it. */
  private async stillWanted(runId: string, brandId: string): Promise<boolean> {
    const [run] = await this.db.query(
      `SELECT 1 FROM ingestion_run
        WHERE id = $1 AND brand_id = $2 AND status = 'RUNNING' AND phase = 'IMAGES' AND NOT cancel_requested`,
      [runId, brandId],
    );
    return Boolean(run);
  }

  /** This process's state for a run: what it learnt about hosts, and a switch for its downloads in flight. */
  private localRun(runId: string): LocalRun {
    const now = Date.now();
    // A run another process completed leaves its entry here; it is dropped once idle.
    for (const [id, entry] of this.localRuns) if (now - entry.touched > LOCAL_RUN_IDLE_MS) this.localRuns.delete(id);
    let entry = this.localRuns.get(runId);
    if (!entry) {
      entry = { hosts: new HostFailures(), abort: new AbortController(), touched: now };
      this.localRuns.set(runId, entry);
    }
    entry.touched = now;
    return entry;
  }

  private async fetchOne(runId: string, brandId: string, image: ImageRow, local: LocalRun): Promise<void> {
    const host = hostOf(image.url);
    const condemned = local.hosts.condemned(host);
    if (condemned) {
      await this.failCondemned(runId, brandId, condemned, [image.id]);
      return;
    }
    let state: 'DONE' | 'FAILED' | 'SKIPPED';
    try {
      const stored = await this.pipeline.fetchAndStore(
        image.url,
        { etag: image.etag, lastModified: image.last_modified, sha256: image.sha256 },
        local.abort.signal,
      );
      local.hosts.answered(host);
      const size = checkImageSize(stored);
      const renditions = renditionEntries(stored);
      const failed = size?.severity === 'ERROR';
      await ImageSourceStore.recordProcessed(this.db, brandId, image.id, {
        status: failed ? 'FAILED' : 'PROCESSED',
        sha256: stored.sha256,
        etag: stored.etag,
        lastModified: stored.lastModified,
        format: stored.format,
        bytes: stored.bytes,
        width: stored.width,
        height: stored.height,
        placeholder: stored.placeholder,
        dominantColor: stored.dominantColor,
        renditions,
        errorCode: failed ? 'IMAGE_TOO_SMALL' : null,
        errorMessage: failed ? size!.message : null,
        sizeWarning: size?.severity === 'WARNING' ? size.message : null,
        storedBytes: stored.storedBytes,
      });
      state = failed ? 'FAILED' : stored.status === 'NOT_MODIFIED' ? 'SKIPPED' : 'DONE';
    } catch (error) {
      if (local.abort.signal.aborted) return; // the run was cancelled: its pending images are settled already
      if (!(error instanceof ImageError)) throw error; // storage or database trouble: the job is retried
      await ImageSourceStore.recordFailed(this.db, brandId, image.id, error.code, error.message);
      state = 'FAILED';
      const down = hostDown(error.cause);
      if (!down) local.hosts.answered(host);
      // The failing hop may be a redirect target: its host is condemned, whatever URL led there.
      else if (local.hosts.failed(down)) await this.failHost(runId, brandId, down);
    }
    await RunImageStore.settle(this.db, brandId, runId, image.id, state);
  }

  /** Fails every image of the run still pending on a condemned host, in one statement, without fetching. */
  private async failHost(runId: string, brandId: string, down: HostDown): Promise<void> {
    // The URL text narrows the rows; URL parsing decides, since the host may be spelled differently in the feed.
    const candidates: { id: string; url: string }[] = await this.db.query(
      `SELECT s.id, s.url FROM run_image ri JOIN image_source s ON s.id = ri.image_id
        WHERE ri.run_id = $1 AND ri.state = 'PENDING' AND s.brand_id = $2 AND strpos(lower(s.url), $3) > 0`,
      [runId, brandId, down.host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')],
    );
    const ids = candidates.filter((c) => hostOf(c.url) === down.host).map((c) => c.id);
    this.logger.warn({ msg: 'image host given up', runId, host: down.host, reason: down.reason, images: ids.length });
    await this.failCondemned(runId, brandId, down, ids);
  }

  private async failCondemned(runId: string, brandId: string, down: HostDown, imageIds: string[]): Promise<void> {
    if (imageIds.length === 0) return;
    const message = `${down.code}: ${down.reason}; not fetched, as the run gave up on this host`;
    await RunImageStore.failPending(this.db, brandId, runId, imageIds, message);
  }

  /**
   * When no image of the run is pending, the one caller that wins the guard turns failed images into item
   * issues (an item whose main image failed is rejected; a failed additional image is a warning) and
   * completes the run; a cancelled run completes as CANCELLED.
   */
  async completeIfDone(runId: string, brandId: string): Promise<boolean> {
    const finished = await this.db.transaction(async (manager) => {
      // One probe of the pending-only index, not a count of the run's images: this runs after every batch.
      const [{ pending }] = await manager.query(
        `SELECT EXISTS (SELECT 1 FROM run_image WHERE run_id = $1 AND state = 'PENDING') AS pending`,
        [runId],
      );
      if (pending) {
        const [{ cancel }] = await manager.query('SELECT cancel_requested AS cancel FROM ingestion_run WHERE id = $1', [
          runId,
        ]);
        if (!cancel) return null;
        await RunImageStore.skipPending(manager, brandId, runId);
      }
      const run = await this.runs.endImages(manager, brandId, runId);
      if (!run) return null;
      // Once per run, the counters kept per image are checked against the images themselves.
      await this.runs.recountImages(brandId, runId, manager);
      if (run.cancel_requested) {
        await this.runs.finishImages(manager, brandId, runId, 'CANCELLED');
        await this.dropVersion(manager, brandId, runId);
        return true;
      }
      const totals = await this.recordImageIssues(manager, runId, brandId, run.feed_id, run.version_id);
      await this.addToRun(manager, brandId, runId, totals);
      await this.runs.finishImages(manager, brandId, runId, 'SUCCEEDED');
      const [feed] = await manager.query('SELECT auto_publish FROM feed WHERE id = $1', [run.feed_id]);
      // In this transaction, so whoever sees SUCCEEDED also sees the publish that is still to come.
      if (feed?.auto_publish) await this.queue.send(RUN_STAGED, { runId, brandId }, { db: manager });
      return true;
    });
    if (!finished) return false;
    this.forgetLocal(runId);
    this.logger.log({ msg: 'run images done', runId });
    return true;
  }

  /**
   * cancelRun on a run in phase IMAGES: downloads of it in flight in this process are aborted, its pending
   * images are settled as skipped and it ends CANCELLED now, not when (or if) a next image job comes.
   * Workers elsewhere check the run before each image, so they take no further image of it.
   */
  async cancelImages(runId: string, brandId: string): Promise<boolean> {
    this.localRuns.get(runId)?.abort.abort();
    return this.completeIfDone(runId, brandId);
  }

  /** Ends a run still in phase IMAGES as FAILED with `error`; its pending images stay pending (never fetched). */
  async failRun(
    runId: string,
    brandId: string,
    error: { code: RunErrorCode; message: string; hint: string },
  ): Promise<boolean> {
    const failed = await this.db.transaction(async (manager) => {
      await this.runs.recountImages(brandId, runId, manager);
      if (!(await this.runs.failImages(manager, brandId, runId, error))) return false;
      await this.dropVersion(manager, brandId, runId);
      return true;
    });
    if (failed) {
      this.forgetLocal(runId);
      this.logger.warn({ msg: 'run failed in phase IMAGES', runId, code: error.code });
    }
    return failed;
  }

  /**
   * The IMAGES phase's stall sweep. A run in IMAGES with no progress for `staleSeconds` and no image job of
   * it left in the queue (waiting, retrying or running) will never be completed by one: it is completed now
   * if nothing is pending (or it was cancelled), and otherwise fails with IMAGES_STALLED. Failing, rather
   * than completing with the missing images as errors, keeps the live catalog as it is: publishing that
   * version would drop products whose images were never tried.
   */
  @SystemPath('run-images.sweepStalled')
  async sweepStalled(staleSeconds = IMAGES_STALL_SECONDS): Promise<number> {
    const candidates: { id: string; brand_id: string; images_total: number; updated_at: Date }[] = await this.db.query(
      `SELECT id, brand_id, images_total, updated_at FROM ingestion_run
        WHERE status = 'RUNNING' AND phase = 'IMAGES' AND updated_at < now() - make_interval(secs => $1)`,
      [staleSeconds],
    );
    let ended = 0;
    for (const run of candidates) {
      if ((await this.queue.liveJobs(IMAGE_FETCH, { runId: run.id })) > 0) continue; // still queued: just slow
      if (await this.completeIfDone(run.id, run.brand_id)) {
        ended++;
        continue;
      }
      const [{ pending }] = await this.db.query(
        `SELECT count(*)::int AS pending FROM run_image WHERE run_id = $1 AND state = 'PENDING'`,
        [run.id],
      );
      const failed = await this.failRun(run.id, run.brand_id, {
        code: 'IMAGES_STALLED',
        message:
          `${pending} of ${run.images_total} images were never processed: no image job of this run is left in the ` +
          `queue and nothing has moved since ${new Date(run.updated_at).toISOString()}.`,
        hint: CODES.IMAGES_STALLED.hint,
      });
      if (failed) ended++;
    }
    return ended;
  }

  /**
   * A run that ends in IMAGES without succeeding leaves no version, as runs failing earlier never make one:
   * the next run of the feed must compare with the last version that can be published, or it would find
   * "nothing changed" and never fetch these images again.
   */
  private async dropVersion(manager: EntityManager, brandId: string, runId: string): Promise<void> {
    await CatalogVersionStore.dropRunVersion(manager, brandId, runId);
    await this.runs.forgetDroppedVersion(manager, brandId, runId);
  }

  private forgetLocal(runId: string): void {
    this.localRuns.delete(runId);
  }

  /**
   * Turns the failed (and undersized) images of a version's items into the run's issues, replacing any the
   * run had: an item whose main image failed gets an ERROR (it is not publishable), a failed additional
   * image a WARNING. Returns what they add to the run's counters and summary. Also used by a run whose
   * items matched the current version, so its counters say what that version holds.
   */
  async recordImageIssues(
    manager: EntityManager,
    runId: string,
    brandId: string,
    feedId: string,
    versionId: string,
  ): Promise<ImageIssueTotals> {
    await RunIssueStore.replaceImageIssues(manager, brandId, { runId, feedId, versionId }, HINTS);
    const groups: {
      severity: IssueSeverity;
      code: ImageIssueCode;
      attribute: string | null;
      count: number;
      rows: number[];
    }[] = await manager.query(
      `SELECT severity, code, attribute, count(*)::int AS count, (array_agg("row" ORDER BY "row"))[1:5] AS rows
           FROM run_issue WHERE run_id = $1 AND code LIKE 'IMAGE\\_%' GROUP BY severity, code, attribute`,
      [runId],
    );
    const [{ rejected }] = await manager.query(
      `SELECT count(DISTINCT item_id)::int AS rejected FROM run_issue
        WHERE run_id = $1 AND code LIKE 'IMAGE\\_%' AND severity = 'ERROR'`,
      [runId],
    );
    const sum = (severity?: string) =>
      groups.filter((g) => !severity || g.severity === severity).reduce((total, g) => total + g.count, 0);
    return {
      rejectedItems: rejected,
      errors: sum('ERROR'),
      warnings: sum('WARNING'),
      stored: sum(),
      summary: groups.map((g) => ({
        code: g.code,
        severity: g.severity,
        attribute: g.attribute,
        count: g.count,
        sampleRows: g.rows.map(Number),
      })),
    };
  }

  /** Items whose main image failed are rejected; the run's counters and summary (errors still first) say so. */
  private async addToRun(
    manager: EntityManager,
    brandId: string,
    runId: string,
    totals: ImageIssueTotals,
  ): Promise<void> {
    const [run] = await manager.query('SELECT issue_summary FROM ingestion_run WHERE id = $1', [runId]);
    await this.runs.addImageIssues(
      manager,
      brandId,
      runId,
      totals,
      mergeSummaries(run?.issue_summary ?? [], totals.summary),
    );
  }
}

/** What a version's image issues add to a run. */
export interface ImageIssueTotals {
  rejectedItems: number;
  errors: number;
  warnings: number;
  stored: number;
  summary: IssueSummaryEntry[];
}

/**
 * No progress for this long (with no image job of the run left in the queue) ends a run stuck in IMAGES.
 * Short on purpose: a run whose jobs are merely waiting behind others still has them in the queue.
 */
export const IMAGES_STALL_SECONDS = 120;
/** A run's entry in this process is dropped after this long without an image of it being worked on. */
const LOCAL_RUN_IDLE_MS = 30 * 60_000;
/** How often a job waiting for its brand's slot looks for other brands' jobs to run meanwhile. */
const SHARE_POLL_MS = 1000;

interface LocalRun {
  hosts: HostFailures;
  /** Aborted when the run is cancelled, so downloads in flight in this process stop at once. */
  abort: AbortController;
  touched: number;
}

interface ImageRow {
  id: string;
  url: string;
  etag: string | null;
  last_modified: string | null;
  sha256: string | null;
}
