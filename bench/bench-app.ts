import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AccountsService } from '@brandshelf/accounts';
import { systemBrandContext, type BrandContext } from '@brandshelf/core';
import { PlatformModule, type Runtime } from '@brandshelf/runtime';

@Module({})
class BenchModule {
  static forRuntime(runtime: Runtime, consumeJobs: boolean): DynamicModule {
    return { module: BenchModule, imports: [PlatformModule.forRuntime(runtime, { consumeJobs })] };
  }
}

/**
 * The platform's services on `runtime`, without HTTP, for a bench; with `consumeJobs` its jobs (image fetches) run
 * in this process. Registers a brand. The caller then calls `enterScope({ kind: 'brand', brandId })` itself (a
 * scope entered in here would end with this function's async context), so that what follows runs as the brand,
 * under row-level security, as its requests and a run's job do in production.
 */
export async function startBenchApp(
  runtime: Runtime,
  options: { consumeJobs?: boolean; brandName?: string } = {},
): Promise<{ app: INestApplicationContext; brandId: string; ctx: BrandContext }> {
  const app = await NestFactory.createApplicationContext(
    BenchModule.forRuntime(runtime, options.consumeJobs ?? false),
    {
      logger: runtime.logger,
    },
  );
  await app.init();
  const { brand } = await new AccountsService(runtime.dataSource).registerBrand({
    name: options.brandName ?? 'Bench',
    email: `bench-${Date.now()}@example.test`,
  });
  return { app, brandId: brand.id, ctx: systemBrandContext(brand.id) };
}
