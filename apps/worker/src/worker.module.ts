import { Module, type DynamicModule } from '@nestjs/common';
import { AccountsModule } from '@brandshelf/accounts';
import { CatalogModule } from '@brandshelf/catalog';
import { IngestionModule } from '@brandshelf/ingestion';
import { PlatformModule, type Runtime } from '@brandshelf/runtime';
import { ShopifyModule } from '@brandshelf/shopify';

/** The same libs as the API without HTTP: queue consumers only. */
@Module({})
export class WorkerModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRuntime(runtime, { consumeJobs: true }),
        AccountsModule,
        IngestionModule,
        CatalogModule,
        ShopifyModule,
      ],
    };
  }
}
