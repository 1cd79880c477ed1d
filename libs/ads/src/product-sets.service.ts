import { Inject, Injectable } from '@nestjs/common';
import { BadInputError, type BrandContext } from '@brandshelf/core';
import type { KeysetPage, KeysetRequest } from '@brandshelf/db';
import type { CatalogProduct } from '@brandshelf/search';
import type { ProductSetEntity } from './product-set.entity.js';
import { validateRules, type SetRule } from './product-set.rules.js';
import { ProductSetStore, type MembersCursor } from './product-set.store.js';

/** Products shown with a preview, at most. */
export const PREVIEW_SAMPLE_MAX = 50;

/** A set's name, at most (trimmed); the console's name field holds no more. */
export const PRODUCT_SET_NAME_MAX = 200;
const NAME_MAX = PRODUCT_SET_NAME_MAX;

/** Product sets: a brand's saved filters over its live catalog, the base of campaigns and channel exports. */
@Injectable()
export class ProductSetsService {
  constructor(@Inject(ProductSetStore) private readonly store: ProductSetStore) {}

  create(ctx: BrandContext, input: { name: string; rules: SetRule }): Promise<ProductSetEntity> {
    return this.store.create(ctx, checkName(input.name), validateRules(input.rules));
  }

  update(ctx: BrandContext, id: string, input: { name?: string | null; rules?: SetRule | null }) {
    return this.store.update(ctx, id, {
      ...(input.name !== undefined && input.name !== null ? { name: checkName(input.name) } : {}),
      ...(input.rules ? { rules: validateRules(input.rules) } : {}),
    });
  }

  delete(ctx: BrandContext, id: string): Promise<void> {
    return this.store.delete(ctx, id);
  }

  get(ctx: BrandContext, id: string): Promise<ProductSetEntity> {
    return this.store.get(ctx, id);
  }

  /** A page of the brand's sets; `nameContains` (at most 200 characters, a name's limit) narrows them by name. */
  page(ctx: BrandContext, request: KeysetRequest, nameContains?: string | null): Promise<KeysetPage<ProductSetEntity>> {
    if (nameContains != null && nameContains.length > NAME_MAX) {
      throw new BadInputError(
        `nameContains is at most ${NAME_MAX} characters (a set's name is no longer).`,
        'nameContains',
      );
    }
    return this.store.page(ctx, request, nameContains?.trim() || null);
  }

  /** Count and a sample of the live products rules select, without saving anything. */
  preview(ctx: BrandContext, rules: SetRule, sample = 10) {
    return this.store.members(ctx, validateRules(rules), checkSample(sample));
  }

  /** A batch of the members of a saved set (or the whole live catalog, for null rules), newest first. */
  membersBatch(ctx: BrandContext, rules: SetRule | null, after: MembersCursor | null, limit: number) {
    return this.store.membersBatch(ctx, rules, after, limit);
  }

  /** The version of a set's (or the catalog's) members: see ProductSetStore.membersVersion. */
  membersVersion(ctx: BrandContext, setId: string | null) {
    return this.store.membersVersion(ctx, setId);
  }

  /** The members now of rules already validated (a saved set's). */
  previewStored(ctx: BrandContext, rules: SetRule, sample = 10): Promise<{ count: number; sample: CatalogProduct[] }> {
    return this.store.members(ctx, rules, checkSample(sample));
  }
}

function checkName(name: string): string {
  const trimmed = (name ?? '').trim();
  if (!trimmed || trimmed.length > NAME_MAX) throw new BadInputError(`name is 1 to ${NAME_MAX} characters.`, 'name');
  return trimmed;
}

function checkSample(sample: number): number {
  if (!Number.isInteger(sample) || sample < 0 || sample > PREVIEW_SAMPLE_MAX) {
    throw new BadInputError(`sample is 0 to ${PREVIEW_SAMPLE_MAX}.`, 'sample');
  }
  return sample;
}
