import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';

@ObjectType({ description: 'A company that publishes its catalog.' })
export class Brand {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() createdAt: Date;
}

@ObjectType({ description: 'A brand as its own API keys see it, with private contact details.' })
export class BrandAccount extends Brand {
  @Field() email: string;
}

@ObjectType({ description: 'A person who promotes products from the catalog.' })
export class Creator {
  @Field(() => ID) id: string;
  @Field() handle: string;
  @Field() email: string;
  @Field() createdAt: Date;
}

@ObjectType({ description: 'An API key. The secret itself is shown only once, when the key is created.' })
export class ApiKey {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field({ description: 'The public part of the key (bsk_<prefix>_…), to tell keys apart.' }) prefix: string;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) lastUsedAt: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;
}

@InputType()
export class RegisterBrandInput {
  @Field() name: string;
  @Field() email: string;
}

@InputType()
export class RegisterCreatorInput {
  @Field() handle: string;
  @Field() email: string;
}

@ObjectType()
export class RegisterBrandPayload {
  @Field(() => BrandAccount) brand: BrandAccount;
  @Field({ description: 'Send as "Authorization: Bearer <apiKey>". Shown once; only a hash is stored.' })
  apiKey: string;
}

@ObjectType()
export class RegisterCreatorPayload {
  @Field(() => Creator) creator: Creator;
  @Field({ description: 'Send as "Authorization: Bearer <apiKey>". Shown once; only a hash is stored.' })
  apiKey: string;
}

@ObjectType()
export class CreateApiKeyPayload {
  @Field(() => ApiKey) key: ApiKey;
  @Field({ description: 'The secret key. Shown once; only a hash is stored.' }) apiKey: string;
}

export enum AccountKind {
  BRAND = 'BRAND',
  CREATOR = 'CREATOR',
}
registerEnumType(AccountKind, { name: 'AccountKind' });

@ObjectType({ description: 'The account behind the API key of this request.' })
export class Me {
  @Field(() => AccountKind) kind: AccountKind;
  @Field(() => BrandAccount, { nullable: true }) brand: BrandAccount | null;
  @Field(() => Creator, { nullable: true }) creator: Creator | null;
  @Field(() => ID, { description: 'The key this request used.' }) apiKeyId: string;
}
