import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type Runtime } from '@brandshelf/runtime';

/** The libs without HTTP or consumers: the CLI runs the pipeline in its own process. */
@Module({})
export class CliModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: CliModule,
      imports: [PlatformModule.forRuntime(runtime, { consumeJobs: false })],
    };
  }
}
