import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  PUBLICATION_KINDS,
  type PublicationEntity,
  type PublicationKind as PublicationKindValue,
} from '@brandshelf/catalog';
import { PUBLISH_STATUSES, type PublishStatus as PublishStatusValue } from '@brandshelf/ingestion';
import { enumOf } from '../graphql/enum-of.js';
import { GlobalIdField, Node } from '../graphql/node.js';
import { connectionType } from '../graphql/connection.js';
import { MutationPayload } from '../graphql/user-error.js';
import { LeftOutReason } from '../ingestion/codes.types.js';

export const PublicationKind = enumOf(PUBLICATION_KINDS);
export type PublicationKind = PublicationKindValue;
registerEnumType(PublicationKind, {
  name: 'PublicationKind',
  description: 'What made a version live.',
  valuesMap: {
    PUBLISH: { description: 'publishRun, by a person or a script.' },
    ROLLBACK: { description: 'rollbackFeed, back to an earlier kept version.' },
    AUTO_PUBLISH: { description: 'The autoPublish setting of the feed, after a successful run.' },
  },
});

export const PublishStatus = enumOf(PUBLISH_STATUSES);
export type PublishStatus = PublishStatusValue;
registerEnumType(PublishStatus, {
  name: 'PublishStatus',
  description: "Whether a run's version was published.",
  valuesMap: {
    NOT_PUBLISHED: { description: 'Not published by publishRun or auto-publish (yet).' },
    PUBLISHED: { description: 'Made live by publishRun or auto-publish (a later publish may have replaced it since).' },
    WAITING: {
      description: 'Auto-publish was held back by a safety limit or failed; publishBlockedReason says why.',
    },
  },
});

@ObjectType({ description: 'Items a publish left out for one reason.' })
export class LeftOutCount {
  @Field(() => LeftOutReason, {
    description:
      'Why: the main image’s failure code (IMAGE_UNREACHABLE, IMAGE_TOO_SMALL, IMAGE_BLOCKED_ADDRESS, …), or ' +
      'IMAGE_NOT_PROCESSED when it has not been fetched (yet).',
  })
  reason: LeftOutReason;
  @Field(() => Int, { description: 'Items left out for this reason.' }) count: number;
}

@ObjectType({
  description: 'A publish or rollback, with what it changed in the live catalog.',
  implements: () => [Node],
})
export class Publication {
  @GlobalIdField('Publication', { description: 'Global id of the publication.' }) id: string;
  @GlobalIdField('Feed', { description: 'Global id of the feed published.', deprecationReason: 'Use feed { id }.' })
  feedId: string;
  @Field(() => PublicationKind, { description: 'Publish, rollback or auto-publish.' }) kind: PublicationKind;
  @GlobalIdField('CatalogVersion', {
    description: 'Global id of the catalog version it made live.',
    deprecationReason: 'Use version { id }.',
  })
  versionId: string;
  @GlobalIdField('CatalogVersion', {
    nullable: true,
    description: 'Global id of the version live before it; null for the first publish.',
    deprecationReason: 'Use previousVersion { id }.',
  })
  previousVersionId: string | null;
  @GlobalIdField('IngestionRun', {
    nullable: true,
    description: 'Global id of the run that staged the version made live.',
    deprecationReason: 'Use run { id }.',
  })
  runId: string | null;
  @Field(() => Int, { description: 'Products added to the live catalog (0 for UPDATE_ONLY feeds).' }) created: number;
  @Field(() => Int, {
    description: 'Live products rewritten because something of them changed (content, images or search language).',
  })
  updated: number;
  @Field(() => Int, { description: 'Live products left as they were.' }) unchanged: number;
  @Field(() => Int, { description: 'Products taken out of the live catalog (0 for UPDATE_ONLY feeds).' })
  removed: number;
  @Field(() => Int, {
    description:
      'Items of the version that were not published because they have no processed main image (see leftOutByReason).',
  })
  leftOut: number;
  @Field(() => [LeftOutCount], { description: 'leftOut counted by reason, most frequent first.' })
  leftOutByReason: LeftOutCount[];
  @Field({ description: 'When the version went live.' }) publishedAt: Date;
}

@ObjectType({ description: 'A staged catalog of a feed: what one successful run read.', implements: () => [Node] })
export class CatalogVersion {
  @GlobalIdField('CatalogVersion', { description: 'Global id of the version.' }) id: string;
  @Field(() => Int, { description: 'Its number within the feed, from 1 up; rollbackFeed takes it.' }) number: number;
  @Field(() => Int, { description: 'Items the version holds.' }) itemCount: number;
  @GlobalIdField('IngestionRun', {
    description: 'Global id of the run that staged it.',
    deprecationReason: 'Use run { id }.',
  })
  runId: string;
  @Field({ description: 'When the run staged it.' }) createdAt: Date;
  /** Set by Feed.versions, which knows the feed's live version; otherwise resolved from the feed. */
  isLive?: boolean;
  feedId: string;
}

export const PublicationConnection = connectionType(Publication, 'Publication', {
  one: 'A publication',
  many: 'publications',
  description: "A page of a feed's publishes and rollbacks, newest first.",
});
export type PublicationConnection = InstanceType<typeof PublicationConnection>;

export const CatalogVersionConnection = connectionType(CatalogVersion, 'CatalogVersion', {
  one: 'A version',
  many: 'versions',
  description: "A page of a feed's kept catalog versions, newest first.",
});
export type CatalogVersionConnection = InstanceType<typeof CatalogVersionConnection>;

@InputType({ description: 'Which run publishRun makes live.' })
export class PublishRunInput {
  @Field(() => ID, {
    description:
      'A SUCCEEDED, non-validateOnly run that staged a version (else the userError RUN_NOT_PUBLISHABLE); the ' +
      'userError PUBLISH_IN_PROGRESS while its feed is publishing.',
  })
  runId: string;
}

@ObjectType({ description: 'What publishRun changed in the live catalog.' })
export class PublishRunPayload extends MutationPayload {
  @Field(() => Publication, {
    nullable: true,
    description: 'The publish and its diff; null when userErrors is not empty (then the live catalog is unchanged).',
  })
  publication: PublicationEntity | null;
}

@InputType({ description: 'Which feed rollbackFeed rolls back, and to which version.' })
export class RollbackFeedInput {
  @Field(() => ID, { description: 'Feed.id of the feed to roll back.' }) feedId: string;
  @Field(() => Int, {
    description: 'The version number (CatalogVersion.number); NOT_FOUND when it was never kept or has been pruned.',
  })
  toVersion: number;
}

@ObjectType({ description: 'What rollbackFeed changed in the live catalog.' })
export class RollbackFeedPayload extends MutationPayload {
  @Field(() => Publication, {
    nullable: true,
    description: 'The rollback and its diff; null when userErrors is not empty (then the live catalog is unchanged).',
  })
  publication: PublicationEntity | null;
}
