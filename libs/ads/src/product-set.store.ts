import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import { ConflictError, NotFoundError, isUuid, type BrandContext } from '@brandshelf/core';
import { keysetPage, type KeysetPage, type KeysetRequest } from '@brandshelf/db';
import { PRODUCT_COLUMNS, toProduct, type CatalogProduct } from '@brandshelf/search';
import { ProductSetEntity } from './product-set.entity.js';
import { compileRules, SqlParams, type SetRule } from './product-set.rules.js';

/** The longest a member count may take; beyond it the read fails (INTERNAL) instead of holding a connection. */
const MEMBERS_TIMEOUT = '15s';

/** The only code that reads or writes `product_set`; every method takes the brand. */
@Injectable()
export class ProductSetStore {
  constructor(
    @InjectRepository(ProductSetEntity) private readonly sets: Repository<ProductSetEntity>,
    @Inject(DataSource) private readonly db: DataSource,
  ) {}

  async create(ctx: BrandContext, name: string, rules: SetRule): Promise<ProductSetEntity> {
    try {
      return await this.sets.save(this.sets.create({ brandId: ctx.principal.brandId, name, rules }));
    } catch (error) {
      throw nameTaken(error, name);
    }
  }

  async get(ctx: BrandContext, id: string): Promise<ProductSetEntity> {
    const found = isUuid(id) ? await this.sets.findOneBy({ id, brandId: ctx.principal.brandId }) : null;
    if (!found) throw new NotFoundError('Product set', id);
    return found;
  }

  async update(ctx: BrandContext, id: string, change: { name?: string; rules?: SetRule }): Promise<ProductSetEntity> {
    const set = await this.get(ctx, id);
    try {
      return await this.sets.save({ ...set, ...change });
    } catch (error) {
      throw nameTaken(error, change.name ?? set.name);
    }
  }

  async delete(ctx: BrandContext, id: string): Promise<void> {
    const result = await this.sets.delete({ id: (await this.get(ctx, id)).id, brandId: ctx.principal.brandId });
    if (!result.affected) throw new NotFoundError('Product set', id);
  }

  page(ctx: BrandContext, request: KeysetRequest): Promise<KeysetPage<ProductSetEntity>> {
    return keysetPage(this.sets, { brandId: ctx.principal.brandId }, { by: 'createdAt', direction: 'ASC' }, request);
  }

  /**
   * The brand's live products matching the rules, now: computed at read time from the live catalog, so a set
   * follows every publish and rollback. One snapshot for the count and the sample, so they agree.
   */
  async members(
    ctx: BrandContext,
    rules: SetRule,
    sample: number,
  ): Promise<{ count: number; sample: CatalogProduct[] }> {
    const params = new SqlParams(1);
    const where = `p.brand_id = $1 AND ${compileRules(rules, params)}`;
    return this.db.transaction('REPEATABLE READ', async (m) => {
      // Short statements over one brand's rows: JIT compilation costs more than it saves (250 ms at 1M), and a
      // set over a very large catalog fails fast rather than holding a connection.
      await m.query(`SET LOCAL jit = off; SET LOCAL statement_timeout = '${MEMBERS_TIMEOUT}'`);
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM catalog_product p WHERE ${where}`, [
        ctx.principal.brandId,
        ...params.values,
      ]);
      const rows =
        sample > 0 && n > 0
          ? await m.query(
              `SELECT ${PRODUCT_COLUMNS} FROM catalog_product p JOIN brand b ON b.id = p.brand_id
                WHERE ${where} ORDER BY p.published_at DESC, p.id LIMIT ${Math.floor(sample)}`,
              [ctx.principal.brandId, ...params.values],
            )
          : [];
      return { count: n, sample: rows.map(toProduct) };
    });
  }
}

function nameTaken(error: unknown, name: string): unknown {
  return (error as { code?: string }).code === '23505'
    ? new ConflictError(`A product set named "${name}" exists already; choose another name.`, { field: 'name' })
    : error;
}
