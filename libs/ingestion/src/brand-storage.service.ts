import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, AppError, FILE_STORAGE, MEDIA_STORAGE, type AppConfig } from '@brandshelf/core';
import { contentKey } from '@brandshelf/media';
import { QueueService, type SqlExecutor } from '@brandshelf/queue';
import type { ObjectStorage } from '@brandshelf/storage';
import { CATALOG_CHANGED } from './ingestion.jobs.js';
import { IngestionRunStore } from './ingestion-run.store.js';
import { FeedStore } from './feed.store.js';
import { ImageSourceStore } from './images/image-source.store.js';
import { runAsSystem, SystemPath } from '@brandshelf/db';

/** A run whose source is no longer kept; `held` when another run of its feed, not let go of, has the same file. */
interface DoomedSource {
  id: string;
  source_key: string;
  held: boolean;
}

/**
 * Whether a run of the feed (the SQL expressions `brand` and `feed`) other than those in `doomed` still holds `d`'s
 * file (a SALE_WINDOW run and the run whose file it read again share one key).
 */
const stillHeld = (brand: string, feed: string) => `EXISTS (SELECT 1 FROM ingestion_run o
   WHERE o.brand_id = ${brand} AND o.feed_id = ${feed} AND o.source_key = d.source_key
     AND o.id NOT IN (SELECT id FROM doomed))`;

/** What one brand keeps in storage (README: Storage). */
export interface StorageUsage {
  /** Feed files of runs that still keep their source. */
  sourceBytes: number;
  /** Renditions of the brand's images, each distinct image counted once. */
  renditionBytes: number;
  /** Ad creatives the brand has (libs/ads), each key counted once, stale ones until they are pruned. */
  creativeBytes: number;
  usedBytes: number;
  /** null when STORAGE_QUOTA_BYTES is 0 (no quota). */
  quotaBytes: number | null;
  remainingBytes: number | null;
}

/**
 * Keeps storage bounded: a run's source file only as long as it is useful, renditions only while an image
 * row of any brand has their sha256, and each brand within its quota.
 *
 * Retention of sources, per feed: a run still queued or running keeps its source; so does the run of every
 * kept catalog version (for as long as the version is kept). Of the failed, cancelled and validate-only runs,
 * the newest SOURCE_RETENTION_DIAGNOSTIC_RUNS keep theirs for at most SOURCE_RETENTION_DAYS after they
 * finished. Every other finished run's source is deleted.
 *
 * Runs of one feed may share a file: a SALE_WINDOW run reads the file of the run that made the live version again,
 * under that run's key. A run that no longer keeps its source lets go of the key, and the file is deleted only when
 * no other run of the feed still holds it; usage counts each file once.
 */
