import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** commission_program: one row per brand with a program; changes of its rules lock it, one at a time. */
@Injectable()
export class ProgramStore {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Creates the brand's program row if needed and locks it for the transaction of `manager`. */
  async lock(manager: EntityManager, brandId: string, at: Date): Promise<void> {
    await manager.query(
      `INSERT INTO commission_program (brand_id, created_at, updated_at) VALUES ($1, $2, $2)
       ON CONFLICT (brand_id) DO UPDATE SET updated_at = excluded.updated_at`,
      [brandId, at],
    );
    await manager.query('SELECT 1 FROM commission_program WHERE brand_id = $1 FOR UPDATE', [brandId]);
  }

  /** When the brand's program last changed; null when it never had one. */
  async updatedAt(brandId: string): Promise<Date | null> {
    const rows = await this.db.query('SELECT updated_at FROM commission_program WHERE brand_id = $1', [brandId]);
    return rows[0]?.updated_at ?? null;
  }
}
