import { returnedRows } from '@brandshelf/db';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, MEDIA_STORAGE, type AppConfig } from '@brandshelf/core';
import { ImageError, ImagePipeline, ImageProcessor, checkImageSize, configureSharp } from '@brandshelf/media';
import { SafeHttpClient } from '@brandshelf/net';
import { JobHandler, QueueService } from '@brandshelf/queue';
import type { ObjectStorage } from '@brandshelf/storage';
import { RUN_STAGED } from '../ingestion.jobs.js';
import { IMAGE_BATCH_SIZE, IMAGE_FETCH } from './image.jobs.js';

const HINTS: Record<string, string> = {
  IMAGE_UNREACHABLE:
    'Check that the image URL opens in a browser without logging in, and that the host allows our fetcher.',
  IMAGE_BLOCKED_ADDRESS: 'Image URLs must point to public hosts; private, loopback and metadata addresses are refused.',
  IMAGE_TOO_LARGE: 'Use an image under 20 MB and 50 megapixels.',
  IMAGE_UNSUPPORTED_FORMAT:
    'Use a JPEG, PNG, WebP, GIF, AVIF or TIFF image; the URL must serve the image itself, not a page.',
  IMAGE_CORRUPT: 'The file is damaged or cut off; upload the image again and check that it opens.',
  IMAGE_TOO_SMALL: 'Use an image of at least 500×500 px (100×100 is the minimum).',
};

