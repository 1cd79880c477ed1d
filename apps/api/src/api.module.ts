import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { IncomingMessage } from 'node:http';
import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { parse, type ExecutionResult, type GraphQLError } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import { AccountsModule, AccountsService } from '@brandshelf/accounts';
import { CampaignsModule } from '@brandshelf/ads';
import { AffiliateModule } from '@brandshelf/affiliate';
import { AppError, newId, type RequestContext } from '@brandshelf/core';
import { PlatformModule, type Runtime } from '@brandshelf/runtime';
import { SearchModule } from '@brandshelf/search';
import { ShopifyWebhooksController } from './shopify/shopify-webhooks.controller.js';
import { ConversionsController } from './earnings/conversions.controller.js';
import { AuthGuard } from './graphql/auth.guard.js';
import { formatGraphQLError, formatSubscriptionError } from './graphql/format-error.js';
import { graphiqlLandingPage } from './graphql/graphiql.js';
import { NestingGuardMiddleware, nestingErrors } from './graphql/nesting-guard.js';
import { nulError, nulGuardPlugin, nulInOperation } from './graphql/nul-guard.js';
import { queryLimits } from './graphql/query-limits.js';
import { introspectionRefusal, withoutSuggestion } from './graphql/schema-exposure.js';
import type { CallerContext } from './graphql/request-context.decorator.js';
import { RequestLoaders } from './graphql/loaders.js';
import { scopedExecution } from './graphql/scoped-execution.js';
import { RESOLVERS, describeRootTypes } from './graphql/schema.js';
import { HEALTH_DATABASE_URL, HealthMonitor } from './overload/health-monitor.js';
import { overloadPlugin } from './overload/overload.plugin.js';
import { OverloadService } from './overload/overload.service.js';
import { RateLimitMiddleware } from './overload/rate-limit.middleware.js';
import { SearchDoorMiddleware } from './overload/search-door.js';
import { HealthController } from './http/health.controller.js';
import { RequestContextMiddleware, type ContextualRequest } from './http/request-context.middleware.js';
import { RunIssuesController } from './http/run-issues.controller.js';
import { UploadsController } from './http/uploads.controller.js';
import { ChannelExportsController } from './http/channel-exports.controller.js';

interface WsExtra {
  caller?: CallerContext;
  /** graphql-ws's: the HTTP request that opened the connection. */
  request?: IncomingMessage;
}

/** Subscriptions (graphql-ws) authenticate once per connection, from `connectionParams.authorization`. */
async function wsCaller(
  accounts: AccountsService,
  params: Record<string, unknown> | undefined,
  clientAddress: string,
): Promise<CallerContext> {
  const context: RequestContext = { requestId: newId(), principal: { kind: 'anonymous' } };
  const auth = params?.authorization ?? params?.Authorization;
  if (typeof auth !== 'string') return { context, clientAddress };
  const key = auth.replace(/^Bearer\s+/i, '');
  // A key revoked while the socket stays open must stop working on it as it does over HTTP, at once: every operation
  // (and every event of a subscription, scoped-execution.ts) authenticates it again through this.
  const reauthenticate = () => wsCaller(accounts, params, clientAddress);
  try {
    context.principal = await accounts.authenticate(key);
    return { context, reauthenticate, clientAddress };
  } catch (error) {
    return { context, authError: error instanceof AppError ? error : undefined, reauthenticate, clientAddress };
  }
}

/** Nest's option type omits graphql-ws's `onError`, which it passes through all the same. */
const SUBSCRIPTION_ERRORS: Pick<ServerOptions, 'onError'> = {
  onError: (_ctx, _id, _payload, errors: readonly GraphQLError[]) => errors.map(formatSubscriptionError),
};

/** One OverloadService per process, shared by the GraphQL plugin, the middleware and the upload endpoint. */
@Module({ providers: [OverloadService], exports: [OverloadService] })
export class OverloadModule {}

