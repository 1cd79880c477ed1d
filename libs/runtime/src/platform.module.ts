import { Module, type DynamicModule } from '@nestjs/common';
import { QueueModule } from '@brandshelf/queue';
import { ConfigModule } from './config.module.js';
import { DatabaseModule } from './database.module.js';
import { InfraModule } from './infra.module.js';
import { DOMAIN_MODULES, JOB_DEFINITIONS } from './registry.js';
import type { Runtime } from './runtime.js';

/** Configuration, database, queue, storage and the domain modules: what the api, worker and cli share. */
@Module({})
export class PlatformModule {
  static forRuntime(runtime: Runtime, options: { consumeJobs: boolean | readonly string[] }): DynamicModule {
    const { config } = runtime;
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forRoot(config, runtime.secretKey),
        DatabaseModule.forDataSource(runtime.dataSource),
        InfraModule.forConfig(config, runtime.lookup),
        QueueModule.forRoot({
          connectionString: runtime.databaseUrl,
          appRole: runtime.config.databaseAppRole,
          definitions: JOB_DEFINITIONS,
          consume: options.consumeJobs,
          concurrency: config.workerConcurrency,
          concurrencyByJob: { 'images.fetch': config.images.concurrency },
          shutdownTimeoutMs: config.shutdownTimeoutMs,
          leaseSeconds: config.jobLeaseSeconds,
        }),
        ...DOMAIN_MODULES,
      ],
      exports: DOMAIN_MODULES,
    };
  }
}
