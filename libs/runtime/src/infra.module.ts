import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { FILE_STORAGE, MEDIA_STORAGE, type AppConfig } from '@brandshelf/core';
import { SafeHttpClient, SsrfGuard, type LookupAll } from '@brandshelf/net';
import { createStorage, type ObjectStorage } from '@brandshelf/storage';

export function createStorages(config: AppConfig): { files: ObjectStorage; media: ObjectStorage } {
  if (config.storage.driver === 's3') {
    const s3 = config.storage.s3;
    const options = {
      driver: 's3' as const,
      bucket: s3.bucket!,
      region: s3.region,
      endpoint: s3.endpoint ?? undefined,
      forcePathStyle: s3.forcePathStyle,
      accessKeyId: s3.accessKeyId ?? undefined,
      secretAccessKey: s3.secretAccessKey ?? undefined,
      publicBaseUrl: s3.publicBaseUrl ?? undefined,
    };
    // One bucket: media under img/ (the only prefix to make public), files under feeds/.
    const storage = createStorage(options);
    return { files: storage, media: storage };
  }
  return {
    files: createStorage({ driver: 'local', root: join(config.dataDir, 'files'), publicBaseUrl: 'file://private' }),
    media: createStorage({
      driver: 'local',
      root: join(config.dataDir, 'media'),
      publicBaseUrl: `${config.publicBaseUrl}/media`,
    }),
  };
}

export function createHttpClient(config: AppConfig, lookup?: LookupAll): SafeHttpClient {
  return new SafeHttpClient({
    guard: new SsrfGuard({ allowHosts: config.http.allowHosts, lookup }),
    connectTimeoutMs: config.http.connectTimeoutMs,
    readTimeoutMs: config.http.readTimeoutMs,
  });
}

@Injectable()
class InfraShutdown implements OnApplicationShutdown {
  constructor(@Inject(SafeHttpClient) private readonly http: SafeHttpClient) {}
  onApplicationShutdown(): void {
    this.http.close(); // keep-alive sockets would otherwise hold the process open
  }
}

/** Object storage and the SSRF-guarded HTTP client, built once from the settings. */
@Global()
@Module({})
export class InfraModule {
  static forConfig(config: AppConfig, lookup?: LookupAll): DynamicModule {
    const { files, media } = createStorages(config);
    return {
      module: InfraModule,
      providers: [
        { provide: FILE_STORAGE, useValue: files },
        { provide: MEDIA_STORAGE, useValue: media },
        { provide: SafeHttpClient, useValue: createHttpClient(config, lookup) },
        InfraShutdown,
      ],
      exports: [FILE_STORAGE, MEDIA_STORAGE, SafeHttpClient],
    };
  }
}
