import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  APP_CONFIG,
  BadInputError,
  ConflictError,
  checkInputTime,
  type AppConfig,
  type BrandContext,
} from '@brandshelf/core';
import type { KeysetPage, KeysetRequest } from '@brandshelf/db';
import { currencyExponent } from '@brandshelf/catalog-rules';
import { decimalToMinor, parseDecimal } from '@brandshelf/search';
import { ProductSetStore } from '../product-set.store.js';
import type { CampaignEntity, CampaignStatus } from './campaign.entity.js';
import { CampaignStore } from './campaign.store.js';
import { CampaignDayStore } from './campaign-day.store.js';
import { SponsoredClickStore } from './sponsored-click.store.js';

/** Money as the API takes it: a decimal string in major units and an ISO 4217 code. */
export interface MoneyInput {
  amount: string;
  currency: string;
}

export interface CreateCampaignInput {
  productSetId: string;
  dailyBudget: MoneyInput;
  maxCpc: MoneyInput;
  startsAt: Date;
  endsAt?: Date | null;
}

/** One UTC day of a campaign's results. Money in minor units of the campaign's currency. */
export interface CampaignDayStats {
  day: string;
  impressions: number;
  clicks: number;
  spendMinor: bigint;
  attributedOrders: number;
  attributedRevenueMinor: bigint;
}

