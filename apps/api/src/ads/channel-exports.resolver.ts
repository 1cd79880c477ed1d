import { Inject } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ChannelExportsService, type ChannelExportEntity, type ExportFindings } from '@brandshelf/ads';
import { APP_CONFIG, type AppConfig, type BrandContext } from '@brandshelf/core';
import { Auth } from '../graphql/auth.guard.js';
import { ConnectionArgs, pageOfList, toConnection } from '../graphql/connection.js';
import { fromGlobalId, toGlobalId } from '../graphql/global-id.js';
import { ISSUES_PAGE, pageRequest } from '../graphql/page-size.js';
import { SEARCH, STATEMENT, cost } from '../graphql/query-limits.js';
import { RequestLoaders } from '../graphql/loaders.js';
import { Ctx, type CallerContext } from '../graphql/request-context.decorator.js';
import { ProductSet } from './ads.types.js';
import { productSetView } from './product-sets.resolver.js';
import { mutationPayload } from '../graphql/user-error.js';
import {
  ChannelExport,
  ChannelExportConnection,
  ChannelExportIssueConnection,
  ChannelExportPayload,
  CreateChannelExportInput,
  DeleteChannelExportInput,
  DeleteChannelExportPayload,
  ExportCheckCount,
  RotateChannelExportTokenInput,
} from './channel-exports.types.js';

type ApiChannelExport = ChannelExport & { entity: ChannelExportEntity; findings?: Promise<ExportFindings> };

/** A stored export as the API answers it (also node(id:)). */
export function channelExportView(e: ChannelExportEntity): ApiChannelExport {
  return {
    id: toGlobalId('ChannelExport', e.id),
    channel: e.channel,
    productSetId: e.productSetId ? toGlobalId('ProductSet', e.productSetId) : null,
    createdAt: e.createdAt,
    tokenRotatedAt: e.tokenRotatedAt,
    entity: e,
  };
}

