import type { S3Client } from '@aws-sdk/client-s3';
import { pipeline, type Readable } from 'node:stream';
import type { ObjectStorage, PutObjectOptions, StoredObject, StoredObjectInfo } from './object-storage.js';
import { assertLength, assertValidKey, byteCounter, encodeKeyForUrl } from './storage-key.js';

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** For S3-compatible services (MinIO, R2, s3rver); AWS itself needs none. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Without these the SDK's default chain (env, profile, instance role) applies. */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** CDN or bucket website in front of the objects, e.g. `https://cdn.example.com/media`. */
  publicBaseUrl?: string;
  /** Multipart part size for streamed bodies (S3 minimum 5 MiB). */
  partSizeBytes?: number;
  /** Parts uploaded in parallel per object; memory per streamed upload is about partSize × this. */
  uploadConcurrency?: number;
}

type S3Sdk = typeof import('@aws-sdk/client-s3');
type LibStorage = typeof import('@aws-sdk/lib-storage');

const MIN_PART_SIZE = 5 * 1024 * 1024;
const DELETE_BATCH = 1000;

/**
 * S3 (or compatible) storage. The SDK is imported on first use, so deployments on local disk never load it.
 * Buffers go up in one PutObject; streams go through lib-storage's Upload, which switches to multipart once
 * the body outgrows one part, so unknown lengths stream without being buffered whole.
 */
export class S3Storage implements ObjectStorage {
  private readonly options: S3StorageOptions;
  private sdk?: Promise<{ s3: S3Sdk; storage: LibStorage; client: S3Client }>;

  constructor(options: S3StorageOptions) {
    this.options = options;
  }

  async put(key: string, body: Readable | Buffer, opts: PutObjectOptions): Promise<{ size: number }> {
    assertValidKey(key);
    const { s3, storage, client } = await this.load();
    const params = {
      Bucket: this.options.bucket,
      Key: key,
      ContentType: opts.contentType,
      CacheControl: opts.cacheControl,
    };
    if (Buffer.isBuffer(body)) {
      assertLength(key, body.length, opts.contentLength);
      await client.send(new s3.PutObjectCommand({ ...params, Body: body, ContentLength: body.length }));
      return { size: body.length };
    }
    // The counter fails the stream on a length mismatch, which aborts the upload before it completes.
    const counter = byteCounter(key, opts.contentLength);
    const upload = new storage.Upload({
      client,
      params: { ...params, Body: pipeline(body, counter, () => undefined) },
      partSize: Math.max(MIN_PART_SIZE, this.options.partSizeBytes ?? 8 * 1024 * 1024),
      queueSize: this.options.uploadConcurrency ?? 4,
      leavePartsOnError: false,
    });
    await upload.done();
    return { size: counter.bytes };
  }

  async get(key: string): Promise<StoredObject | null> {
    assertValidKey(key);
    const { s3, client } = await this.load();
    try {
      const out = await client.send(new s3.GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return {
        body: out.Body as Readable,
        contentType: out.ContentType ?? 'application/octet-stream',
        size: out.ContentLength ?? 0,
        etag: out.ETag,
        lastModified: out.LastModified,
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async head(key: string): Promise<StoredObjectInfo | null> {
    assertValidKey(key);
    const { s3, client } = await this.load();
    try {
      const out = await client.send(new s3.HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return {
        contentType: out.ContentType ?? 'application/octet-stream',
        size: out.ContentLength ?? 0,
        etag: out.ETag,
        lastModified: out.LastModified,
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    const { s3, client } = await this.load();
    await client.send(new s3.DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }

  async deleteMany(keys: string[]): Promise<void> {
    keys.forEach(assertValidKey);
    const { s3, client } = await this.load();
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const objects = keys.slice(i, i + DELETE_BATCH).map((Key) => ({ Key }));
      const out = await client.send(
        new s3.DeleteObjectsCommand({ Bucket: this.options.bucket, Delete: { Objects: objects, Quiet: true } }),
      );
      const failed = out.Errors ?? [];
      if (failed.length)
        throw new Error(`S3 refused to delete ${failed.length} objects, e.g. ${failed[0].Key}: ${failed[0].Message}`);
    }
  }

  publicUrl(key: string): string {
    assertValidKey(key);
    const { publicBaseUrl, endpoint, bucket, region, forcePathStyle } = this.options;
    const path = encodeKeyForUrl(key);
    if (publicBaseUrl) return `${publicBaseUrl.replace(/\/+$/, '')}/${path}`;
    if (!endpoint) return `https://${bucket}.s3.${region}.amazonaws.com/${path}`;
    const base = new URL(endpoint);
    if (forcePathStyle) return `${base.origin}/${bucket}/${path}`;
    return `${base.protocol}//${bucket}.${base.host}/${path}`;
  }

  private load(): Promise<{ s3: S3Sdk; storage: LibStorage; client: S3Client }> {
    return (this.sdk ??= (async () => {
      const [s3, storage] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')]);
      const { region, endpoint, forcePathStyle, accessKeyId, secretAccessKey } = this.options;
      const client = new s3.S3Client({
        region,
        endpoint,
        forcePathStyle,
        credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
        // Many S3-compatible services reject the SDK's default CRC32 trailers; send checksums only where required.
        ...(endpoint
          ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
          : {}),
      });
      return { s3, storage, client };
    })());
  }

  /** Releases the SDK's sockets (shutdown, tests). */
  async close(): Promise<void> {
    if (this.sdk) (await this.sdk).client.destroy();
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}