/** Days one stats read may cover, at most. */
export const STATS_MAX_DAYS = 93;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Listeners told when a campaign changes (the sponsored search's cache of running campaigns), so a pause or an end
 * applies at once in this process, not at the next read.
 */
export const CAMPAIGN_CHANGES = Symbol('CAMPAIGN_CHANGES');
export interface CampaignChanges {
  changed(): void;
}

/** Campaigns: a brand's sponsored products over one of its product sets, with a daily budget and a max CPC. */
@Injectable()
export class CampaignsService {
  constructor(
    @Inject(CampaignStore) private readonly campaigns: CampaignStore,
    @Inject(CampaignDayStore) private readonly days: CampaignDayStore,
    @Inject(SponsoredClickStore) private readonly clicks: SponsoredClickStore,
    @Inject(ProductSetStore) private readonly sets: ProductSetStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(CAMPAIGN_CHANGES) private readonly changes?: CampaignChanges,
  ) {}

  /**
   * A new campaign, ACTIVE: it runs from startsAt to endsAt (open-ended without one). Money in the ads currency
   * (ADS_CURRENCY); the max CPC at least the reserve (ADS_RESERVE_CPC), the daily budget at least one click.
   */
  async create(ctx: BrandContext, input: CreateCampaignInput): Promise<CampaignEntity> {
    const set = await this.sets.get(ctx, input.productSetId);
    const currency = this.config.ads.currency;
    const budget = this.minor(input.dailyBudget, 'dailyBudget');
    const cpc = this.minor(input.maxCpc, 'maxCpc');
    const reserve = this.reserveMinor();
    if (cpc < reserve) {
      throw new BadInputError(
        `maxCpc is at least the reserve price, ${this.config.ads.reserveCpc} ${currency}.`,
        'maxCpc.amount',
      );
    }
    if (budget < cpc) throw new BadInputError('dailyBudget is at least one click at maxCpc.', 'dailyBudget.amount');
    const startsAt = checkDate(input.startsAt, 'startsAt');
    const endsAt = input.endsAt ? checkDate(input.endsAt, 'endsAt') : null;
    if (endsAt && endsAt <= startsAt) throw new BadInputError('endsAt is after startsAt.', 'endsAt');
    const created = await this.campaigns.create(ctx, {
      productSetId: set.id,
      currency,
      dailyBudgetMinor: budget.toString(),
      maxCpcMinor: cpc.toString(),
      startsAt,
      endsAt,
      status: 'ACTIVE',
    });
    this.changes?.changed();
    return created;
  }

  get(ctx: BrandContext, id: string): Promise<CampaignEntity> {
    return this.campaigns.get(ctx, id);
  }

  page(ctx: BrandContext, request: KeysetRequest): Promise<KeysetPage<CampaignEntity>> {
    return this.campaigns.page(ctx, request);
  }

  /** ACTIVE → PAUSED (PAUSED stays so); an ENDED campaign is a CONFLICT. */
  pause(ctx: BrandContext, id: string): Promise<CampaignEntity> {
    return this.move(ctx, id, ['ACTIVE', 'PAUSED'], 'PAUSED');
  }

  /** PAUSED → ACTIVE (ACTIVE stays so); an ENDED campaign is a CONFLICT. */
  resume(ctx: BrandContext, id: string): Promise<CampaignEntity> {
    return this.move(ctx, id, ['ACTIVE', 'PAUSED'], 'ACTIVE');
  }

  /** Ends the campaign for good (ENDED stays so): it never runs again; its stats stay. */
  end(ctx: BrandContext, id: string): Promise<CampaignEntity> {
    return this.move(ctx, id, ['ACTIVE', 'PAUSED', 'ENDED'], 'ENDED');
  }

  /** The campaign's results per UTC day from `from` to `to` (YYYY-MM-DD, inclusive, at most 93 days). */
  async stats(ctx: BrandContext, campaign: CampaignEntity, from: string, to: string): Promise<CampaignDayStats[]> {
    if (!isCalendarDay(from)) throw new BadInputError('from is a day, YYYY-MM-DD.', 'from');
    if (!isCalendarDay(to)) throw new BadInputError('to is a day, YYYY-MM-DD.', 'to');
    const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
    if (span < 1) throw new BadInputError('to is on or after from.', 'to');
    if (span > STATS_MAX_DAYS) throw new BadInputError(`At most ${STATS_MAX_DAYS} days at a time.`, 'to');
    const [days, attributed] = await Promise.all([
      this.days.days(ctx, campaign.id, from, to),
      this.clicks.attributed(ctx, campaign.id, campaign.currency, from, to),
    ]);
    const byDay = new Map(attributed.map((a) => [a.day, a]));
    return days.map((d) => {
      const a = byDay.get(d.day);
      return {
        ...d,
        attributedOrders: a?.orders ?? 0,
        attributedRevenueMinor: a ? sumToMinor(a.revenue, campaign.currency) : 0n,
      };
    });
  }

  /** The one currency campaigns bid and budget in (ADS_CURRENCY). */
  currency(): string {
    return this.config.ads.currency;
  }

  /** The reserve price in minor units of the ads currency. */
  reserveMinor(): bigint {
    return decimalToMinor(this.config.ads.reserveCpc, this.config.ads.currency, 'up');
  }

  private async move(ctx: BrandContext, id: string, from: CampaignStatus[], to: CampaignStatus) {
    const moved = await this.campaigns.setStatus(ctx, id, from, to);
    if (!moved) {
      const current = await this.campaigns.get(ctx, id);
      throw new ConflictError(`The campaign is ${current.status}; it cannot become ${to}.`, { field: 'campaignId' });
    }
    this.changes?.changed();
    return moved;
  }

  private minor(money: MoneyInput, field: string): bigint {
    const currency = (money?.currency ?? '').trim().toUpperCase();
    if (currency !== this.config.ads.currency) {
      throw new BadInputError(
        `Campaigns bid and budget in ${this.config.ads.currency} (ADS_CURRENCY).`,
        `${field}.currency`,
      );
    }
    const amount = parseDecimal(money.amount, currency, `${field}.amount`);
    const minor = decimalToMinor(amount, currency, 'down');
    if (minor <= 0n) throw new BadInputError(`${field} is more than zero.`, `${field}.amount`);
    return minor;
  }
}

/**
 * A real day of the years 0001–9999, as PostgreSQL's date reads it: JavaScript rolls 2026-02-29 over to March 1st
 * and takes year 0000, which PostgreSQL refuses (a 500 from the stats query).
 */
function isCalendarDay(text: string): boolean {
  if (!DAY.test(text) || text.startsWith('0000')) return false;
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text;
}

function checkDate(value: Date, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new BadInputError(`${field} is a date.`, field);
  // A date PostgreSQL cannot store (JavaScript reaches further back) is the client's error, not a 500.
  return checkInputTime(value, field);
}

/**
 * A numeric sum from SQL ("199999999999999.9800") in minor units of the currency, exactly and with no bound on its
 * digits: each order line is at most 14 digits before the point, but a day's sum of them is not (decimalToMinor,
 * which reads inputs, refused it, and the stats of that day could not be read).
 */
function sumToMinor(text: string, currency: string): bigint {
  const exponent = currencyExponent(currency) ?? 2;
  const [whole, fraction = ''] = text.trim().split('.');
  return BigInt(whole + fraction.slice(0, exponent).padEnd(exponent, '0'));
}
