import type {
  DeepPartial,
  EntityManager,
  FindOptionsOrder,
  FindOptionsWhere,
  ObjectLiteral,
  Repository,
} from 'typeorm';
import { isUuid, NotFoundError, type BrandContext } from '@brandshelf/core';
import { keysetPage, type KeysetOrder, type KeysetPage, type KeysetRequest } from './keyset-page.js';

export interface BrandOwned extends ObjectLiteral {
  id: string;
  brandId: string;
}

/**
 * The only way services reach brand-owned tables: every read and write carries the caller's brand,
 * so scoping cannot be forgotten, and another brand's id answers NOT_FOUND exactly as a missing one.
 */
export class BrandScopedRepository<E extends BrandOwned> {
  constructor(
    private readonly repository: Repository<E>,
    private readonly label: string,
  ) {}

  /** The same scoping inside a transaction. */
  with(manager: EntityManager): BrandScopedRepository<E> {
    return new BrandScopedRepository(manager.getRepository<E>(this.repository.target), this.label);
  }

  private scoped(ctx: BrandContext, where: FindOptionsWhere<E> = {}): FindOptionsWhere<E> {
    return { ...where, brandId: ctx.principal.brandId } as FindOptionsWhere<E>;
  }

  find(
    ctx: BrandContext,
    where: FindOptionsWhere<E> = {},
    options: { order?: FindOptionsOrder<E>; take?: number; skip?: number } = {},
  ): Promise<E[]> {
    return this.repository.find({ where: this.scoped(ctx, where), ...options });
  }

  /** One keyset page of the brand's rows matching `where`, with their total count (see keysetPage). */
  page(
    ctx: BrandContext,
    where: FindOptionsWhere<E>,
    order: KeysetOrder<E>,
    request: KeysetRequest,
  ): Promise<KeysetPage<E>> {
    return keysetPage(this.repository, this.scoped(ctx, where), order, request);
  }

  count(ctx: BrandContext, where: FindOptionsWhere<E> = {}): Promise<number> {
    return this.repository.count({ where: this.scoped(ctx, where) });
  }

  findOne(ctx: BrandContext, id: string): Promise<E | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.repository.findOne({ where: this.scoped(ctx, { id } as FindOptionsWhere<E>) });
  }

  async get(ctx: BrandContext, id: string): Promise<E> {
    const row = await this.findOne(ctx, id);
    if (!row) throw new NotFoundError(this.label, id);
    return row;
  }

  async insert(ctx: BrandContext, values: Omit<DeepPartial<E>, 'brandId'>): Promise<E> {
    const entity = this.repository.create({ ...values, brandId: ctx.principal.brandId } as DeepPartial<E>);
    return this.repository.save(entity);
  }

  async update(ctx: BrandContext, id: string, patch: Partial<Omit<E, 'id' | 'brandId'>>): Promise<E> {
    const row = await this.get(ctx, id);
    Object.assign(row, patch, { id: row.id, brandId: row.brandId });
    return this.repository.save(row);
  }

  async delete(ctx: BrandContext, id: string): Promise<void> {
    if (!isUuid(id)) throw new NotFoundError(this.label, id);
    const result = await this.repository.delete(this.scoped(ctx, { id } as FindOptionsWhere<E>));
    if (!result.affected) throw new NotFoundError(this.label, id);
  }
}
