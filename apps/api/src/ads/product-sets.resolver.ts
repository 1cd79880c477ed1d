import { Inject } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { PRODUCT_SET_NAME_MAX, ProductSetsService, type ProductSetEntity, type SetRule } from '@brandshelf/ads';
import type { BrandContext } from '@brandshelf/core';
import { Auth } from '../graphql/auth.guard.js';
import { ConnectionArgs, toConnection } from '../graphql/connection.js';
import { fromGlobalId, toGlobalId } from '../graphql/global-id.js';
import { pageRequest } from '../graphql/page-size.js';
import { SEARCH, STATEMENT, cost } from '../graphql/query-limits.js';
import { Ctx } from '../graphql/request-context.decorator.js';
import { mutationPayload } from '../graphql/user-error.js';
import {
  CreateProductSetInput,
  DeleteProductSetInput,
  DeleteProductSetPayload,
  ProductSet,
  ProductSetConnection,
  ProductSetMembers,
  ProductSetPayload,
  ProductSetRuleInput,
  UpdateProductSetInput,
} from './ads.types.js';

type ApiProductSet = ProductSet & { rawId: string; storedRules: SetRule };

/** A stored set as the API answers it (also node(id:) and the productSet edges). */
export function productSetView(set: ProductSetEntity): ApiProductSet {
  return {
    id: toGlobalId('ProductSet', set.id),
    rawId: set.id,
    name: set.name,
    rules: set.rules,
    storedRules: set.rules,
    createdAt: set.createdAt,
    updatedAt: set.updatedAt,
  };
}

const sampleArg = {
  type: () => Int,
  nullable: true,
  defaultValue: 10,
  description: 'How many products to list, 0 to 50.',
} as const;

@Auth('brand')
@Resolver(() => ProductSet)
export class ProductSetsResolver {
  constructor(@Inject(ProductSetsService) private readonly sets: ProductSetsService) {}

  @Query(() => ProductSetConnection, {
    description: "The brand's product sets, oldest first, a page at a time.",
    complexity: cost.connection(),
  })
  async productSets(
    @Ctx() ctx: BrandContext,
    @Args() page: ConnectionArgs,
    @Args('nameContains', {
      type: () => String,
      nullable: true,
      description:
        'Only the sets whose name contains this, in any case (% and _ match themselves), e.g. to find one as a ' +
        `person types; at most ${PRODUCT_SET_NAME_MAX} characters; empty or omitted: every set. Pass the same value with \`after\`.`,
    })
    nameContains: string | null,
  ) {
    return toConnection(await this.sets.page(ctx, pageRequest(page), nameContains), productSetView);
  }

  @Query(() => ProductSet, {
    description: "One of the brand's product sets; NOT_FOUND otherwise.",
    complexity: STATEMENT,
  })
  async productSet(
    @Ctx() ctx: BrandContext,
    @Args('id', { type: () => ID, description: 'ProductSet.id of one of the brand’s sets.' }) id: string,
  ): Promise<ApiProductSet> {
    return productSetView(await this.sets.get(ctx, fromGlobalId(id, 'ProductSet')));
  }

  @Query(() => ProductSetMembers, {
    description:
      'How many of the brand’s live products some rules select, and a sample, without saving anything: ' +
      'to try rules before createProductSet. Bad rules are BAD_USER_INPUT naming the input path at fault.',
    complexity: SEARCH,
  })
  previewProductSet(
    @Ctx() ctx: BrandContext,
    @Args('rules', { type: () => ProductSetRuleInput, description: 'The rules to try.' }) rules: ProductSetRuleInput,
    @Args('sample', sampleArg) sample: number,
  ) {
    return this.sets.preview(ctx, rules as SetRule, sample);
  }

  @ResolveField(() => ProductSetMembers, {
    description: 'The live products the set selects now: it follows every publish and rollback of the brand.',
    complexity: SEARCH,
  })
  members(@Ctx() ctx: BrandContext, @Parent() set: ApiProductSet, @Args('sample', sampleArg) sample: number) {
    return this.sets.previewStored(ctx, set.storedRules, sample);
  }

  @Mutation(() => ProductSetPayload, { description: 'Saves a product set (rules checked as previewProductSet does).' })
  createProductSet(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'Its name and rules.' }) input: CreateProductSetInput,
  ) {
    return mutationPayload(async () => ({
      productSet: productSetView(await this.sets.create(ctx, { name: input.name, rules: input.rules as SetRule })),
    }));
  }

  @Mutation(() => ProductSetPayload, { description: 'Renames a product set or replaces its rules.' })
  updateProductSet(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'The set and what changes.' }) input: UpdateProductSetInput,
  ) {
    return mutationPayload(async () => ({
      productSet: productSetView(
        await this.sets.update(ctx, fromGlobalId(input.productSetId, 'ProductSet', 'productSetId'), {
          name: input.name,
          rules: (input.rules as SetRule | null | undefined) ?? null,
        }),
      ),
    }));
  }

  @Mutation(() => DeleteProductSetPayload, { description: 'Deletes a product set.' })
  deleteProductSet(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'The set to delete.' }) input: DeleteProductSetInput,
  ) {
    return mutationPayload(async () => {
      await this.sets.delete(ctx, fromGlobalId(input.productSetId, 'ProductSet', 'productSetId'));
      return { deletedProductSetId: input.productSetId };
    });
  }
}
