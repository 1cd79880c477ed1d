import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, ILike, type FindOptionsWhere, type Repository } from 'typeorm';
import { AppError, ConflictError, NotFoundError, isUuid, type BrandContext } from '@brandshelf/core';
import { keysetPage, type KeysetPage, type KeysetRequest } from '@brandshelf/db';
import { PRODUCT_COLUMNS, toProduct, type CatalogProduct } from '@brandshelf/search';
import { ProductSetEntity } from './product-set.entity.js';
import { compileRules, SqlParams, type SetRule } from './product-set.rules.js';

/** Where a batch of members ends: the last row's published_at (as PostgreSQL text, to the microsecond) and id. */
export interface MembersCursor {
  at: string;
  id: string;
}

/**
 * The longest a member count may take; beyond it the read fails (BAD_USER_INPUT: narrow the rules) instead of
 * holding a connection.
 */
const MEMBERS_TIMEOUT_SECONDS = 15;

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
    if (!found) throw new NotFoundError('Product set', id, { idType: 'ProductSet' });
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
    let affected: number | null | undefined;
    try {
      ({ affected } = await this.sets.delete({ id: (await this.get(ctx, id)).id, brandId: ctx.principal.brandId }));
    } catch (error) {
      // Campaigns keep their set (migration 18: RESTRICT), so their history stays readable. PostgreSQL 15 reports
      // it as foreign_key_violation (23503), 17 (the embedded PGlite) as restrict_violation (23001).
      const code = (error as { code?: string }).code;
      if (code === '23503' || code === '23001') {
        throw new ConflictError('Campaigns use this product set; it cannot be deleted.', { field: 'productSetId' });
      }
      throw error;
    }
    if (!affected) throw new NotFoundError('Product set', id, { idType: 'ProductSet' });
  }

  /** A page of the brand's sets, oldest first; with `nameContains`, only those whose name holds it, in any case. */
  page(ctx: BrandContext, request: KeysetRequest, nameContains?: string | null): Promise<KeysetPage<ProductSetEntity>> {
    const where: FindOptionsWhere<ProductSetEntity> = { brandId: ctx.principal.brandId };
    // LIKE's wildcards and its escape character are matched as themselves.
    if (nameContains) where.name = ILike(`%${nameContains.replace(/[\\%_]/g, '\\$&')}%`);
    return keysetPage(this.sets, where, { by: 'createdAt', direction: 'ASC' }, request);
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
    return this.db
      .transaction('REPEATABLE READ', async (m) => {
        // Short statements over one brand's rows: JIT compilation costs more than it saves (250 ms at 1M), and a
        // set over a very large catalog fails fast rather than holding a connection.
        await m.query(`SET LOCAL jit = off; SET LOCAL statement_timeout = '${MEMBERS_TIMEOUT_SECONDS}s'`);
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
      })
      .catch((error: unknown) => {
        throw membersTimeout(error);
      });
  }
  /**
   * One batch of the brand's live products the rules select (all of them for null rules), newest first, after the
   * cursor: exports read a set or a catalog this way, a batch at a time, never whole. The keyset (published_at DESC,
   * id ASC) follows catalog_product_brand_idx; as search's NEWEST sort does, the rest of the cursor's timestamp and
   * everything older are two index range scans (one publish gives many rows the same published_at).
   */
  async membersBatch(
    ctx: BrandContext,
    rules: SetRule | null,
    after: MembersCursor | null,
    limit: number,
  ): Promise<{ products: CatalogProduct[]; next: MembersCursor | null }> {
    const params = new SqlParams();
    const where = [`p.brand_id = ${params.add(ctx.principal.brandId, 'uuid')}`];
    if (rules) where.push(compileRules(rules, params));
    const base = where.join(' AND ');
    const limitParam = params.add(Math.floor(limit), 'int');
    const keys = 'p.id, p.published_at';
    let ids = `SELECT ${keys} FROM catalog_product p WHERE ${base} ORDER BY p.published_at DESC, p.id ASC LIMIT ${limitParam}`;
    if (after) {
      const at = params.add(after.at, 'timestamptz');
      const id = params.add(after.id, 'uuid');
      ids = `SELECT * FROM (
               (SELECT ${keys} FROM catalog_product p WHERE ${base} AND p.published_at = ${at} AND p.id > ${id}
                 ORDER BY p.id ASC LIMIT ${limitParam})
               UNION ALL
               (SELECT ${keys} FROM catalog_product p WHERE ${base} AND p.published_at < ${at}
                 ORDER BY p.published_at DESC, p.id ASC LIMIT ${limitParam})
             ) u ORDER BY published_at DESC, id ASC LIMIT ${limitParam}`;
    }
    const rows = await this.db.query(
      `SELECT ${PRODUCT_COLUMNS}, k.published_at::text AS k_at
         FROM (${ids}) k JOIN catalog_product p ON p.id = k.id JOIN brand b ON b.id = p.brand_id
        ORDER BY k.published_at DESC, k.id ASC`,
      params.values,
    );
    const last = rows.at(-1);
    return {
      products: rows.map(toProduct),
      next: rows.length === Math.floor(limit) && last ? { at: last.k_at, id: last.id } : null,
    };
  }

  /**
   * What an export of the brand's catalog (or one of its sets) is made of, by version: the sum of the generations
   * of the brand's feeds (migration 13: it changes with every committed change of their live rows, publish and
   * rollback included), when the brand's live rows last changed and, for a set, when its rules changed. That time
   * is the newer of the newest published_at of its live rows (a product created) and its newest publication (a
   * publish or rollback, which may only change or remove products: an update keeps a row's published_at and a
   * removal deletes the row, so by published_at alone Last-Modified stood still and If-Modified-Since said 304).
   */
  async membersVersion(
    ctx: BrandContext,
    setId: string | null,
  ): Promise<{ generation: string; publishedAt: Date | null; setUpdatedAt: Date | null }> {
    const [row] = await this.db.query(
      `SELECT (SELECT coalesce(sum(g.generation), 0)::text FROM catalog_generation g
                 JOIN feed f ON f.id = g.feed_id WHERE f.brand_id = $1) AS generation,
              greatest((SELECT max(p.published_at) FROM catalog_product p WHERE p.brand_id = $1),
                       (SELECT max(pub.published_at) FROM publication pub WHERE pub.brand_id = $1)) AS published_at,
              (SELECT s.updated_at FROM product_set s WHERE s.id = $2::uuid AND s.brand_id = $1) AS set_updated_at`,
      [ctx.principal.brandId, setId],
    );
    return {
      generation: row.generation,
      publishedAt: row.published_at ? new Date(row.published_at) : null,
      setUpdatedAt: row.set_updated_at ? new Date(row.set_updated_at) : null,
    };
  }
}

/** A statement timeout (57014) as what the caller can do about it; anything else as it is. */
function membersTimeout(error: unknown): unknown {
  const e = error as { driverError?: { code?: string }; code?: string };
  if (e.driverError?.code !== '57014' && e.code !== '57014') return error;
  return new AppError(
    'BAD_USER_INPUT',
    `Counting this product set's members took longer than ${MEMBERS_TIMEOUT_SECONDS} s over the brand's live ` +
      'catalog; narrow its rules (fewer IS_ANY_OF values and CONTAINS conditions, or a CATEGORY, BRAND or PRICE ' +
      'condition that selects fewer products first) and try again.',
    { field: 'rules' },
  );
}

function nameTaken(error: unknown, name: string): unknown {
  return (error as { code?: string }).code === '23505'
    ? new ConflictError(`A product set named "${name}" exists already; choose another name.`, { field: 'name' })
    : error;
}