/** The image URLs of an item, main first (ord 0). Expects `d` to be the item's data. */
const ITEM_IMAGE_URLS = `
  SELECT d->>'imageLink' AS url, 0::bigint AS ord WHERE d->>'imageLink' IS NOT NULL
  UNION ALL
  SELECT x.url, x.ord FROM jsonb_array_elements_text(coalesce(d->'additionalImageLinks', '[]'::jsonb)) WITH ORDINALITY AS x(url, ord)`;

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

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(QueueService) private readonly queue: QueueService,
    @Inject(SafeHttpClient) http: SafeHttpClient,
    @Inject(MEDIA_STORAGE) storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.pipeline = new ImagePipeline({
      http,
      storage,
      processor: new ImageProcessor({
        limitInputPixels: config.images.maxInputPixels,
        maxInputBytes: config.images.maxBytes,
      }),
      maxBytes: config.images.maxBytes,
    });
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
  }): Promise<number> {
    const { runId, brandId, feedId, versionId, baseVersionId } = input;
    await this.db.query('DELETE FROM run_image WHERE run_id = $1', [runId]);
    await this.db.query(
      `WITH items AS (
         SELECT ir.data AS d, (b.content_hash IS DISTINCT FROM vi.content_hash) AS changed
           FROM version_item vi
           JOIN item_revision ir ON ir.feed_id = $3 AND ir.offer_id = vi.offer_id AND ir.content_hash = vi.content_hash
           LEFT JOIN version_item b ON b.version_id = $5 AND b.offer_id = vi.offer_id
          WHERE vi.version_id = $4),
       urls AS (
         SELECT u.url, bool_or(items.changed) AS changed
           FROM items CROSS JOIN LATERAL (${ITEM_IMAGE_URLS}) u
          GROUP BY u.url),
       sources AS (
         INSERT INTO image_source (brand_id, url) SELECT $2, url FROM urls
         ON CONFLICT (brand_id, url) DO UPDATE SET url = EXCLUDED.url
         RETURNING id, url, status)
       INSERT INTO run_image (run_id, image_id, state)
       SELECT $1, s.id, CASE WHEN s.status = 'PROCESSED' AND NOT u.changed THEN 'SKIPPED' ELSE 'PENDING' END
         FROM sources s JOIN urls u ON u.url = s.url`,
      [runId, brandId, feedId, versionId, baseVersionId],
    );
    const pending: { image_id: string }[] = await this.db.query(
      `SELECT image_id FROM run_image WHERE run_id = $1 AND state = 'PENDING' ORDER BY image_id`,
      [runId],
    );
    await this.refreshCounters(this.db.manager, runId);
    for (let i = 0; i < pending.length; i += IMAGE_BATCH_SIZE) {
      const imageIds = pending.slice(i, i + IMAGE_BATCH_SIZE).map((p) => p.image_id);
      await this.queue.send(IMAGE_FETCH, { runId, brandId, imageIds });
    }
    return pending.length;
  }

  @JobHandler(IMAGE_FETCH)
  async fetchBatch(payload: { runId: string; brandId: string; imageIds: string[] }): Promise<void> {
    const [run] = await this.db.query(
      'SELECT status, cancel_requested FROM ingestion_run WHERE id = $1 AND brand_id = $2',
      [payload.runId, payload.brandId],
    );
    if (!run || run.status !== 'RUNNING') return;
    if (!run.cancel_requested) {
      const work = await this.db.query(
        `SELECT s.id, s.url, s.etag, s.last_modified, s.sha256 FROM run_image ri JOIN image_source s ON s.id = ri.image_id
          WHERE ri.run_id = $1 AND ri.image_id = ANY($2::uuid[]) AND ri.state = 'PENDING'`,
        [payload.runId, payload.imageIds],
      );
      // One image at a time per job: parallelism comes from IMAGE_CONCURRENCY jobs per worker and from
      // workers, which keeps memory at one decoded image per job.
      for (const image of work as ImageRow[]) await this.fetchOne(payload.runId, image);
    }
    await this.completeIfDone(payload.runId, payload.brandId);
  }

  private async fetchOne(runId: string, image: ImageRow): Promise<void> {
    let state: 'DONE' | 'FAILED' | 'SKIPPED';
    try {
      const stored = await this.pipeline.fetchAndStore(image.url, {
        etag: image.etag,
        lastModified: image.last_modified,
        sha256: image.sha256,
      });
      const size = checkImageSize(stored);
      const renditions = [
        ...stored.renditions.map((r) => ({
          size: r.size,
          width: r.width,
          height: r.height,
          format: 'webp',
          url: r.url,
        })),
        {
          size: Math.max(stored.width, stored.height, ...stored.renditions.map((r) => r.size)),
          width: stored.renditions.at(-1)?.width ?? stored.width,
          height: stored.renditions.at(-1)?.height ?? stored.height,
          format: 'jpeg',
          url: stored.jpegUrl,
        },
      ];
      const failed = size?.severity === 'ERROR';
      await this.db.query(
        `UPDATE image_source SET status = $2, sha256 = $3, etag = $4, last_modified = $5, format = $6, bytes = $7,
                width = $8, height = $9, placeholder = $10, dominant_color = $11, renditions = $12,
                error_code = $13, error_message = $14, size_warning = $15, fetched_at = now(), updated_at = now()
          WHERE id = $1`,
        [
          image.id,
          failed ? 'FAILED' : 'PROCESSED',
          stored.sha256,
          stored.etag,
          stored.lastModified,
          stored.format,
          stored.bytes,
          stored.width,
          stored.height,
          stored.placeholder,
          stored.dominantColor,
          JSON.stringify(renditions),
          failed ? 'IMAGE_TOO_SMALL' : null,
          failed ? size!.message : null,
          size?.severity === 'WARNING' ? size.message : null,
        ],
      );
      state = failed ? 'FAILED' : stored.status === 'NOT_MODIFIED' ? 'SKIPPED' : 'DONE';
    } catch (error) {
      if (!(error instanceof ImageError)) throw error; // storage or database trouble: the job is retried
      await this.db.query(
        `UPDATE image_source SET status = 'FAILED', error_code = $2, error_message = $3, size_warning = NULL,
                fetched_at = now(), updated_at = now() WHERE id = $1`,
        [image.id, error.code, error.message],
      );
      state = 'FAILED';
    }
    await this.db.query('UPDATE run_image SET state = $3 WHERE run_id = $1 AND image_id = $2', [
      runId,
      image.id,
      state,
    ]);
  }

  private async refreshCounters(manager: EntityManager, runId: string): Promise<number> {
    const result = await manager.query(
      `UPDATE ingestion_run r SET
          images_total = c.total, images_done = c.done, images_failed = c.failed, images_skipped = c.skipped, updated_at = now()
         FROM (SELECT count(*)::int AS total, count(*) FILTER (WHERE state = 'DONE')::int AS done,
                      count(*) FILTER (WHERE state = 'FAILED')::int AS failed,
                      count(*) FILTER (WHERE state = 'SKIPPED')::int AS skipped,
                      count(*) FILTER (WHERE state = 'PENDING')::int AS pending
                 FROM run_image WHERE run_id = $1) c
        WHERE r.id = $1
        RETURNING c.pending`,
      [runId],
    );
    return returnedRows<{ pending: number }>(result)[0]?.pending ?? 0;
  }

  /**
   * When no image of the run is pending, the one caller that wins the guard turns failed images into item
   * issues (an item whose main image failed is rejected; a failed additional image is a warning) and
   * completes the run; a cancelled run completes as CANCELLED.
   */
  async completeIfDone(runId: string, brandId: string): Promise<boolean> {
    const finished = await this.db.transaction(async (manager) => {
      const pending = await this.refreshCounters(manager, runId);
      if (pending > 0) {
        const [{ cancel }] = await manager.query('SELECT cancel_requested AS cancel FROM ingestion_run WHERE id = $1', [
          runId,
        ]);
        if (!cancel) return null;
        await manager.query(`UPDATE run_image SET state = 'SKIPPED' WHERE run_id = $1 AND state = 'PENDING'`, [runId]);
        await this.refreshCounters(manager, runId);
      }
      const claimed = await manager.query(
        `UPDATE ingestion_run SET phase = 'DONE', updated_at = now()
          WHERE id = $1 AND brand_id = $2 AND status = 'RUNNING' AND phase = 'IMAGES'
          RETURNING feed_id, version_id, cancel_requested`,
        [runId, brandId],
      );
      const [run] = returnedRows<{ feed_id: string; version_id: string; cancel_requested: boolean }>(claimed);
      if (!run) return null;
      if (run.cancel_requested) {
        await manager.query(`UPDATE ingestion_run SET status = 'CANCELLED', finished_at = now() WHERE id = $1`, [
          runId,
        ]);
        return true;
      }
      await this.recordImageIssues(manager, runId, brandId, run.feed_id, run.version_id);
      await manager.query(`UPDATE ingestion_run SET status = 'SUCCEEDED', finished_at = now() WHERE id = $1`, [runId]);
      const [feed] = await manager.query('SELECT auto_publish FROM feed WHERE id = $1', [run.feed_id]);
      // In this transaction, so whoever sees SUCCEEDED also sees the publish that is still to come.
      if (feed?.auto_publish) await this.queue.send(RUN_STAGED, { runId, brandId }, { db: manager });
      return true;
    });
    if (!finished) return false;
    this.logger.log({ msg: 'run images done', runId });
    return true;
  }

  private async recordImageIssues(
    manager: EntityManager,
    runId: string,
    brandId: string,
    feedId: string,
    versionId: string,
  ): Promise<void> {
    const hints = Object.entries(HINTS);
    const hintValues = hints.map((_, i) => `($${5 + i * 2}, $${6 + i * 2})`).join(', ');
    await manager.query(`DELETE FROM run_issue WHERE run_id = $1 AND code LIKE 'IMAGE\\_%'`, [runId]);
    await manager.query(
      `WITH hint(code, text) AS (VALUES ${hintValues})
       INSERT INTO run_issue (run_id, brand_id, severity, code, attribute, "row", item_id, value, message, hint)
       SELECT $1, $2,
              CASE WHEN u.ord = 0 AND s.status = 'FAILED' THEN 'ERROR' ELSE 'WARNING' END,
              coalesce(s.error_code, 'IMAGE_TOO_SMALL'),
              CASE WHEN u.ord = 0 THEN 'image_link' ELSE 'additional_image_link' END,
              ir."row", vi.offer_id, left(u.url, 200),
              CASE WHEN s.status = 'FAILED' THEN s.error_message ELSE s.size_warning END,
              coalesce(h.text, '')
         FROM version_item vi
         JOIN item_revision ir ON ir.feed_id = $3 AND ir.offer_id = vi.offer_id AND ir.content_hash = vi.content_hash
         CROSS JOIN LATERAL (SELECT ir.data AS d) x
         CROSS JOIN LATERAL (${ITEM_IMAGE_URLS}) u
         JOIN image_source s ON s.brand_id = $2 AND s.url = u.url
         LEFT JOIN hint h ON h.code = coalesce(s.error_code, 'IMAGE_TOO_SMALL')
        WHERE vi.version_id = $4 AND (s.status = 'FAILED' OR s.size_warning IS NOT NULL)`,
      [runId, brandId, feedId, versionId, ...hints.flat()],
    );
    // Items whose main image failed are rejected; the run's counters and summary say so.
    await manager.query(
      `WITH image_issues AS (
         SELECT severity, code, attribute, count(*)::int AS count, (array_agg("row" ORDER BY "row"))[1:5] AS rows,
                count(DISTINCT item_id) FILTER (WHERE severity = 'ERROR')::int AS rejected_items
           FROM run_issue WHERE run_id = $1 AND code LIKE 'IMAGE\\_%' GROUP BY severity, code, attribute)
       UPDATE ingestion_run r SET
         items_accepted = r.items_accepted - coalesce((SELECT sum(rejected_items) FROM image_issues), 0),
         items_rejected = r.items_rejected + coalesce((SELECT sum(rejected_items) FROM image_issues), 0),
         errors = r.errors + coalesce((SELECT sum(count) FROM image_issues WHERE severity = 'ERROR'), 0),
         warnings = r.warnings + coalesce((SELECT sum(count) FROM image_issues WHERE severity = 'WARNING'), 0),
         issues_stored = r.issues_stored + coalesce((SELECT sum(count) FROM image_issues), 0),
         issue_summary = r.issue_summary || coalesce((
           SELECT jsonb_agg(jsonb_build_object('code', code, 'severity', severity, 'attribute', attribute,
                                               'count', count, 'sampleRows', to_jsonb(rows)) ORDER BY severity, count DESC)
             FROM image_issues), '[]'::jsonb)
       WHERE r.id = $1`,
      [runId],
    );
  }
}

interface ImageRow {
  id: string;
  url: string;
  etag: string | null;
  last_modified: string | null;
  sha256: string | null;
}
