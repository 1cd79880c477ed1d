import { createHmac } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, SecretBox, type AppConfig } from '@brandshelf/core';
import { CLICK_ID_LENGTH, randomBase62 } from '@brandshelf/affiliate';
import { AdsClock } from './ads.clock.js';
import { CampaignDayStore } from './campaign-day.store.js';
import { chargeMinor, utcDay } from './pacing.js';
import { SponsoredClickStore, type SponsoredClickRecord } from './sponsored-click.store.js';
import { SystemPath } from '@brandshelf/db';

/** The dedupe window: the same visitor on the same campaign within it is one click, charged once. */
export const SPONSORED_DEDUPE_MS = 30 * 60_000;
/** Clicks are written every CLICK_FLUSH_INTERVAL_MS, and as soon as this many wait. */
export const SPONSORED_FLUSH_SIZE = 500;
/** Visitors remembered for dedupe per process (oldest forgotten first; the database check still holds then). */
export const SPONSORED_RECENT_VISITORS = 200_000;
/** Clicks kept in memory while the database refuses them; beyond it the oldest are dropped (and logged). */
export const SPONSORED_MAX_BUFFERED = 100_000;
/** How long flushed charges are remembered for the search's spend estimate (longer than the campaign cache). */
const FLUSHED_MEMORY_MS = 60_000;

/** Who clicked: a keyed hash of the cookie or, without one, of the address and user agent (see visitor()). */
export interface Visitor {
  hash: string;
  /** The cookie's hash when this response sets a new cookie: the visitor's next clicks carry it. */
  cookieHash: string | null;
}

/**
 * Sponsored clicks, recorded without a database write on the redirect's path (like share-link clicks): buffered in
 * memory, written in batches every CLICK_FLUSH_INTERVAL_MS or SPONSORED_FLUSH_SIZE clicks and at shutdown.
 *
 * Dedupe (a click is charged once per visitor and campaign within 30 minutes) happens here, against the clicks this
 * process saw, and again in the flush, against written clicks (another process's, or before a restart).
 *
 * Charging happens in the flush, in one transaction per batch: the batch's (campaign, day) rows are locked, and
 * each click, in time order, is charged its auction price while the day's spend is below the daily budget (free
 * after it): a day never goes over its budget by more than one click, whatever the number of processes.
 */
