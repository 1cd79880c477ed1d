import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum PublicationKind {
  PUBLISH = 'PUBLISH',
  ROLLBACK = 'ROLLBACK',
  AUTO_PUBLISH = 'AUTO_PUBLISH',
}
registerEnumType(PublicationKind, { name: 'PublicationKind' });

export enum PublishStatus {
  NOT_PUBLISHED = 'NOT_PUBLISHED',
  PUBLISHED = 'PUBLISHED',
  WAITING = 'WAITING',
}
registerEnumType(PublishStatus, {
  name: 'PublishStatus',
  description: 'WAITING: auto-publish was held back by a safety limit (see publishBlockedReason).',
});

@ObjectType()
export class LeftOutCount {
  @Field({
    description:
      'Why: the main image’s failure code (IMAGE_UNREACHABLE, IMAGE_TOO_SMALL, IMAGE_BLOCKED_ADDRESS, …), or ' +
      'IMAGE_NOT_PROCESSED when it has not been fetched (yet).',
  })
  reason: string;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'A publish or rollback, with what it changed in the live catalog.' })
export class Publication {
  @Field(() => ID) id: string;
  @Field(() => ID) feedId: string;
  @Field(() => PublicationKind) kind: PublicationKind;
  @Field(() => ID) versionId: string;
  @Field(() => ID, { nullable: true }) previousVersionId: string | null;
  @Field(() => ID, { nullable: true }) runId: string | null;
  @Field(() => Int) created: number;
  @Field(() => Int) updated: number;
  @Field(() => Int) unchanged: number;
  @Field(() => Int) removed: number;
  @Field(() => Int, {
    description:
      'Items of the version that were not published because they have no processed main image (see leftOutByReason).',
  })
  leftOut: number;
  @Field(() => [LeftOutCount], { description: 'leftOut counted by reason, most frequent first.' })
  leftOutByReason: LeftOutCount[];
  @Field() publishedAt: Date;
}

@ObjectType({ description: 'A staged catalog of a feed: what one successful run read.' })
export class CatalogVersion {
  @Field(() => ID) id: string;
  @Field(() => Int) number: number;
  @Field(() => Int) itemCount: number;
  @Field(() => ID) runId: string;
  @Field() createdAt: Date;
  @Field() isLive: boolean;
}