@Injectable()
export class BrandStorageService {
  private readonly logger = new Logger('BrandStorage');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(FILE_STORAGE) private readonly files: ObjectStorage,
    @Inject(MEDIA_STORAGE) private readonly media: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(IngestionRunStore) private readonly runs: IngestionRunStore,
    @Inject(FeedStore) private readonly feeds: FeedStore,
    @Inject(QueueService) private readonly queue: QueueService,
  ) {}

  async usage(brandId: string): Promise<StorageUsage> {
    // creative is the ads library's table (its CreativeStore writes it); usage only reads it, so that every quota
    // check (uploads, fetches, renders) sees the same total. A row is one key of the brand (its primary key).
    const [row]: { sources: string; renditions: string; creatives: string }[] = await this.db.query(
      `SELECT (SELECT coalesce(sum(bytes), 0) FROM (
                 SELECT max(bytes_total) AS bytes FROM ingestion_run
                  WHERE brand_id = $1 AND source_key IS NOT NULL GROUP BY source_key) k) AS sources,
              (SELECT coalesce(sum(stored_bytes), 0) FROM (
                 SELECT DISTINCT ON (sha256) stored_bytes FROM image_source
                  WHERE brand_id = $1 AND sha256 IS NOT NULL) d) AS renditions,
              (SELECT coalesce(sum(stored_bytes), 0) FROM creative WHERE brand_id = $1) AS creatives`,
      [brandId],
    );
    const sourceBytes = Number(row.sources);
    const renditionBytes = Number(row.renditions);
    const creativeBytes = Number(row.creatives);
    const usedBytes = sourceBytes + renditionBytes + creativeBytes;
    const quota = this.config.retention.quotaBytes;
    return {
      sourceBytes,
      renditionBytes,
      creativeBytes,
      usedBytes,
      quotaBytes: quota > 0 ? quota : null,
      remainingBytes: quota > 0 ? Math.max(0, quota - usedBytes) : null,
    };
  }

  /** The error for a source that would take the brand past its quota. */
  quotaExceeded(usage: StorageUsage, incoming?: number): AppError {
    return new AppError(
      'QUOTA_EXCEEDED',
      `This file would take the brand past its storage quota of ${usage.quotaBytes} bytes ` +
        `(${usage.usedBytes} used: ${usage.sourceBytes} in feed files, ${usage.renditionBytes} in images, ` +
        `${usage.creativeBytes} in ad creatives; ` +
        `${usage.remainingBytes} left). Delete feeds you no longer need, or ask for a larger quota.`,
      { quotaBytes: usage.quotaBytes, usedBytes: usage.usedBytes, remainingBytes: usage.remainingBytes, incoming },
    );
  }

  /**
   * Announces that the brand's live catalog changed (CATALOG_CHANGED), in the change's own transaction so the job
   * exists exactly when the change does: ads prunes the brand's creatives the change made stale.
   */
  async announceCatalogChange(brandId: string, db: SqlExecutor): Promise<void> {
    await this.queue.send(CATALOG_CHANGED, { brandId }, { db });
  }

  /** Applies the retention to one feed's runs: deletes the source files no longer kept. Returns how many. */
  async sweepFeed(brandId: string, feedId: string): Promise<number> {
    const doomed: DoomedSource[] = await this.db.query(
      `WITH runs AS (
         SELECT r.id, r.source_key, r.status, r.finished_at,
                (r.status IN ('FAILED', 'CANCELLED') OR r.validate_only) AS diagnostic,
                EXISTS (SELECT 1 FROM catalog_version v WHERE v.feed_id = r.feed_id AND v.run_id = r.id) AS versioned,
                row_number() OVER (
                  PARTITION BY (r.status IN ('FAILED', 'CANCELLED') OR r.validate_only)
                  ORDER BY r.queued_at DESC, r.id DESC) AS newest
           FROM ingestion_run r
          WHERE r.brand_id = $1 AND r.feed_id = $2 AND r.status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')),
       doomed AS (
         SELECT id, source_key FROM runs
          WHERE source_key IS NOT NULL AND NOT versioned
            AND NOT (diagnostic AND newest <= $3 AND finished_at > now() - make_interval(days => $4)))
       SELECT d.id, d.source_key, ${stillHeld('$1', '$2')} AS held FROM doomed d`,
      [brandId, feedId, this.config.retention.diagnosticSources, this.config.retention.sourceDays],
    );
    await this.dropSources(doomed);
    return doomed.length;
  }

  /** Sources of diagnostic runs past SOURCE_RETENTION_DAYS, any brand (the scheduler's tick). */
  @SystemPath('brand-storage.sweepExpired')
  async sweepExpired(limit = 1000): Promise<number> {
    const doomed: DoomedSource[] = await this.db.query(
      `WITH doomed AS (
         SELECT r.id, r.brand_id, r.feed_id, r.source_key FROM ingestion_run r
          WHERE r.source_key IS NOT NULL AND r.status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')
            AND r.finished_at <= now() - make_interval(days => $1)
            AND NOT EXISTS (SELECT 1 FROM catalog_version v WHERE v.feed_id = r.feed_id AND v.run_id = r.id)
          LIMIT $2)
       SELECT d.id, d.source_key, ${stillHeld('d.brand_id', 'd.feed_id')} AS held
         FROM doomed d`,
      [this.config.retention.sourceDays, limit],
    );
    await this.dropSources(doomed);
    return doomed.length;
  }

  /**
   * Deletes a feed with everything it stored: its rows (runs, versions, products go by cascade), then its
   * runs' source files and the renditions of images nothing else uses.
   */
  async deleteFeed(brandId: string, feedId: string): Promise<void> {
    const { sources, images } = await this.db.transaction(async (manager) => {
      const sources: { source_key: string }[] = await manager.query(
        `SELECT source_key FROM ingestion_run WHERE brand_id = $1 AND feed_id = $2 AND source_key IS NOT NULL`,
        [brandId, feedId],
      );
      const images: { image_id: string }[] = await manager.query(
        `SELECT DISTINCT ri.image_id FROM run_image ri JOIN ingestion_run r ON r.id = ri.run_id
          WHERE r.brand_id = $1 AND r.feed_id = $2`,
        [brandId, feedId],
      );
      await this.feeds.delete(manager, brandId, feedId);
      await this.announceCatalogChange(brandId, manager);
      return { sources, images };
    });
    // The rows are gone first: a file without a row is only space, a row without its file would be an error.
    // So the feed is deleted whatever storage answers next; a failure is logged with what it left behind.
    try {
      // Runs may share a file (a SALE_WINDOW run reads its live version's again): each is deleted once.
      await this.deleteObjects(this.files, [...new Set(sources.map((s) => s.source_key))]);
      await this.collectImages(
        brandId,
        images.map((i) => i.image_id),
      );
    } catch (error) {
      this.logger.error({
        msg: 'feed deleted, but some of its files could not be',
        feedId,
        sources: sources.map((s) => s.source_key),
        err: String(error),
      });
    }
  }

  /** After versions of a feed were pruned: their runs' sources and the images only they used. */
  async afterPrune(brandId: string, feedId: string, runIds: string[]): Promise<void> {
    if (!runIds.length) return;
    await this.sweepFeed(brandId, feedId);
    const images: { image_id: string }[] = await this.db.query(
      'SELECT DISTINCT image_id FROM run_image WHERE run_id = ANY($1::uuid[])',
      [runIds],
    );
    await this.collectImages(
      brandId,
      images.map((i) => i.image_id),
    );
  }

  /**
   * Deletes the given image rows of a brand that no run still in progress or of a kept version lists, then
   * the renditions of every sha256 that no image row of any brand has any more.
   */
  async collectImages(brandId: string, imageIds: string[]): Promise<number> {
    if (!imageIds.length) return 0;
    const orphans = await this.db.transaction(async (manager: EntityManager) => {
      const gone = await ImageSourceStore.deleteUnused(manager, brandId, imageIds);
      const shas = [...new Set(gone.map((g) => g.sha256).filter((sha): sha is string => Boolean(sha)))];
      if (!shas.length) return [];
      // Across brands (a system path): a rendition another brand's image row still has must stay. Under the
      // brand's own scope row-level security would hide that row and the shared file would be deleted.
      const left: { sha256: string }[] = await runAsSystem('brand-storage.shared-renditions', () =>
        manager.query(
          `SELECT u.sha256 FROM unnest($1::text[]) u(sha256)
            WHERE NOT EXISTS (SELECT 1 FROM image_source s WHERE s.sha256 = u.sha256)`,
          [shas],
        ),
      );
      return left.map((l) => l.sha256);
    });
    for (const sha of orphans) await this.deleteRenditions(sha);
    return orphans.length;
  }

  private async dropSources(doomed: DoomedSource[]): Promise<void> {
    if (!doomed.length) return;
    // Files first: if clearing the keys then fails, the next sweep finds the same runs and deletes again. A file
    // another run still holds stays; this run only lets go of its key.
    await this.deleteObjects(this.files, [...new Set(doomed.filter((d) => !d.held).map((d) => d.source_key))]);
    await this.runs.systemClearSourceKeys(doomed.map(({ id, source_key }) => ({ id, source_key })));
  }

  /** The manifest goes first, so the image pipeline never takes a half-deleted image for a stored one. */
  private async deleteRenditions(sha256: string): Promise<void> {
    const manifestKey = contentKey(sha256, 'manifest');
    const manifest = await this.media.get(manifestKey);
    let sizes: number[] = [];
    if (manifest) {
      const chunks: Buffer[] = [];
      for await (const chunk of manifest.body) chunks.push(chunk as Buffer);
      sizes = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { renditions: { size: number }[] }).renditions.map(
        (r) => r.size,
      );
    }
    await this.media.delete(manifestKey);
    await this.deleteObjects(this.media, [
      contentKey(sha256, 'jpeg'),
      ...sizes.map((size) => contentKey(sha256, size)),
    ]);
  }

  private async deleteObjects(storage: ObjectStorage, keys: string[]): Promise<void> {
    if (!keys.length) return;
    try {
      if (storage.deleteMany) await storage.deleteMany(keys);
      else for (const key of keys) await storage.delete(key);
    } catch (error) {
      this.logger.warn({ msg: 'objects could not be deleted', keys: keys.length, err: String(error) });
      throw error;
    }
  }
}
