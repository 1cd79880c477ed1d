import type { Readable } from 'node:stream';

export interface PutObjectOptions {
  contentType: string;
  cacheControl?: string;
  /** When given, a body of any other length fails the put and nothing is stored. */
  contentLength?: number;
}

export interface StoredObjectInfo {
  contentType: string;
  size: number;
  etag?: string;
  lastModified?: Date;
}

export interface StoredObject extends StoredObjectInfo {
  body: Readable;
}

/** Where media and exports live: local disk in embedded mode, S3 (or compatible) in production. */
export interface ObjectStorage {
  /** Streams the body; an object appears at the key only once it is complete. */
  put(key: string, body: Readable | Buffer, opts: PutObjectOptions): Promise<{ size: number }>;
  get(key: string): Promise<StoredObject | null>;
  head(key: string): Promise<StoredObjectInfo | null>;
  exists(key: string): Promise<boolean>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  deleteMany?(keys: string[]): Promise<void>;
  publicUrl(key: string): string;
}
