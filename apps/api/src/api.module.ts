import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { AccountsModule } from '@brandshelf/accounts';
import type { RequestContext } from '@brandshelf/core';
import { PlatformModule, type Runtime } from '@brandshelf/runtime';
import { AuthGuard } from './graphql/auth.guard.js';
import { formatGraphQLError } from './graphql/format-error.js';
import { queryLimitRules } from './graphql/query-limits.js';
import type { CallerContext } from './graphql/request-context.decorator.js';
import { RESOLVERS } from './graphql/schema.js';
import { HealthController } from './http/health.controller.js';
import { RequestContextMiddleware, type ContextualRequest } from './http/request-context.middleware.js';

const anonymous = (): RequestContext => ({ requestId: 'ws', principal: { kind: 'anonymous' } });

@Module({})
export class ApiModule implements NestModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    const { config } = runtime;
    return {
      module: ApiModule,
      imports: [
        PlatformModule.forRuntime(runtime, { consumeJobs: config.runWorkers }),
        AccountsModule,
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          playground: false,
          introspection: true,
          plugins: [ApolloServerPluginLandingPageLocalDefault({ embed: true })],
          validationRules: queryLimitRules(config.graphql.maxDepth, config.graphql.maxComplexity),
          formatError: formatGraphQLError,
          context: ({ req, extra }: { req?: ContextualRequest; extra?: { caller?: CallerContext } }): CallerContext =>
            req ? { context: req.context, authError: req.authError } : (extra?.caller ?? { context: anonymous() }),
        }),
      ],
      controllers: [HealthController],
      providers: [...RESOLVERS, AuthGuard],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes('*path');
  }
}
