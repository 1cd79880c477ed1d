import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import { NotFoundError, isUuid, type BrandContext } from '@brandshelf/core';
import { keysetPage, type KeysetPage, type KeysetRequest, SystemPath } from '@brandshelf/db';
import type { SetRule } from '../product-set.rules.js';
import { CampaignEntity, type CampaignStatus } from './campaign.entity.js';

/** A campaign that may take part in auctions now, with what search needs of it. */
export interface RunningCampaign {
  id: string;
  brandId: string;
  currency: string;
  dailyBudgetMinor: number;
  maxCpcMinor: number;
  rules: SetRule;
  /** Spend written for the UTC day asked about. */
  spentTodayMinor: number;
}

/** The only code that reads or writes `campaign` rows by id; every brand method takes the brand. */
@Injectable()
export class CampaignStore {
  constructor(
    @InjectRepository(CampaignEntity) private readonly campaigns: Repository<CampaignEntity>,
    @Inject(DataSource) private readonly db: DataSource,
  ) {}

  create(
    ctx: BrandContext,
    row: Pick<
      CampaignEntity,
      'productSetId' | 'currency' | 'dailyBudgetMinor' | 'maxCpcMinor' | 'startsAt' | 'endsAt' | 'status'
    >,
  ): Promise<CampaignEntity> {
    return this.campaigns.save(this.campaigns.create({ ...row, brandId: ctx.principal.brandId }));
  }

  async get(ctx: BrandContext, id: string): Promise<CampaignEntity> {
    const found = isUuid(id) ? await this.campaigns.findOneBy({ id, brandId: ctx.principal.brandId }) : null;
    if (!found) throw new NotFoundError('Campaign', id);
    return found;
  }

  /** Moves the campaign from one of `from` to `to`; null when its status was none of them (nothing changed). */
  async setStatus(
    ctx: BrandContext,
    id: string,
    from: CampaignStatus[],
    to: CampaignStatus,
  ): Promise<CampaignEntity | null> {
    if (!isUuid(id)) throw new NotFoundError('Campaign', id);
    // A CTE so the driver answers the rows (a bare UPDATE answers [rows, count]).
    const rows: { id: string }[] = await this.db.query(
      `WITH moved AS (
         UPDATE campaign SET status = $3, updated_at = now()
          WHERE id = $1 AND brand_id = $2 AND status = ANY($4::text[]) RETURNING id
       ) SELECT id FROM moved`,
      [id, ctx.principal.brandId, to, from],
    );
    return rows.length ? this.get(ctx, id) : null;
  }

  page(ctx: BrandContext, request: KeysetRequest): Promise<KeysetPage<CampaignEntity>> {
    return keysetPage(
      this.campaigns,
      { brandId: ctx.principal.brandId },
      { by: 'createdAt', direction: 'ASC' },
      request,
    );
  }

  /**
   * System method (search, across brands): every campaign ACTIVE at `at` (status and dates) with its set's rules
   * and what it spent on `day`. One indexed read of the running campaigns, cached a second per process.
   */
  /**
   * `query` runs it on a connection the caller already holds (a search reads it inside its own snapshot: taking a
   * second connection from the pool there can wait forever once every connection is held by a search doing the same).
   */
  @SystemPath('campaign.store.systemRunning')
  async systemRunning(
    at: Date,
    day: string,
    query: (sql: string, params?: unknown[]) => Promise<Array<Record<string, any>>> = (sql, params) =>
      this.db.query(sql, params),
  ): Promise<RunningCampaign[]> {
    const rows: Array<Record<string, any>> = await query(
      `SELECT c.id, c.brand_id, c.currency, c.daily_budget_minor::text AS budget, c.max_cpc_minor::text AS cpc,
              s.rules, coalesce(d.spend_minor, 0)::text AS spent
         FROM campaign c
         JOIN product_set s ON s.id = c.product_set_id AND s.brand_id = c.brand_id
         LEFT JOIN campaign_day d ON d.campaign_id = c.id AND d.day = $2::date
        WHERE c.status = 'ACTIVE' AND c.starts_at <= $1 AND (c.ends_at IS NULL OR c.ends_at > $1)`,
      [at, day],
    );
    return rows.map((r) => ({
      id: r.id,
      brandId: r.brand_id,
      currency: r.currency,
      dailyBudgetMinor: Number(r.budget),
      maxCpcMinor: Number(r.cpc),
      rules: r.rules,
      spentTodayMinor: Number(r.spent),
    }));
  }
}
