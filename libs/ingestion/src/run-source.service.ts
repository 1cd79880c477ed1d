import { Inject, Injectable } from '@nestjs/common';
import { Transform, type Readable } from 'node:stream';
import { APP_CONFIG, AppError, FILE_STORAGE, newId, type AppConfig } from '@brandshelf/core';
import type { ObjectStorage } from '@brandshelf/storage';
import { BrandStorageService, type StorageUsage } from './brand-storage.service.js';

/** How much a new source of a brand may take: UPLOAD_MAX_BYTES, or less when the quota leaves less. */
export interface SourceRoom {
  brandId: string;
  usage: StorageUsage;
  /** The most bytes the file may have. */
  maxBytes: number;
  /** Whether the quota, not UPLOAD_MAX_BYTES, sets maxBytes. */
  quotaBound: boolean;
}

/** A run's source file once stored. */
export interface StoredSource {
  runId: string;
  key: string;
  bytes: number;
}

export interface PutSourceOptions {
  /** Passed to storage when known (a local file's size). */
  contentLength?: number;
  /** A stage the bytes pass on their way (a run's progress counter). */
  through?: Transform;
  /**
   * Whether to refuse the stream once it passes the room (PAYLOAD_TOO_LARGE or QUOTA_EXCEEDED); false when the
   * sender already stops there (the URL fetch's client, given room.maxBytes).
   */
  enforce?: boolean;
}

/**
 * The one way a file arrives for a run (an upload, the CLI, a URL feed's fetch): it is streamed, never held
 * whole, to `feeds/<brand>/<run>/source`, counted, and kept within UPLOAD_MAX_BYTES and the brand's storage
 * quota (BrandStorageService); a refused or broken file leaves no object behind.
 */
@Injectable()
export class RunSourceService {
  constructor(
    @Inject(FILE_STORAGE) private readonly files: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BrandStorageService) private readonly storage: BrandStorageService,
  ) {}

  static keyOf(brandId: string, runId: string): string {
    return `feeds/${brandId}/${runId}/source`;
  }

  tooLarge(): AppError {
    const limit = this.config.uploads.maxBytes;
    return new AppError('PAYLOAD_TOO_LARGE', `The file is larger than the upload limit of ${limit} bytes.`, { limit });
  }

  /**
   * The room for a new source of the brand. A declared length over it is refused at once, before anything is
   * read: PAYLOAD_TOO_LARGE over UPLOAD_MAX_BYTES (checked before the quota is read), QUOTA_EXCEEDED over what
   * the quota leaves.
   */
  async room(brandId: string, declaredBytes?: number): Promise<SourceRoom> {
    const limit = this.config.uploads.maxBytes;
    const declared = declaredBytes !== undefined && Number.isFinite(declaredBytes) ? declaredBytes : null;
    if (declared !== null && declared > limit) throw this.tooLarge();
    const usage = await this.storage.usage(brandId);
    const remaining = usage.remainingBytes;
    if (remaining !== null && declared !== null && declared > remaining) {
      throw this.storage.quotaExceeded(usage, declared);
    }
    const quotaBound = remaining !== null && remaining < limit;
    return { brandId, usage, maxBytes: quotaBound ? remaining : limit, quotaBound };
  }

  /**
   * Streams `body` to the run's source key. Past the room the put fails with PAYLOAD_TOO_LARGE or
   * QUOTA_EXCEEDED (unless `enforce` is false); on any failure the partial object is removed and the error
   * (its AppError cause, when storage wrapped one) is thrown.
   */
  async put(room: SourceRoom, runId: string, body: Readable, options: PutSourceOptions = {}): Promise<StoredSource> {
    const key = RunSourceService.keyOf(room.brandId, runId);
    const enforce = options.enforce ?? true;
    let bytes = 0;
    const refusal = () => (room.quotaBound ? this.storage.quotaExceeded(room.usage) : this.tooLarge());
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        if (enforce && bytes > room.maxBytes) return callback(refusal());
        callback(null, chunk);
      },
    });
    body.on('error', (error) => counted.destroy(error));
    let stream: Readable = body.pipe(counted);
    if (options.through) {
      const through = options.through;
      counted.on('error', (error) => through.destroy(error));
      stream = counted.pipe(through);
    }
    stream.on('error', () => undefined); // surfaced through put() below
    try {
      await this.files.put(key, stream, {
        contentType: 'application/octet-stream',
        ...(options.contentLength !== undefined ? { contentLength: options.contentLength } : {}),
      });
    } catch (error) {
      await this.files.delete(key).catch(() => undefined);
      const cause = (error as { cause?: unknown }).cause;
      throw !(error instanceof AppError) && cause instanceof AppError ? cause : error;
    }
    return { runId, key, bytes };
  }

  /**
   * A file arriving for a new run: stored under a fresh run id, then `record` creates the run with it. When
   * the run is refused (the feed already has one queued or running), the file is deleted and the refusal thrown.
   */
  async receive<T>(
    room: SourceRoom,
    body: Readable,
    record: (source: StoredSource) => Promise<T>,
    options: PutSourceOptions = {},
  ): Promise<T> {
    const source = await this.put(room, newId(), body, options);
    try {
      return await record(source);
    } catch (error) {
      await this.files.delete(source.key).catch(() => undefined);
      throw error;
    }
  }
}
