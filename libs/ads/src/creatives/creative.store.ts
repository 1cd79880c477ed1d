import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BrandContext } from '@brandshelf/core';
import type { CreativeTemplate } from '@brandshelf/media';
import { SystemPath } from '@brandshelf/db';

/** A creative a brand has, by content key. */
export interface CreativeRow {
  key: string;
  productId: string;
  template: CreativeTemplate;
  width: number;
  height: number;
}

/** The only code that reads or writes `creative`; every method takes the brand. */
@Injectable()
export class CreativeStore {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Notes that the brand has this creative (rendered now, or found stored); a key it has already is left as it is. */
  async record(ctx: BrandContext, row: CreativeRow): Promise<void> {
    await this.db.query(
      `INSERT INTO creative (brand_id, key, product_id, template, width, height) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (brand_id, key) DO NOTHING`,
      [ctx.principal.brandId, row.key, row.productId, row.template, row.width, row.height],
    );
  }

  /** Which of these keys each brand has, for many brands at once: `<brandId> <key>` of those found. */
  @SystemPath('creative.store.systemHeld')
  async systemHeld(pairs: Array<{ brandId: string; key: string }>): Promise<Set<string>> {
    if (!pairs.length) return new Set();
    const rows: { brand_id: string; key: string }[] = await this.db.query(
      `SELECT c.brand_id, c.key FROM creative c
         JOIN unnest($1::uuid[], $2::text[]) AS w(brand_id, key) ON w.brand_id = c.brand_id AND w.key = c.key`,
      [pairs.map((p) => p.brandId), pairs.map((p) => p.key)],
    );
    return new Set(rows.map((r) => `${r.brand_id} ${r.key}`));
  }
}
