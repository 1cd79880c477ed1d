import { Module, type DynamicModule } from '@nestjs/common';
import { CatalogModule } from '@brandshelf/catalog';
import { IngestionModule } from '@brandshelf/ingestion';
import { PlatformModule, type Runtime } from '@brandshelf/runtime';
import { ShopifyModule } from '@brandshelf/shopify';

/** The libs without HTTP or consumers: the CLI runs the pipeline in its own process. */
@Module({})
export class CliModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: CliModule,
      imports: [
        PlatformModule.forRuntime(runtime, { consumeJobs: false }),
        IngestionModule,
        CatalogModule,
        ShopifyModule,
      ],
    };
  }
}
