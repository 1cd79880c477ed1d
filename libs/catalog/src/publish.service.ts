import type { LeftOutReason } from '@brandshelf/catalog-rules';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import {
  APP_CONFIG,
  AppError,
  ConflictError,
  NotFoundError,
  type AppConfig,
  type BrandContext,
  systemBrandContext,
} from '@brandshelf/core';
import { BrandScopedRepository, type KeysetPage, type KeysetRequest } from '@brandshelf/db';
import {
  BrandStorageService,
  CatalogVersionEntity,
  CatalogVersionStore,
  FeedEntity,
  FeedRulesService,
  FeedStore,
  IngestionRunEntity,
  IngestionRunStore,
  ItemRevisionStore,
  RUN_STAGED,
} from '@brandshelf/ingestion';
import { JobHandler, type JobContext } from '@brandshelf/queue';
import { PublicationEntity, type PublicationKind } from './publication.entity.js';
import { CatalogProductStore } from './catalog-product.store.js';
import { ProductIdentityStore } from './product-identity.store.js';
import { PublicationStore } from './publication.store.js';
import { COUNT_PUBLISHABLE, LEFT_OUT_BY_REASON } from './publish.sql.js';

export interface PublishDiff {
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
}

/** What a publish wrote, and the version's items it left out (no processed main image), by reason. */
export interface PublishOutcome extends PublishDiff {
  leftOut: number;
  leftOutByReason: { reason: LeftOutReason; count: number }[];
}

/** How long the end of a publish is remembered for publishes that arrived while it ran (see PublishClaims). */
const ENDED_MEMORY_MS = 10 * 60_000;

/**
 * The publishes in progress in this process, by brand and feed, and when recent ones ended. A publish
 * is refused when one of its feed was in progress at any moment since its request arrived. On
 * PostgreSQL a second publish would also meet the first's row lock (NOWAIT, which covers other
 * processes too), but embedded PGlite runs every connection in one session and serves only the
 * connection with an open transaction: there the second publish's queries, its authentication first,
 * wait for the first to commit, and would then run after it instead of answering CONFLICT.
 */
class PublishClaims {
  private readonly active = new Set<string>();
  private readonly ended = new Map<string, number>();

  /** Takes the feed for a publish whose request arrived at `since`; the returned function gives it back. */
  claim(brandId: string, feedId: string, since: number): () => void {
    const key = `${brandId}:${feedId}`;
    const ended = this.ended.get(key);
    if (this.active.has(key) || (ended !== undefined && ended >= since)) {
      throw new ConflictError(`Another publish of feed ${feedId} is in progress; try again when it has finished.`, {
        feedId,
        userErrorCode: 'PUBLISH_IN_PROGRESS',
      });
    }
    this.active.add(key);
    return () => {
      this.active.delete(key);
      const now = performance.now();
      this.ended.delete(key); // re-inserted last: the map stays in order of ending
      this.ended.set(key, now);
      for (const [old, at] of this.ended) {
        if (at > now - ENDED_MEMORY_MS) break;
        this.ended.delete(old);
      }
    };
  }

  has(brandId: string, feedId: string): boolean {
    return this.active.has(`${brandId}:${feedId}`);
  }
}

/**
 * Makes catalog versions live. A publish is one transaction over the feed's live rows (readers see
 * the old catalog or the new one, never a mix; a crash leaves the previous version live). Two
 * publishes of one feed never run at once: the second answers CONFLICT (see PublishClaims).
 */
