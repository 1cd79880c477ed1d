import { randomUUID } from 'node:crypto';
import { createWriteStream, type Stats } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectStorage, PutObjectOptions, StoredObject, StoredObjectInfo } from './object-storage.js';
import { assertValidKey, byteCounter, contentTypeForKey, encodeKeyForUrl } from './storage-key.js';

export interface LocalDiskStorageOptions {
  /** Directory holding the objects, e.g. `${DATA_DIR}/media`. */
  root: string;
  /** Where `root` is served, e.g. `http://localhost:3000/media`. */
  publicBaseUrl: string;
}

/** Temp files older than this are leftovers of a crash mid-write. */
const STALE_TEMP_MS = 60 * 60 * 1000;
const FALLBACK_CONTENT_TYPE = 'application/octet-stream';

/**
 * Objects as plain files under `root/<key>`. The content type comes from the key's extension; keys whose
 * extension is unknown keep the type given at put in a sidecar under `root/.meta/`. Serving stays one open()
 * per request for the common (image) case.
 */
export class LocalDiskStorage implements ObjectStorage {
  readonly root: string;
  private readonly publicBaseUrl: string;
  private readonly tempDir: string;
  private tempReady?: Promise<void>;

  constructor(options: LocalDiskStorageOptions) {
    this.root = options.root;
    this.publicBaseUrl = options.publicBaseUrl.replace(/\/+$/, '');
    this.tempDir = join(this.root, '.tmp');
  }

  async put(key: string, body: Readable | Buffer, opts: PutObjectOptions): Promise<{ size: number }> {
    assertValidKey(key);
    await (this.tempReady ??= this.prepareTempDir());
    // Written beside the final location's filesystem and renamed into place: a reader (or a crash) never sees
    // half an object at the key.
    const temp = join(this.tempDir, randomUUID());
    const counter = byteCounter(key, opts.contentLength);
    try {
      const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
      await pipeline(source, counter, createWriteStream(temp, { flags: 'wx', flush: true }));
      const path = this.pathFor(key);
      await mkdir(dirname(path), { recursive: true });
      if (!contentTypeForKey(key)) await this.writeSidecar(key, opts.contentType);
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { size: counter.bytes };
  }

  async get(key: string): Promise<StoredObject | null> {
    assertValidKey(key);
    const handle = await open(this.pathFor(key), 'r').catch(ifMissing(null));
    if (!handle) return null;
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) {
        await handle.close();
        return null;
      }
      const info = await this.describe(key, stats);
      return { ...info, body: handle.createReadStream() };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async head(key: string): Promise<StoredObjectInfo | null> {
    assertValidKey(key);
    const stats = await stat(this.pathFor(key)).catch(ifMissing(null));
    return stats?.isFile() ? this.describe(key, stats) : null;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await rm(this.pathFor(key), { force: true });
    if (!contentTypeForKey(key)) await rm(this.sidecarFor(key), { force: true });
  }

  async deleteMany(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 64) await Promise.all(keys.slice(i, i + 64).map((key) => this.delete(key)));
  }

  publicUrl(key: string): string {
    assertValidKey(key);
    return `${this.publicBaseUrl}/${encodeKeyForUrl(key)}`;
  }

  private pathFor(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  private sidecarFor(key: string): string {
    return join(this.root, '.meta', ...key.split('/')) + '.json';
  }

  private async describe(key: string, stats: Stats): Promise<StoredObjectInfo> {
    return {
      contentType: contentTypeForKey(key) ?? (await this.readSidecar(key)),
      size: stats.size,
      // Size and mtime change whenever the object is replaced; content-addressed keys never are.
      etag: `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`,
      lastModified: stats.mtime,
    };
  }

  private async readSidecar(key: string): Promise<string> {
    const text = await readFile(this.sidecarFor(key), 'utf8').catch(ifMissing(null));
    return text ? (JSON.parse(text) as { contentType: string }).contentType : FALLBACK_CONTENT_TYPE;
  }

  private async writeSidecar(key: string, contentType: string): Promise<void> {
    const path = this.sidecarFor(key);
    const temp = join(this.tempDir, randomUUID());
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, JSON.stringify({ contentType }));
    await rename(temp, path);
  }

  private async prepareTempDir(): Promise<void> {
    await mkdir(this.tempDir, { recursive: true });
    const cutoff = Date.now() - STALE_TEMP_MS;
    for (const name of await readdir(this.tempDir)) {
      const path = join(this.tempDir, name);
      const stats = await stat(path).catch(ifMissing(null));
      if (stats && stats.mtimeMs < cutoff) await rm(path, { force: true });
    }
  }
}

function ifMissing<T>(fallback: T): (error: NodeJS.ErrnoException) => T {
  return (error) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return fallback;
    throw error;
  };
}