@Injectable()
export class SponsoredClickRecorder implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('SponsoredClicks');
  private buffer: SponsoredClickRecord[] = [];
  private readonly recent = new Map<string, { clickId: string; at: number }>();
  /** Prices of buffered clicks per `${campaignId}|${day}`. */
  private readonly bufferedSpend = new Map<string, number>();
  /** What recent flushes charged: when, which campaign-day, how much. */
  private flushed: Array<{ at: number; key: string; minor: number }> = [];
  private readonly visitorKey: Buffer;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private counts = { written: 0, deduped: 0, charged: 0, free: 0 };

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(SponsoredClickStore) private readonly clicks: SponsoredClickStore,
    @Inject(CampaignDayStore) private readonly days: CampaignDayStore,
    @Inject(AdsClock) private readonly clock: AdsClock,
    @Inject(SecretBox) secrets: SecretBox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.visitorKey = secrets.deriveKey('sponsored-visitor');
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.config.affiliate.clickFlushIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    for (let attempt = 0; attempt < 3 && this.buffer.length; attempt++) await this.flush();
    if (this.buffer.length) this.logger.error({ msg: 'sponsored clicks lost at shutdown', clicks: this.buffer.length });
  }

  /**
   * The visitor: our cookie when the request carries one (hashed), else a keyed hash of the address and user agent,
   * and then a new cookie is set, remembered with the click so the visitor's next click (with it) is the same one.
   * The raw address is never kept.
   */
  visitor(cookie: string | null, ip: string, userAgent: string, newCookie: string | null): Visitor {
    const hash = (text: string) => createHmac('sha256', this.visitorKey).update(text).digest('base64url').slice(0, 32);
    if (cookie) return { hash: hash(`cookie\n${cookie}`), cookieHash: null };
    return { hash: hash(`ip\n${ip}\n${userAgent}`), cookieHash: newCookie ? hash(`cookie\n${newCookie}`) : null };
  }

  /** Counts a click (or recognizes a repeat within 30 minutes) and answers its click id. No I/O. */
  record(
    click: { campaignId: string; brandId: string; productId: string; priceMinor: number },
    visitor: Visitor,
  ): string {
    const now = this.clock.now();
    const at = now.getTime();
    const key = `${click.campaignId}|${visitor.hash}`;
    const seen = this.recent.get(key);
    if (seen && at - seen.at < SPONSORED_DEDUPE_MS && at >= seen.at) {
      this.counts.deduped++;
      // The response sets a new cookie (the request had none of ours): it names this same visitor, or a client
      // could collect a fresh cookie with each repeat and be a new visitor on its next click.
      if (visitor.cookieHash) this.recent.set(`${click.campaignId}|${visitor.cookieHash}`, seen);
      return seen.clickId;
    }
    const clickId = randomBase62(CLICK_ID_LENGTH);
    for (const k of [key, visitor.cookieHash ? `${click.campaignId}|${visitor.cookieHash}` : null]) {
      if (!k) continue;
      this.recent.delete(k);
      this.recent.set(k, { clickId, at });
    }
    this.forgetOld(at);
    this.buffer.push({
      clickId,
      campaignId: click.campaignId,
      brandId: click.brandId,
      productId: click.productId,
      visitorHash: visitor.hash,
      cookieVisitorHash: visitor.cookieHash,
      priceMinor: click.priceMinor,
      clickedAt: now,
    });
    const day = `${click.campaignId}|${utcDay(now)}`;
    this.bufferedSpend.set(day, (this.bufferedSpend.get(day) ?? 0) + click.priceMinor);
    if (this.buffer.length >= SPONSORED_FLUSH_SIZE) void this.flush();
    return clickId;
  }

  /**
   * What this process charged (or will) on the campaign's day that a read of campaign_day started at `since` may
   * not show: clicks still buffered, and those flushed after it (counted twice at worst: pacing is then stricter
   * for a moment, never looser).
   */
  unseenSpend(campaignId: string, day: string, since: number): number {
    const key = `${campaignId}|${day}`;
    let total = this.bufferedSpend.get(key) ?? 0;
    for (const f of this.flushed) if (f.key === key && f.at >= since) total += f.minor;
    return total;
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeBuffered());
    return this.flushing;
  }

  stats() {
    return { buffered: this.buffer.length, remembered: this.recent.size, ...this.counts };
  }

  @SystemPath('sponsored-clicks.write')
  private async writeBuffered(): Promise<void> {
    while (this.buffer.length) {
      const batch = this.buffer.splice(0, SPONSORED_FLUSH_SIZE);
      try {
        const charged = await this.db.transaction(async (m) => {
          const repeats = await this.clicks.systemRepeats(m, batch);
          const counted = batch
            .filter((c) => !repeats.has(c.clickId))
            .sort((a, b) => a.clickedAt.getTime() - b.clickedAt.getTime());
          const keys = new Map<string, { campaignId: string; day: string }>();
          for (const c of counted) {
            const day = utcDay(c.clickedAt);
            keys.set(`${c.campaignId}|${day}`, { campaignId: c.campaignId, day });
          }
          const locked = await this.days.systemLockDays(m, [...keys.values()]);
          const totals = new Map<string, { campaignId: string; day: string; clicks: number; spendMinor: number }>();
          const rows = counted.flatMap((c) => {
            const day = utcDay(c.clickedAt);
            const key = `${c.campaignId}|${day}`;
            const state = locked.get(key);
            if (!state) return []; // the campaign was deleted with its brand meanwhile
            const cost = chargeMinor(state.spentMinor, state.budgetMinor, c.priceMinor);
            state.spentMinor += cost;
            const total = totals.get(key) ?? { campaignId: c.campaignId, day, clicks: 0, spendMinor: 0 };
            total.clicks++;
            total.spendMinor += cost;
            totals.set(key, total);
            return [{ ...c, chargedMinor: cost }];
          });
          await this.clicks.systemInsert(m, rows);
          await this.days.systemAddClicks(m, [...totals.values()]);
          this.counts.deduped += repeats.size;
          return rows;
        });
        const at = Date.now();
        for (const c of batch) {
          const key = `${c.campaignId}|${utcDay(c.clickedAt)}`;
          const left = (this.bufferedSpend.get(key) ?? 0) - c.priceMinor;
          if (left > 0) this.bufferedSpend.set(key, left);
          else this.bufferedSpend.delete(key);
        }
        for (const c of charged) {
          this.flushed.push({ at, key: `${c.campaignId}|${utcDay(c.clickedAt)}`, minor: c.chargedMinor });
          if (c.chargedMinor > 0) this.counts.charged++;
          else this.counts.free++;
        }
        this.flushed = this.flushed.filter((f) => at - f.at < FLUSHED_MEMORY_MS);
        this.counts.written += charged.length;
      } catch (error) {
        this.buffer.unshift(...batch);
        if (this.buffer.length > SPONSORED_MAX_BUFFERED) {
          const dropped = this.buffer.splice(0, this.buffer.length - SPONSORED_MAX_BUFFERED);
          this.logger.error({ msg: 'sponsored click buffer full; oldest clicks dropped', clicks: dropped.length });
        }
        this.logger.warn({ msg: 'sponsored clicks not written; retrying', error: (error as Error).message });
        return;
      }
    }
  }

  private forgetOld(now: number): void {
    for (const [key, value] of this.recent) {
      if (now - value.at < SPONSORED_DEDUPE_MS && this.recent.size <= SPONSORED_RECENT_VISITORS) break;
      this.recent.delete(key);
    }
  }
}
