import { createHmac } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, SecretBox, type AppConfig } from '@brandshelf/core';
import { AffiliateClock } from './clock.js';
import { CLICK_DEDUPE_MS, ClickStore, type ClickRecord } from './click.store.js';
import { CLICK_ID_LENGTH, randomBase62 } from './codes.js';
import { CommissionService } from './commission.service.js';
import type { LinkTarget } from './share-link.store.js';
import { SystemPath } from '@brandshelf/db';

/** Clicks are written every CLICK_FLUSH_INTERVAL_MS (a setting), and as soon as this many wait. */
export const CLICK_FLUSH_SIZE = 500;
/** Visitors remembered for dedupe per process (oldest forgotten first; the database check still holds then). */
export const RECENT_VISITORS = 200_000;
/** Clicks kept in memory while the database refuses them; beyond it the oldest are dropped (and logged). */
export const MAX_BUFFERED_CLICKS = 100_000;

interface Pending extends ClickRecord {
  itemGroupId: string | null;
  categoryPath: string | null;
}

/**
 * Clicks, recorded without a database write on the redirect's path: each is buffered in memory and written in
 * batches (one multi-row INSERT) every CLICK_FLUSH_INTERVAL_MS (a setting) or CLICK_FLUSH_SIZE clicks, and on graceful shutdown.
 *
 * Dedupe (one click per visitor and link within 30 minutes) happens twice: here, against every click this process
 * saw in the last 30 minutes (written or still buffered: the same visitor gets the same click id back and nothing
 * is added), and in the INSERT, against rows already written (by another process, or before a restart).
 *
 * The commission rate and rule are snapshotted for the click's own instant when the batch is written: rules are
 * kept with their history (valid_from/valid_to), so the rate in force at the click is exact even if the program
 * changed between the click and the write.
 */
@Injectable()
export class ClickRecorder implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ClickRecorder');
  private buffer: Pending[] = [];
  /** `${linkId}|${visitorHash}` → the visitor's last counted click there (in time order: Map keeps insertion order). */
  private readonly recent = new Map<string, { clickId: string; at: number }>();
  private readonly visitorKey: Buffer;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private written = 0;
  private deduped = 0;

  constructor(
    @Inject(ClickStore) private readonly clicks: ClickStore,
    @Inject(CommissionService) private readonly commissions: CommissionService,
    @Inject(AffiliateClock) private readonly clock: AffiliateClock,
    @Inject(SecretBox) secrets: SecretBox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.visitorKey = secrets.deriveKey('affiliate-visitor');
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.config.affiliate.clickFlushIntervalMs);
    this.timer.unref();
  }

  /** After the HTTP server closed (no click can come any more): write what is buffered. */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    for (let attempt = 0; attempt < 3 && this.buffer.length; attempt++) await this.flush();
    if (this.buffer.length) this.logger.error({ msg: 'clicks lost at shutdown', clicks: this.buffer.length });
  }

  /** A keyed hash of the visitor's address and user agent: the raw address is never kept. */
  visitorHash(ip: string, userAgent: string): string {
    return createHmac('sha256', this.visitorKey).update(`${ip}\n${userAgent}`).digest('base64url').slice(0, 32);
  }

  /** Counts a click (or recognizes a repeat within 30 minutes) and answers its click id. No I/O. */
  record(target: LinkTarget, ip: string, userAgent: string): string {
    const visitorHash = this.visitorHash(ip, userAgent);
    const now = this.clock.now();
    const key = `${target.linkId}|${visitorHash}`;
    const seen = this.recent.get(key);
    if (seen && now.getTime() - seen.at < CLICK_DEDUPE_MS && now.getTime() >= seen.at) {
      this.deduped++;
      return seen.clickId;
    }
    const clickId = randomBase62(CLICK_ID_LENGTH);
    this.recent.delete(key);
    this.recent.set(key, { clickId, at: now.getTime() });
    this.forgetOld(now.getTime());
    this.buffer.push({
      clickId,
      shareLinkId: target.linkId,
      brandId: target.brandId,
      creatorId: target.creatorId,
      productId: target.productId,
      visitorHash,
      clickedAt: now,
      rate: null,
      rule: null,
      itemGroupId: target.itemGroupId,
      categoryPath: target.categoryPath,
    });
    if (this.buffer.length >= CLICK_FLUSH_SIZE) void this.flush();
    return clickId;
  }

  /** Writes every buffered click (one flush at a time); resolves when they are written or put back. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeBuffered());
    return this.flushing;
  }

  stats(): { buffered: number; written: number; deduped: number; remembered: number } {
    return { buffered: this.buffer.length, written: this.written, deduped: this.deduped, remembered: this.recent.size };
  }

  @SystemPath('affiliate-clicks.write')
  private async writeBuffered(): Promise<void> {
    while (this.buffer.length) {
      const batch = this.buffer.splice(0, CLICK_FLUSH_SIZE);
      try {
        const times = batch.map((c) => c.clickedAt.getTime());
        const choices = await this.commissions.systemChoices(
          batch.map((c) => ({
            facts: { id: c.productId, brandId: c.brandId, itemGroupId: c.itemGroupId, categoryPath: c.categoryPath },
            creatorId: c.creatorId,
            at: c.clickedAt,
          })),
          new Date(Math.min(...times)),
          new Date(Math.max(...times)),
        );
        batch.forEach((c, i) => {
          c.rate = choices[i].applied?.rate ?? null;
          c.rule = choices[i].applied?.kind ?? null;
        });
        this.written += await this.clicks.systemInsertBatch(batch);
      } catch (error) {
        // Kept for the next flush (bounded): a database away for a moment loses no click.
        this.buffer.unshift(...batch);
        if (this.buffer.length > MAX_BUFFERED_CLICKS) {
          const dropped = this.buffer.splice(0, this.buffer.length - MAX_BUFFERED_CLICKS);
          this.logger.error({ msg: 'click buffer full; oldest clicks dropped', clicks: dropped.length });
        }
        this.logger.warn({ msg: 'clicks not written; retrying', error: (error as Error).message });
        return;
      }
    }
  }

  private forgetOld(now: number): void {
    for (const [key, value] of this.recent) {
      if (now - value.at < CLICK_DEDUPE_MS && this.recent.size <= RECENT_VISITORS) break;
      this.recent.delete(key);
    }
  }
}