@Module({})
export class ApiModule implements NestModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    const { config } = runtime;
    const limits = queryLimits(config.graphql);
    return {
      module: ApiModule,
      imports: [
        PlatformModule.forRuntime(runtime, { consumeJobs: config.runWorkers }),
        SearchModule,
        AffiliateModule,
        CampaignsModule,
        OverloadModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [AccountsModule, OverloadModule],
          inject: [AccountsService, OverloadService],
          useFactory: (accounts: AccountsService, overload: OverloadService): ApolloDriverConfig => ({
            path: '/graphql',
            autoSchemaFile: true,
            sortSchema: true,
            transformSchema: describeRootTypes,
            playground: false,
            introspection: config.graphql.introspection,
            hideSchemaDetailsFromClientErrors: !config.graphql.fieldSuggestions,
            plugins: [
              // GraphiQL served from node_modules: Apollo's own landing page loads from a CDN.
              ...(config.graphql.ide ? [graphiqlLandingPage()] : []),
              limits.plugin,
              nulGuardPlugin,
              // Last: an operation refused by the limits above never takes a slot.
              overloadPlugin(overload),
            ],
            validationRules: limits.validationRules,
            formatError: formatGraphQLError,
            subscriptions: {
              'graphql-ws': {
                // Every operation, and every event of a subscription, runs as the connection's caller.
                ...scopedExecution(overload),
                onSubscribe: (ctx: unknown, id: string, payload: Parameters<typeof limits.onSubscribe>[2]) => {
                  const tooDeep = nestingErrors(payload.query, payload.variables);
                  if (tooDeep) return tooDeep;
                  const refused = limits.onSubscribe(ctx, id, payload);
                  if (refused) return config.graphql.fieldSuggestions ? refused : refused.map(withoutSuggestion);
                  const document = parse(payload.query);
                  const introspection = config.graphql.introspection ? null : introspectionRefusal(document);
                  if (introspection) return [introspection];
                  const where = nulInOperation(document, payload.variables);
                  return where ? [nulError(where)] : undefined;
                },
                onConnect: async (ctx: { connectionParams?: Record<string, unknown>; extra: unknown }) => {
                  const extra = ctx.extra as WsExtra;
                  const address = extra.request ? overload.clientAddressOf(extra.request) : 'unknown';
                  extra.caller = await wsCaller(accounts, ctx.connectionParams, address);
                  return true;
                },
                // Subscription results and errors bypass Apollo's formatError; give them the same codes.
                onNext: (_ctx: unknown, _id: string, _payload: unknown, _args: unknown, result: ExecutionResult) =>
                  result.errors?.length ? { ...result, errors: result.errors.map(formatSubscriptionError) } : undefined,
                ...SUBSCRIPTION_ERRORS,
              },
            },
            context: async ({ req, extra }: { req?: ContextualRequest; extra?: WsExtra }): Promise<CallerContext> => {
              if (req) return { context: req.context, authError: req.authError };
              const caller = extra?.caller;
              if (!caller) return { context: { requestId: newId(), principal: { kind: 'anonymous' } } };
              // graphql-ws: the key the connection opened with is checked again for each operation, as an HTTP
              // request's is; a key revoked since then answers UNAUTHENTICATED.
              return caller.reauthenticate ? caller.reauthenticate() : caller;
            },
          }),
        }),
      ],
      controllers: [
        HealthController,
        UploadsController,
        RunIssuesController,
        ShopifyWebhooksController,
        ConversionsController,
        ChannelExportsController,
      ],
      providers: [
        ...RESOLVERS,
        RequestLoaders,
        AuthGuard,
        HealthMonitor,
        { provide: HEALTH_DATABASE_URL, useValue: runtime.databaseUrl },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Rate limits count callers by account, so they come after authentication; catalog queries are refused
    // before GraphQL reads them while the search gate is full (a public search is anonymous: no key to look up).
    consumer.apply(RequestContextMiddleware, RateLimitMiddleware, SearchDoorMiddleware).forRoutes('*path');
    // Before Apollo: graphql-js parses documents and coerces variables recursively (nesting-guard.ts).
    consumer.apply(NestingGuardMiddleware).forRoutes('graphql');
  }
}
