import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { QUEUE_SETTINGS, QueueService, type QueueSettings } from './queue.service.js';

@Module({})
export class QueueModule {
  static forRoot(settings: QueueSettings): DynamicModule {
    return {
      module: QueueModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [{ provide: QUEUE_SETTINGS, useValue: settings }, QueueService],
      exports: [QueueService],
    };
  }
}
