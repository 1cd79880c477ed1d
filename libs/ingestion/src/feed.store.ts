import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import type { BrandContext } from '@brandshelf/core';
import { BrandScopedRepository, SystemPath } from '@brandshelf/db';
import { FeedEntity } from './feed.entity.js';

/** What a statement needs to run: the data source, or an EntityManager inside a transaction. */
type Queryable = Pick<EntityManager, 'query'>;

/** A URL feed whose scheduled fetch is due, locked for the caller's transaction. */
export interface DueFeed {
  id: string;
  brand_id: string;
  schedule_interval_minutes: number;
}

/**
 * The one writer of feed (libs/db/src/table-owners.ts): feeds are created, changed and deleted here, whoever asks
 * (the feeds API, a Shopify connection, the pipeline, publishing, the scheduler). Every method takes the brand
 * first, except `systemClaimDue`, which finds due feeds of every brand.
 */
@Injectable()
export class FeedStore {
  private readonly feeds: BrandScopedRepository<FeedEntity>;

  constructor(
    @InjectRepository(FeedEntity) repository: Repository<FeedEntity>,
    @Inject(DataSource) private readonly db: DataSource,
  ) {
    this.feeds = new BrandScopedRepository(repository, 'Feed');
  }

  /** A new feed of the brand; `manager` runs it inside the caller's transaction. */
  insert(ctx: BrandContext, values: Partial<FeedEntity>, manager?: EntityManager): Promise<FeedEntity> {
    return (manager ? this.feeds.with(manager) : this.feeds).insert(ctx, values);
  }

  /** Changes the brand's feed `id` (NOT_FOUND when it is another brand's or missing). */
  update(ctx: BrandContext, id: string, patch: Partial<FeedEntity>): Promise<FeedEntity> {
    return this.feeds.update(ctx, id, patch);
  }

  /** The validators of the last fetch of a URL feed, for the next conditional fetch. */
  async recordValidators(
    brandId: string,
    feedId: string,
    validators: { lastEtag: string | null; lastModified: string | null },
  ): Promise<void> {
    await this.db.getRepository(FeedEntity).update({ id: feedId, brandId }, validators);
  }

  /**
   * Makes `versionId` the feed's live version, inside the publish's transaction (which holds the feed's row lock).
   * `touch` also moves updated_at.
   */
  async setLiveVersion(
    manager: Queryable,
    brandId: string,
    feedId: string,
    versionId: string,
    touch: boolean,
  ): Promise<void> {
    await manager.query(
      touch
        ? 'UPDATE feed SET live_version_id = $2, updated_at = now() WHERE id = $1 AND brand_id = $3'
        : 'UPDATE feed SET live_version_id = $2 WHERE id = $1 AND brand_id = $3',
      [feedId, versionId, brandId],
    );
  }

  /** Deletes the brand's feed; its runs, versions and products go by cascade. */
  async delete(manager: Queryable, brandId: string, feedId: string): Promise<void> {
    await manager.query('DELETE FROM feed WHERE id = $1 AND brand_id = $2', [feedId, brandId]);
  }

  /**
   * URL feeds of every brand whose scheduled fetch is due at `now` (at most 100), locked for the caller's
   * transaction so overlapping ticks never take one twice. NO KEY UPDATE, not UPDATE: a run's insert (an upload,
   * fetchFeedNow) takes KEY SHARE on its feed for the foreign key after its row is in the unique index; FOR UPDATE
   * here would wait for it while it waits for us.
   */
  @SystemPath('feed.store.systemClaimDue')
  systemClaimDue(manager: Queryable, now: Date): Promise<DueFeed[]> {
    return manager.query(
      `SELECT id, brand_id, schedule_interval_minutes FROM feed
          WHERE next_fetch_at <= $1 AND source = 'URL' AND schedule_interval_minutes IS NOT NULL
          ORDER BY next_fetch_at LIMIT 100 FOR NO KEY UPDATE SKIP LOCKED`,
      [now],
    );
  }

  /**
   * Moves a claimed feed's next fetch on by its interval from the minute of `now` (the tick's). Counted from `now`
   * itself, the next slot fell a few seconds after the tick one interval later, which runs a few seconds earlier
   * or later in its minute: an "every 1m" feed was fetched about every other minute and an hourly one at 61
   * minutes about half the time. Schedules are in minutes and the tick comes every minute.
   */
  async advanceSchedule(
    manager: Queryable,
    brandId: string,
    feedId: string,
    now: Date,
    intervalMinutes: number,
  ): Promise<void> {
    await manager.query(
      `UPDATE feed SET next_fetch_at = date_trunc('minute', $2::timestamptz) + make_interval(mins => $3)
        WHERE id = $1 AND brand_id = $4`,
      [feedId, now, intervalMinutes, brandId],
    );
  }
}
