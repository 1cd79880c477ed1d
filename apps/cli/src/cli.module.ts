import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type Runtime } from '@brandshelf/runtime';

/** The libs without HTTP: the CLI runs the pipeline in its own process and works only the jobs named. */
@Module({})
export class CliModule {
  static forRuntime(runtime: Runtime, consumeJobs: readonly string[]): DynamicModule {
    return {
      module: CliModule,
      imports: [PlatformModule.forRuntime(runtime, { consumeJobs })],
    };
  }
}
