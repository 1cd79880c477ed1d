import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type Runtime } from '@brandshelf/runtime';

/** The same libs as the API without HTTP: queue consumers only. */
@Module({})
export class WorkerModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRuntime(runtime, { consumeJobs: true })],
    };
  }
}
