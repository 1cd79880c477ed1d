import { Inject } from '@nestjs/common';
import { Field, ObjectType, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { BrandStorageService } from '@brandshelf/ingestion';
import { STATEMENT } from '../graphql/query-limits.js';
import { GraphQLBigInt } from '../graphql/scalars.js';
import { BrandAccount } from './accounts.types.js';

@ObjectType({
  description:
    'What a brand keeps in storage, in bytes (BigInt: decimal strings, counts can pass 2^31). Uploads that would take usedBytes ' +
    'past quotaBytes are refused with QUOTA_EXCEEDED, and so is renderCreative of a new creative once usedBytes has ' +
    'reached it.',
})
export class StorageUsage {
  @Field(() => GraphQLBigInt, { description: 'Feed files that runs still keep (see README: Storage, retention).' })
  sourceBytes: number;
  @Field(() => GraphQLBigInt, { description: "Renditions of the brand's images, each distinct image counted once." })
  renditionBytes: number;
  @Field(() => GraphQLBigInt, {
    description:
      "Ad creatives the brand has rendered (renderCreative), each key counted once; those of a product's earlier " +
      'title, price or image, or of a product no longer live, until they are pruned (README: Ad creatives).',
  })
  creativeBytes: number;
  @Field(() => GraphQLBigInt, { description: 'sourceBytes + renditionBytes + creativeBytes.' })
  usedBytes: number;
  @Field(() => GraphQLBigInt, { nullable: true, description: 'STORAGE_QUOTA_BYTES; null when there is no quota.' })
  quotaBytes: number | null;
  @Field(() => GraphQLBigInt, {
    nullable: true,
    description: 'What is left of the quota; null when there is no quota.',
  })
  remainingBytes: number | null;
}

/** BrandAccount is only ever answered to the brand itself (`me`, `registerBrand`), so its usage is too. */
@Resolver(() => BrandAccount)
export class StorageUsageResolver {
  constructor(@Inject(BrandStorageService) private readonly storage: BrandStorageService) {}

  @ResolveField(() => StorageUsage, {
    description: "What the brand's kept feed files, image renditions and ad creatives take against its quota.",
    complexity: STATEMENT,
  })
  storageUsage(@Parent() brand: BrandAccount): Promise<StorageUsage> {
    return this.storage.usage(brand.id);
  }
}
