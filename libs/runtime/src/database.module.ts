import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Hands the DataSource that boot already connected and migrated to Nest (and @InjectRepository, whose
 * TypeOrmModule.forFeature providers inject it by its class). The runtime owns it and closes it after the
 * application (Runtime.close()), not Nest: TypeOrmModule.forRoot's module destroyed it in its own
 * onApplicationShutdown, which Nest calls before the queue's and the click recorders' (a deeper module first), so
 * a worker told to stop (SIGTERM) had its running jobs fail at once on "Cannot use a pool after calling end on
 * the pool" instead of finishing within SHUTDOWN_TIMEOUT_MS.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forDataSource(dataSource: DataSource): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DataSource, useValue: dataSource },
        { provide: EntityManager, useValue: dataSource.manager },
      ],
      exports: [DataSource, EntityManager],
    };
  }
}
