import { createUnionType, Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { GlobalIdField, Node } from '../graphql/node.js';
import { connectionType } from '../graphql/connection.js';
import { MutationPayload } from '../graphql/user-error.js';

@ObjectType({ description: 'A company that publishes its catalog.', implements: () => [Node] })
export class Brand {
  @GlobalIdField('Brand', { description: 'Global id of the brand; filter.brandIds takes it.' }) id: string;
  @Field({ description: 'Display name the brand registered with (1 to 120 characters).' }) name: string;
  @Field({ description: 'When the brand registered.' }) createdAt: Date;
}

@ObjectType({ description: 'A brand as its own API keys see it, with private contact details.' })
export class BrandAccount extends Brand {
  @Field({ description: 'Contact address given at registration, lower-cased; unique among brands.' }) email: string;
}

@ObjectType({ description: 'A person who promotes products from the catalog.', implements: () => [Node] })
export class Creator {
  @GlobalIdField('Creator', { description: 'Global id of the creator.' }) id: string;
  @Field({ description: 'Public handle, 2 to 30 letters, digits, dots or underscores, without the @; unique.' })
  handle: string;
  @Field({ description: 'Contact address given at registration, lower-cased; unique among creators.' }) email: string;
  @Field({ description: 'When the creator registered.' }) createdAt: Date;
}

@ObjectType({
  description: 'An API key. The secret itself is shown only once, when the key is created.',
  implements: () => [Node],
})
export class ApiKey {
  @GlobalIdField('ApiKey', { description: 'Global id of the key, for revokeApiKey.' }) id: string;
  @Field({ description: 'Label given at creation ("unnamed" when none), to tell what uses the key.' }) name: string;
  @Field({ description: 'The public part of the key (bsk_<prefix>_…), to tell keys apart.' }) prefix: string;
  @Field({ description: 'When the key was issued.' }) createdAt: Date;
  @Field(() => Date, {
    nullable: true,
    description: 'When the key last authenticated a request (recorded at most once a minute); null if never.',
  })
  lastUsedAt: Date | null;
  @Field(() => Date, {
    nullable: true,
    description: 'When the key was revoked; null while it is valid. A revoked key answers UNAUTHENTICATED.',
  })
  revokedAt: Date | null;
}

@InputType({ description: 'Sign-up of a brand.' })
export class RegisterBrandInput {
  @Field({ description: 'Display name, 1 to 120 characters (trimmed).' }) name: string;
  @Field({ description: 'Contact address; the userError ALREADY_REGISTERED when a brand already registered it.' })
  email: string;
}

@InputType({ description: 'Sign-up of a creator.' })
export class RegisterCreatorInput {
  @Field({
    description:
      'Public handle: 2 to 30 letters, digits, dots or underscores (a leading @ is dropped); the userError ' +
      'ALREADY_REGISTERED if taken.',
  })
  handle: string;
  @Field({ description: 'Contact address; the userError ALREADY_REGISTERED when a creator already registered it.' })
  email: string;
}

@ObjectType({ description: 'The new brand and its first API key; both null when userErrors is not empty.' })
export class RegisterBrandPayload extends MutationPayload {
  @Field(() => BrandAccount, { nullable: true, description: 'The brand just created.' }) brand: BrandAccount | null;
  @Field(() => String, {
    nullable: true,
    description: 'Send as "Authorization: Bearer <apiKey>". Shown once; only a hash is stored.',
  })
  apiKey: string | null;
}

@ObjectType({ description: 'The new creator and their first API key; both null when userErrors is not empty.' })
export class RegisterCreatorPayload extends MutationPayload {
  @Field(() => Creator, { nullable: true, description: 'The creator just created.' }) creator: Creator | null;
  @Field(() => String, {
    nullable: true,
    description: 'Send as "Authorization: Bearer <apiKey>". Shown once; only a hash is stored.',
  })
  apiKey: string | null;
}

@InputType({ description: 'Another API key for the same account.' })
export class CreateApiKeyInput {
  @Field(() => String, {
    nullable: true,
    description: 'A label for the key, at most 100 characters; "unnamed" when omitted.',
  })
  name?: string | null;
}

@ObjectType({ description: 'A new API key: its record and, this once, its secret; null when userErrors is not empty.' })
export class CreateApiKeyPayload extends MutationPayload {
  @Field(() => ApiKey, { nullable: true, description: 'The key as apiKeys lists it.' }) key: ApiKey | null;
  @Field(() => String, { nullable: true, description: 'The secret key. Shown once; only a hash is stored.' })
  apiKey: string | null;
}

@InputType({ description: 'The key to revoke.' })
export class RevokeApiKeyInput {
  @Field(() => ID, { description: "ApiKey.id of one of this account's keys; NOT_FOUND otherwise." }) apiKeyId: string;
}

@ObjectType({ description: 'The revoked key; null when userErrors is not empty.' })
export class RevokeApiKeyPayload extends MutationPayload {
  @Field(() => ApiKey, { nullable: true, description: 'The key, now with revokedAt set.' }) key: ApiKey | null;
}

@ObjectType({ description: 'A brand API key: what me answers for one.' })
export class BrandPrincipal {
  @GlobalIdField('ApiKey', {
    description: 'Global id of the key this request used.',
    deprecationReason: 'Use apiKey { id }.',
  })
  apiKeyId: string;
  @Field(() => BrandAccount, { description: 'The brand the key belongs to.' }) brand: BrandAccount;
}

@ObjectType({ description: 'A creator API key: what me answers for one.' })
export class CreatorPrincipal {
  @GlobalIdField('ApiKey', {
    description: 'Global id of the key this request used.',
    deprecationReason: 'Use apiKey { id }.',
  })
  apiKeyId: string;
  @Field(() => Creator, { description: 'The creator the key belongs to.' }) creator: Creator;
}

/**
 * The account behind the API key of a request: a brand or a creator, told apart by __typename
 * (`... on BrandPrincipal { brand { name } }`).
 */
export const Me = createUnionType({
  name: 'Me',
  description:
    'The account behind the API key of this request: BrandPrincipal for a brand key, CreatorPrincipal for a ' +
    "creator's; select with `... on BrandPrincipal { brand { name } }` and tell them apart by __typename.",
  types: () => [BrandPrincipal, CreatorPrincipal] as const,
  resolveType: (value: BrandPrincipal | CreatorPrincipal) => ('brand' in value ? BrandPrincipal : CreatorPrincipal),
});

export const ApiKeyConnection = connectionType(ApiKey, 'ApiKey', {
  one: 'An API key',
  many: 'keys',
  description: "A page of this account's API keys, oldest first, revoked ones included.",
});
export type ApiKeyConnection = InstanceType<typeof ApiKeyConnection>;

export const BrandConnection = connectionType(Brand, 'Brand', {
  one: 'A brand',
  many: 'brands',
  description: 'A page of the brands with at least one live product, by name.',
});
export type BrandConnection = InstanceType<typeof BrandConnection>;
