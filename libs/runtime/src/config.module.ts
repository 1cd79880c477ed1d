import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG, SecretBox, type AppConfig } from '@brandshelf/core';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, secretKey: string): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: SecretBox, useValue: new SecretBox(secretKey) },
      ],
      exports: [APP_CONFIG, SecretBox],
    };
  }
}