@Injectable()
export class PublishService {
  private readonly logger = new Logger('Publish');
  private readonly runs: BrandScopedRepository<IngestionRunEntity>;
  private readonly feeds: BrandScopedRepository<FeedEntity>;
  private readonly versions: BrandScopedRepository<CatalogVersionEntity>;
  private readonly publications: BrandScopedRepository<PublicationEntity>;
  private readonly claims = new PublishClaims();

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @InjectRepository(IngestionRunEntity) runs: Repository<IngestionRunEntity>,
    @InjectRepository(FeedEntity) feeds: Repository<FeedEntity>,
    @InjectRepository(CatalogVersionEntity) versions: Repository<CatalogVersionEntity>,
    @InjectRepository(PublicationEntity) publications: Repository<PublicationEntity>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BrandStorageService) private readonly storage: BrandStorageService,
    @Inject(IngestionRunStore) private readonly runStore: IngestionRunStore,
    @Inject(FeedStore) private readonly feedStore: FeedStore,
    @Inject(FeedRulesService) private readonly feedRules: FeedRulesService,
  ) {
    this.runs = new BrandScopedRepository(runs, 'IngestionRun');
    this.feeds = new BrandScopedRepository(feeds, 'Feed');
    this.versions = new BrandScopedRepository(versions, 'CatalogVersion');
    this.publications = new BrandScopedRepository(publications, 'Publication');
  }

  async publishRun(ctx: BrandContext, runId: string, kind: PublicationKind = 'PUBLISH'): Promise<PublicationEntity> {
    const since = ctx.receivedAt ?? performance.now();
    const run = await this.runs.get(ctx, runId);
    if (run.status !== 'SUCCEEDED') {
      throw notPublishable(`Run ${runId} is ${run.status}; only a SUCCEEDED run can be published.`, runId);
    }
    if (run.validateOnly) throw notPublishable('A validate-only run stages nothing to publish.');
    if (!run.versionId) throw notPublishable(`Run ${runId} has no catalog version (it staged no items).`, runId);
    const publication = await this.publishVersion(ctx, run.feedId, run.versionId, {
      kind,
      runId: run.id,
      since,
      salesJudgedAt: run.salesJudgedAt,
    });
    await this.runStore.markPublished(ctx, run.id);
    return publication;
  }

  /**
   * rollbackFeed: makes an earlier version (by number) live again, images included, and the feed rules it was made
   * with current again (a new rule-set version copying them, in the same transaction), so the next run does not
   * undo the rollback.
   */
  async rollbackFeed(ctx: BrandContext, feedId: string, toVersion: number): Promise<PublicationEntity> {
    const since = ctx.receivedAt ?? performance.now();
    const feed = await this.feeds.get(ctx, feedId);
    const [version] = await this.versions.find(ctx, { feedId: feed.id, number: toVersion });
    if (!version) {
      throw new NotFoundError('CatalogVersion', `${toVersion} of feed ${feedId} (it may have been pruned)`, { feedId });
    }
    // The run that made the version says under which rules; when it is no longer kept the rules stay as they are.
    const [made] = await this.runs.find(ctx, { id: version.runId });
    return this.publishVersion(ctx, feed.id, version.id, {
      kind: 'ROLLBACK',
      runId: version.runId,
      since,
      alsoInTransaction: async (manager) => {
        if (made) await this.feedRules.restoreForRollback(ctx.principal.brandId, feed.id, made.ruleSetVersion, manager);
        // Its sales as judged when it was made: a start or end since then is applied by the scheduler's next tick.
        await CatalogVersionStore.restoreNextSaleChange(manager, ctx.principal.brandId, version.id);
      },
    });
  }

  /** A page of a feed's kept versions, newest first. */
  pageVersions(ctx: BrandContext, feedId: string, request: KeysetRequest): Promise<KeysetPage<CatalogVersionEntity>> {
    return this.versions.page(ctx, { feedId }, { by: 'number', direction: 'DESC' }, request);
  }

  /** A page of a feed's publishes and rollbacks, newest first. */
  pagePublications(ctx: BrandContext, feedId: string, request: KeysetRequest): Promise<KeysetPage<PublicationEntity>> {
    return this.publications.page(ctx, { feedId }, { by: 'publishedAt', direction: 'DESC' }, request);
  }

  /** The diff publishing a version would make right now, without making it. */
  async previewDiff(ctx: BrandContext, feedId: string, versionId: string): Promise<PublishDiff> {
    const feed = await this.feeds.get(ctx, feedId);
    const [row] = await this.db.query(
      `SELECT count(*) FILTER (WHERE cp.id IS NULL)::int AS created,
              count(*) FILTER (WHERE cp.content_hash <> vi.content_hash)::int AS updated,
              count(*) FILTER (WHERE cp.content_hash = vi.content_hash)::int AS unchanged
         FROM version_item vi LEFT JOIN catalog_product cp ON cp.feed_id = $1 AND cp.offer_id = vi.offer_id
        WHERE vi.version_id = $2`,
      [feed.id, versionId],
    );
    const [{ removed }] =
      feed.mode === 'REPLACE'
        ? await this.db.query(
            `SELECT count(*)::int AS removed FROM catalog_product cp WHERE cp.feed_id = $1
               AND NOT EXISTS (SELECT 1 FROM version_item vi WHERE vi.version_id = $2 AND vi.offer_id = cp.offer_id)`,
            [feed.id, versionId],
          )
        : [{ removed: 0 }];
    return feed.mode === 'REPLACE'
      ? { ...row, removed }
      : { created: 0, updated: 0, unchanged: row.unchanged, removed: 0 };
  }

  async publishVersion(
    ctx: BrandContext,
    feedId: string,
    versionId: string,
    options: {
      kind: PublicationKind;
      runId: string | null;
      since?: number;
      /** More work that commits or rolls back with the publish (a rollback restores the feed's rules). */
      alsoInTransaction?: (manager: EntityManager) => Promise<void>;
      /** When the run judged its items' sale windows: the publish judges the products' no earlier (see judgingAt). */
      salesJudgedAt?: Date | null;
    },
  ): Promise<PublicationEntity> {
    const brandId = ctx.principal.brandId;
    const release = this.claims.claim(brandId, feedId, options.since ?? ctx.receivedAt ?? performance.now());
    const publication = await this.db
      .transaction(async (manager) => {
        const [feed] = await this.lockFeed(manager, brandId, feedId);
        const judgedAt = judgingAt(options.salesJudgedAt);
        const diff =
          feed.mode === 'REPLACE'
            ? await this.applyPrimary(manager, brandId, feed.id, versionId, null, judgedAt)
            : await this.applySupplemental(manager, brandId, feed, versionId, judgedAt);
        await this.feedStore.setLiveVersion(manager, brandId, feed.id, versionId, true);
        await options.alsoInTransaction?.(manager);
        // Creatives of the content this replaces are pruned (ads handles CATALOG_CHANGED), once this commits.
        await this.storage.announceCatalogChange(brandId, manager);
        return PublicationStore.insert(manager, brandId, {
          feedId: feed.id,
          versionId,
          previousVersionId: feed.live_version_id,
          runId: options.runId,
          kind: options.kind,
          ...diff,
          publishedAt: new Date(),
        });
      })
      .finally(release);
    this.logger.log({ msg: 'published', ...publication });
    await this.pruneVersions(brandId, feedId).catch((error) =>
      this.logger.warn({ msg: 'pruning versions failed', feedId, err: String(error) }),
    );
    return publication;
  }

  /** Whether a publish of the feed is in progress in this process. */
  publishInProgress(brandId: string, feedId: string): boolean {
    return this.claims.has(brandId, feedId);
  }

  /** Takes the feed's row lock, refusing (not queueing) a publish of the same feed in another process. */
  private async lockFeed(
    manager: EntityManager,
    brandId: string,
    feedId: string,
  ): Promise<{ id: string; mode: string; live_version_id: string | null }[]> {
    try {
      const rows = await manager.query(
        'SELECT id, mode, live_version_id FROM feed WHERE id = $1 AND brand_id = $2 FOR UPDATE NOWAIT',
        [feedId, brandId],
      );
      if (!rows.length) throw new NotFoundError('Feed', feedId);
      return rows;
    } catch (error) {
      if ((error as { code?: string }).code === '55P03') {
        throw new ConflictError(`Another publish of feed ${feedId} is in progress; try again when it has finished.`, {
          feedId,
          userErrorCode: 'PUBLISH_IN_PROGRESS',
        });
      }
      throw error;
    }
  }

  private async applyPrimary(
    manager: EntityManager,
    brandId: string,
    feedId: string,
    versionId: string,
    onlyOffers: string[] | null,
    salesJudgedAt: Date,
  ): Promise<PublishOutcome> {
    await ProductIdentityStore.ensureForVersion(manager, brandId, feedId, versionId);
    const images = this.config.images.enabled;
    const removed = onlyOffers
      ? []
      : await CatalogProductStore.deleteRemoved(manager, brandId, feedId, versionId, images);
    const written = await CatalogProductStore.upsertFromVersion(
      manager,
      brandId,
      feedId,
      versionId,
      onlyOffers,
      images,
      salesJudgedAt,
    );
    const [{ total }] = await manager.query(COUNT_PUBLISHABLE, [brandId, feedId, versionId, onlyOffers, images]);
    const leftOutByReason: { reason: LeftOutReason; count: number }[] = await manager.query(LEFT_OUT_BY_REASON, [
      brandId,
      feedId,
      versionId,
      onlyOffers,
      images,
    ]);
    const created = written.filter((r) => r.inserted).length;
    const updated = written.length - created;
    return {
      created,
      updated,
      unchanged: total - created - updated,
      removed: removed.length,
      leftOut: leftOutByReason.reduce((sum, entry) => sum + entry.count, 0),
      leftOutByReason,
    };
  }

  /**
   * A supplemental feed never creates or removes products: its data is overlaid on the brand's primary
   * products with the same ids, so publishing it rewrites those (old and new ids both, so a dropped
   * override is undone).
   */
  private async applySupplemental(
    manager: EntityManager,
    brandId: string,
    feed: { id: string; live_version_id: string | null },
    versionId: string,
    salesJudgedAt: Date,
  ): Promise<PublishOutcome> {
    await this.feedStore.setLiveVersion(manager, brandId, feed.id, versionId, false);
    const [{ offers }] = await manager.query(
      `SELECT coalesce(array_agg(DISTINCT offer_id), '{}') AS offers FROM version_item WHERE version_id = ANY($1::uuid[])`,
      [[versionId, feed.live_version_id].filter(Boolean)],
    );
    const primaries: { id: string; live_version_id: string }[] = await manager.query(
      `SELECT id, live_version_id FROM feed WHERE brand_id = $1 AND mode = 'REPLACE' AND live_version_id IS NOT NULL`,
      [brandId],
    );
    let updated = 0;
    for (const primary of primaries) {
      const written = await CatalogProductStore.upsertFromVersion(
        manager,
        brandId,
        primary.id,
        primary.live_version_id,
        offers,
        this.config.images.enabled,
        salesJudgedAt,
      );
      updated += written.length;
    }
    const [{ total }] = await manager.query('SELECT count(*)::int AS total FROM version_item WHERE version_id = $1', [
      versionId,
    ]);
    return {
      created: 0,
      updated,
      unchanged: Math.max(0, total - updated),
      removed: 0,
      leftOut: 0,
      leftOutByReason: [],
    };
  }

  /**
   * RUN_STAGED: publishes a run's new version automatically unless it would remove more than the feed's
   * share of live products or the run rejected more than its share of rows; then it waits, saying why.
   */
  @JobHandler(RUN_STAGED)
  async autoPublish(payload: { runId: string; brandId: string }, job?: JobContext): Promise<void> {
    const ctx = systemBrandContext(payload.brandId, 'auto-publish');
    const run = await this.runs.findOne(ctx, payload.runId);
    if (!run || run.status !== 'SUCCEEDED' || !run.versionId || run.publishStatus === 'PUBLISHED') return;
    const feed = await this.feeds.get(ctx, run.feedId);
    if (!feed.autoPublish) return;
    const reason = await this.safetyLimitReason(ctx, feed, run);
    if (reason) {
      await this.runStore.holdPublish(ctx, run.id, reason);
      this.logger.warn({ msg: 'auto-publish held back', runId: run.id, reason });
      return;
    }
    try {
      await this.publishRun(ctx, run.id, 'AUTO_PUBLISH');
    } catch (error) {
      // Another publish holding the feed, or a database hiccup: the queue tries again. After its last try
      // the run waits for a person, saying why, rather than staying NOT_PUBLISHED with no word.
      if (!job || job.retryCount < RUN_STAGED.options.retryLimit) throw error;
      const reason =
        `Auto-publish failed after ${job.retryCount + 1} attempts: ${(error as Error).message} ` +
        'Publish this run by hand.';
      await this.runStore.holdPublish(ctx, run.id, reason, true);
      this.logger.warn({ msg: 'auto-publish gave up', runId: run.id, err: String(error) });
    }
  }

  private async safetyLimitReason(
    ctx: BrandContext,
    feed: FeedEntity,
    run: IngestionRunEntity,
  ): Promise<string | null> {
    // Skipped rows (inactive products, image-only rows, variant parents) are neither accepted nor rejected.
    const considered = run.itemsAccepted + run.itemsRejected;
    if (considered > 0) {
      const rejected = run.itemsRejected / considered;
      if (rejected > feed.maxRejectedShare) {
        return (
          `The run rejected ${pct(rejected)} of its rows (${run.itemsRejected} of ${considered}, skipped rows not ` +
          `counted), more than the ` +
          `feed's limit of ${pct(feed.maxRejectedShare)}. Fix the errors, or publish this run by hand.`
        );
      }
    }
    if (feed.mode === 'REPLACE') {
      const [{ live }] = await this.db.query('SELECT count(*)::int AS live FROM catalog_product WHERE feed_id = $1', [
        feed.id,
      ]);
      if (live > 0) {
        const diff = await this.previewDiff(ctx, feed.id, run.versionId!);
        const share = diff.removed / live;
        if (share > feed.maxRemovalShare) {
          return (
            `Publishing would remove ${pct(share)} of the live products (${diff.removed} of ${live}), more than the ` +
            `feed's limit of ${pct(feed.maxRemovalShare)}. Check that the file is complete, or publish this run by hand.`
          );
        }
      }
    }
    return null;
  }

  /**
   * Keeps the newest CATALOG_VERSION_RETENTION versions and the live one; older versions go, with item
   * data no remaining version uses, their runs' source files and the images only they used.
   */
  async pruneVersions(brandId: string, feedId: string): Promise<number> {
    const keep = this.config.catalog.versionRetention;
    const runIds = await this.db.transaction(async (manager) => {
      const doomed: { id: string; run_id: string }[] = await manager.query(
        `SELECT v.id, v.run_id FROM catalog_version v JOIN feed f ON f.id = v.feed_id
          WHERE v.feed_id = $1 AND v.brand_id = $2 AND v.id IS DISTINCT FROM f.live_version_id
            AND v.number <= (SELECT max(number) FROM catalog_version WHERE feed_id = $1) - $3`,
        [feedId, brandId, keep],
      );
      if (!doomed.length) return [];
      const ids = doomed.map((d) => d.id);
      await CatalogVersionStore.deleteMany(manager, brandId, ids);
      await ItemRevisionStore.pruneUnused(manager, brandId, feedId);
      return doomed.map((d) => d.run_id);
    });
    await this.storage.afterPrune(brandId, feedId, runIds);
    return runIds.length;
  }
}

/**
 * The instant a publish judges its products' sale windows at (publish.sql.ts SALE): now, or the instant its run judged
 * its items when that is later (a SALE_WINDOW run judges at the tick it was started for, whose clock may be ahead of
 * this process's), so publishing never undoes a sale its run found started or ended.
 */
function judgingAt(runJudgedAt: Date | null | undefined): Date {
  const now = Date.now();
  return new Date(runJudgedAt && runJudgedAt.getTime() > now ? runJudgedAt.getTime() : now);
}

const pct = (share: number) => `${Math.round(share * 1000) / 10}%`;

/** BAD_USER_INPUT on runId, answered to GraphQL clients as the userError RUN_NOT_PUBLISHABLE. */
function notPublishable(message: string, runId?: string): AppError {
  return new AppError('BAD_USER_INPUT', message, {
    field: 'runId',
    ...(runId ? { runId } : {}),
    userErrorCode: 'RUN_NOT_PUBLISHABLE',
  });
}
