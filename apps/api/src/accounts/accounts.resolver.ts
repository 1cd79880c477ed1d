import { Inject } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AccountsService } from '@brandshelf/accounts';
import { AppError, type RequestContext } from '@brandshelf/core';
import { Auth } from '../graphql/auth.guard.js';
import { fromGlobalId } from '../graphql/global-id.js';
import { ConnectionArgs, toConnection } from '../graphql/connection.js';
import { pageRequest } from '../graphql/page-size.js';
import { cost } from '../graphql/query-limits.js';
import { Ctx } from '../graphql/request-context.decorator.js';
import { mutationPayload, type Payload } from '../graphql/user-error.js';
import {
  BrandPrincipal,
  CreatorPrincipal,
  ApiKeyConnection,
  CreateApiKeyInput,
  CreateApiKeyPayload,
  Me,
  RegisterBrandInput,
  RegisterBrandPayload,
  RegisterCreatorInput,
  RegisterCreatorPayload,
  RevokeApiKeyInput,
  RevokeApiKeyPayload,
} from './accounts.types.js';

@Resolver()
export class AccountsResolver {
  constructor(@Inject(AccountsService) private readonly accounts: AccountsService) {}

  @Mutation(() => RegisterBrandPayload, { description: 'Creates a brand and its first API key.' })
  registerBrand(
    @Args('input', { description: "The brand's name and contact address." }) input: RegisterBrandInput,
  ): Promise<Payload<RegisterBrandPayload>> {
    return mutationPayload(async () => {
      const { brand, apiKey } = await this.accounts.registerBrand(input);
      return { brand, apiKey: apiKey.plain };
    });
  }

  @Mutation(() => RegisterCreatorPayload, { description: 'Creates a creator and their first API key.' })
  registerCreator(
    @Args('input', { description: "The creator's handle and contact address." }) input: RegisterCreatorInput,
  ): Promise<Payload<RegisterCreatorPayload>> {
    return mutationPayload(async () => {
      const { creator, apiKey } = await this.accounts.registerCreator(input);
      return { creator, apiKey: apiKey.plain };
    });
  }

  @Auth()
  @Mutation(() => CreateApiKeyPayload, { description: 'Another key for the same account, e.g. one per system.' })
  createApiKey(
    @Ctx() ctx: RequestContext,
    @Args('input', { description: 'A label for the key; `{}` for an unnamed one.' }) input: CreateApiKeyInput,
  ): Promise<Payload<CreateApiKeyPayload>> {
    return mutationPayload(async () => {
      const issued = await this.accounts.createApiKey(ctx, input.name ?? 'unnamed');
      return { key: issued.key, apiKey: issued.plain };
    });
  }

  @Auth()
  @Mutation(() => RevokeApiKeyPayload, {
    description: 'Revokes a key of this account at once. Revoking the key in use is allowed.',
  })
  revokeApiKey(
    @Ctx() ctx: RequestContext,
    @Args('input', { description: 'The key to revoke.' }) input: RevokeApiKeyInput,
  ): Promise<Payload<RevokeApiKeyPayload>> {
    return mutationPayload(async () => ({
      key: await this.accounts.revokeApiKey(ctx, fromGlobalId(input.apiKeyId, 'ApiKey', 'apiKeyId')),
    }));
  }

  @Auth()
  @Query(() => ApiKeyConnection, {
    description: "This account's keys, revoked ones included, oldest first, a page at a time.",
    complexity: cost.connection(),
  })
  async apiKeys(@Ctx() ctx: RequestContext, @Args() page: ConnectionArgs): Promise<ApiKeyConnection> {
    return toConnection(await this.accounts.pageApiKeys(ctx, pageRequest(page)));
  }

  @Auth()
  @Query(() => Me, {
    description: 'Who the API key of this request belongs to: a BrandPrincipal or a CreatorPrincipal.',
  })
  async me(@Ctx() ctx: RequestContext): Promise<BrandPrincipal | CreatorPrincipal> {
    const p = ctx.principal;
    // The key authenticated a moment ago, so its account exists unless it was removed in between.
    const gone = () => new AppError('UNAUTHENTICATED', 'The account of this API key no longer exists.');
    if (p.kind === 'brand') {
      const brand = await this.accounts.findBrand(p.brandId);
      if (!brand) throw gone();
      return { apiKeyId: p.apiKeyId, brand };
    }
    if (p.kind === 'creator') {
      const creator = await this.accounts.findCreator(p.creatorId);
      if (!creator) throw gone();
      return { apiKeyId: p.apiKeyId, creator };
    }
    throw new Error('unreachable: @Auth() admits only authenticated callers');
  }
}
