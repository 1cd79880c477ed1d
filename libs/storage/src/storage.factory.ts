import { LocalDiskStorage, type LocalDiskStorageOptions } from './local-disk.storage.js';
import type { ObjectStorage } from './object-storage.js';
import { S3Storage, type S3StorageOptions } from './s3.storage.js';

export type StorageSettings = ({ driver: 'local' } & LocalDiskStorageOptions) | ({ driver: 's3' } & S3StorageOptions);

export function createStorage(settings: StorageSettings): ObjectStorage {
  switch (settings.driver) {
    case 'local':
      return new LocalDiskStorage(settings);
    case 's3':
      return new S3Storage(settings);
    default:
      throw new Error(`Unknown storage driver ${JSON.stringify((settings as { driver: unknown }).driver)}`);
  }
}
