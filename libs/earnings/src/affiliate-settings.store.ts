import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BrandContext } from '@brandshelf/core';
import type { Sql } from './earnings.types.js';
import { SystemPath } from '@brandshelf/db';

export interface AffiliateSettings {
  brandId: string;
  attributionWindowDays: number;
  returnWindowDays: number;
  conversionSecretPrefix: string | null;
  conversionSecretCreatedAt: Date | null;
}

export const DEFAULT_ATTRIBUTION_WINDOW_DAYS = 7;
export const DEFAULT_RETURN_WINDOW_DAYS = 30;

interface Row {
  brand_id: string;
  attribution_window_days: number;
  return_window_days: number;
  conversion_secret_prefix: string | null;
  conversion_secret_created_at: Date | null;
}

const view = (brandId: string, row: Row | undefined): AffiliateSettings => ({
  brandId,
  attributionWindowDays: row?.attribution_window_days ?? DEFAULT_ATTRIBUTION_WINDOW_DAYS,
  returnWindowDays: row?.return_window_days ?? DEFAULT_RETURN_WINDOW_DAYS,
  conversionSecretPrefix: row?.conversion_secret_prefix ?? null,
  conversionSecretCreatedAt: row?.conversion_secret_created_at ?? null,
});

/** affiliate_settings: a brand's windows and sealed conversion secret (no row: the defaults, no secret). */
@Injectable()
export class AffiliateSettingsStore {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async get(ctx: BrandContext, sql: Sql = this.db): Promise<AffiliateSettings> {
    const brandId = ctx.principal.brandId;
    const rows: Row[] = await sql.query(
      `SELECT brand_id, attribution_window_days, return_window_days, conversion_secret_prefix,
              conversion_secret_created_at
         FROM affiliate_settings WHERE brand_id = $1`,
      [brandId],
    );
    return view(brandId, rows[0]);
  }

  async update(
    ctx: BrandContext,
    patch: { attributionWindowDays?: number | null; returnWindowDays?: number | null },
  ): Promise<AffiliateSettings> {
    const brandId = ctx.principal.brandId;
    const rows: Row[] = await this.db.query(
      `INSERT INTO affiliate_settings AS s (brand_id, attribution_window_days, return_window_days)
       VALUES ($1, COALESCE($2, ${DEFAULT_ATTRIBUTION_WINDOW_DAYS}), COALESCE($3, ${DEFAULT_RETURN_WINDOW_DAYS}))
       ON CONFLICT (brand_id) DO UPDATE
          SET attribution_window_days = COALESCE($2, s.attribution_window_days),
              return_window_days = COALESCE($3, s.return_window_days), updated_at = now()
       RETURNING brand_id, attribution_window_days, return_window_days, conversion_secret_prefix,
                 conversion_secret_created_at`,
      [brandId, patch.attributionWindowDays ?? null, patch.returnWindowDays ?? null],
    );
    return view(brandId, rows[0]);
  }

  /** Replaces the brand's conversion secret (the previous one stops verifying at once). */
  async setSecret(ctx: BrandContext, sealed: string, prefix: string): Promise<AffiliateSettings> {
    const brandId = ctx.principal.brandId;
    const rows: Row[] = await this.db.query(
      `INSERT INTO affiliate_settings AS s (brand_id, conversion_secret_sealed, conversion_secret_prefix,
                                            conversion_secret_created_at)
       VALUES ($1, $2, $3, now())
       ON CONFLICT (brand_id) DO UPDATE
          SET conversion_secret_sealed = $2, conversion_secret_prefix = $3, conversion_secret_created_at = now(),
              updated_at = now()
       RETURNING brand_id, attribution_window_days, return_window_days, conversion_secret_prefix,
                 conversion_secret_created_at`,
      [brandId, sealed, prefix],
    );
    return view(brandId, rows[0]);
  }

  /**
   * System: the sealed secret of the brand a signed request names, read before the request is authenticated (the
   * signature is the authentication). Null when the brand has none (or does not exist).
   */
  @SystemPath('affiliate-settings.store.systemSealedSecret')
  async systemSealedSecret(brandId: string): Promise<string | null> {
    const rows: { conversion_secret_sealed: string | null }[] = await this.db.query(
      'SELECT conversion_secret_sealed FROM affiliate_settings WHERE brand_id = $1',
      [brandId],
    );
    return rows[0]?.conversion_secret_sealed ?? null;
  }
}