@Auth('brand')
@Resolver(() => ChannelExport)
export class ChannelExportsResolver {
  constructor(
    @Inject(ChannelExportsService) private readonly exports: ChannelExportsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RequestLoaders) private readonly loaders: RequestLoaders,
  ) {}

  private url(e: ChannelExportEntity, token: string): string {
    return `${this.config.publicBaseUrl}/exports/${token}.${this.exports.format(e).extension}`;
  }

  /** Findings computed in each request, by export id (the request's GraphQL context is the key). */
  private readonly findingsByRequest = new WeakMap<object, Map<string, Promise<ExportFindings>>>();

  /**
   * One computation of the findings per export and request, whichever fields ask and under however many aliases:
   * each reads up to EXPORT_FINDINGS_SCAN products, so `{ a: channelExport(id: $x) { checked } b: … }` must not
   * read them once per alias.
   */
  private findings(caller: CallerContext, ctx: BrandContext, parent: ApiChannelExport): Promise<ExportFindings> {
    let byId = this.findingsByRequest.get(caller);
    if (!byId) this.findingsByRequest.set(caller, (byId = new Map()));
    let found = byId.get(parent.entity.id);
    if (!found) byId.set(parent.entity.id, (found = this.exports.findings(ctx, parent.entity)));
    parent.findings ??= found;
    return parent.findings;
  }

  @Query(() => ChannelExportConnection, {
    description: "The brand's channel exports, oldest first, a page at a time (their URLs are shown once only).",
    complexity: cost.connection(),
  })
  async channelExports(@Ctx() ctx: BrandContext, @Args() page: ConnectionArgs) {
    return toConnection(await this.exports.page(ctx, pageRequest(page)), channelExportView);
  }

  @Query(() => ChannelExport, {
    description: "One of the brand's channel exports; NOT_FOUND otherwise.",
    complexity: STATEMENT,
  })
  async channelExport(
    @Ctx() ctx: BrandContext,
    @Args('id', { type: () => ID, description: 'ChannelExport.id of one of the brand’s exports.' }) id: string,
  ): Promise<ApiChannelExport> {
    return channelExportView(await this.exports.get(ctx, fromGlobalId(id, 'ChannelExport')));
  }

  @ResolveField(() => ProductSet, {
    nullable: true,
    description:
      'The set exported; null for the whole catalog (or once the set is deleted). Read for a whole page at once.',
    complexity: STATEMENT,
  })
  async productSet(@Context() caller: CallerContext, @Parent() parent: ApiChannelExport) {
    if (!parent.entity.productSetId) return null;
    const set = await this.loaders.of(caller, caller.context).productSet.load(parent.entity.productSetId);
    return set && productSetView(set);
  }

  @ResolveField(() => Int, {
    description: 'Products of the export now (the set’s members or the live catalog), checked or not.',
    complexity: SEARCH,
  })
  async checked(@Context() caller: CallerContext, @Ctx() ctx: BrandContext, @Parent() parent: ApiChannelExport) {
    return (await this.findings(caller, ctx, parent)).checked;
  }

  @ResolveField(() => Boolean, {
    description: 'Whether every product of the export was checked: false past the newest 200,000 (counts cover those).',
    complexity: SEARCH,
  })
  async checkedAll(@Context() caller: CallerContext, @Ctx() ctx: BrandContext, @Parent() parent: ApiChannelExport) {
    return (await this.findings(caller, ctx, parent)).checkedAll;
  }

  @ResolveField(() => Int, {
    description: 'Products a required check of the channel leaves out of the export now.',
    complexity: SEARCH,
  })
  async leftOut(@Context() caller: CallerContext, @Ctx() ctx: BrandContext, @Parent() parent: ApiChannelExport) {
    return (await this.findings(caller, ctx, parent)).leftOut;
  }

  @ResolveField(() => [ExportCheckCount], {
    description: 'Products each check found, one entry per check that found any.',
    complexity: SEARCH,
  })
  async byCheck(@Context() caller: CallerContext, @Ctx() ctx: BrandContext, @Parent() parent: ApiChannelExport) {
    return (await this.findings(caller, ctx, parent)).byCheck;
  }

  @ResolveField(() => ChannelExportIssueConnection, {
    description: 'What the checks found, per product, a page at a time (50 by default, up to 500).',
    complexity: cost.connection(ISSUES_PAGE, SEARCH),
  })
  async issues(
    @Context() caller: CallerContext,
    @Ctx() ctx: BrandContext,
    @Parent() parent: ApiChannelExport,
    @Args() page: ConnectionArgs,
  ) {
    const { issues } = await this.findings(caller, ctx, parent);
    return toConnection(pageOfList(issues, pageRequest(page, ISSUES_PAGE)), (i) => ({
      ...i,
      id: toGlobalId('ChannelExportIssue', i.id),
      productId: toGlobalId('Product', i.productId),
    }));
  }

  @Mutation(() => ChannelExportPayload, {
    description:
      'Creates an export of the live catalog or one product set to a channel; its URL is in the answer, once.',
  })
  createChannelExport(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'The channel and, optionally, the set.' }) input: CreateChannelExportInput,
  ) {
    return mutationPayload(async () => {
      const { channelExport, token } = await this.exports.create(ctx, {
        channel: input.channel,
        productSetId: input.productSetId ? fromGlobalId(input.productSetId, 'ProductSet', 'productSetId') : null,
      });
      return { channelExport: channelExportView(channelExport), url: this.url(channelExport, token) };
    });
  }

  @Mutation(() => ChannelExportPayload, {
    description:
      'Gives an export a new token: the new URL is in the answer, once; the old one answers 404 from now on.',
  })
  rotateChannelExportToken(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'The export.' }) input: RotateChannelExportTokenInput,
  ) {
    return mutationPayload(async () => {
      const { channelExport, token } = await this.exports.rotate(
        ctx,
        fromGlobalId(input.channelExportId, 'ChannelExport', 'channelExportId'),
      );
      return { channelExport: channelExportView(channelExport), url: this.url(channelExport, token) };
    });
  }

  @Mutation(() => DeleteChannelExportPayload, { description: 'Deletes an export; its URL answers 404 from now on.' })
  deleteChannelExport(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'The export to delete.' }) input: DeleteChannelExportInput,
  ) {
    return mutationPayload(async () => {
      await this.exports.delete(ctx, fromGlobalId(input.channelExportId, 'ChannelExport', 'channelExportId'));
      return { deletedChannelExportId: input.channelExportId };
    });
  }
}
