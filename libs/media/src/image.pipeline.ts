import { createHash } from 'node:crypto';
import { buffer as readAll } from 'node:stream/consumers';
import {
  BlockedAddressError,
  HttpStatusError,
  NetError,
  type HostLimiter,
  type SafeHttpClient,
  type SafeResponse,
} from '@brandshelf/net';
import type { ObjectStorage } from '@brandshelf/storage';
import { contentKey } from './content-key.js';
import { ImageError } from './image.errors.js';
import { sniffImageFormat, SNIFF_BYTES, type ImageFormat, type RenditionFormat } from './image-format.js';
import { ImageProcessor, type ProcessedImage } from './image.processor.js';

export interface ImagePipelineOptions {
  http: SafeHttpClient;
  storage: ObjectStorage;
  processor?: ImageProcessor;
  /** Download cap per image. */
  maxBytes?: number;
  /** Downloads at once per host; none when absent. */
  limiter?: HostLimiter;
  /** Total time one download may take (see SafeGetOptions.deadlineMs); none when absent. */
  deadlineMs?: number;
}

/** What the previous fetch of this URL returned, to make the next one conditional. */
export interface PreviousFetch {
  etag?: string | null;
  lastModified?: string | null;
  sha256?: string | null;
}

export type ImageFetchStatus = 'PROCESSED' | 'DEDUPED' | 'NOT_MODIFIED';

export interface StoredRendition {
  size: number;
  width: number;
  height: number;
  key: string;
  url: string;
}

export interface StoredImage {
  /**
   * PROCESSED: new bytes, renditions made and stored. DEDUPED: these bytes were stored before (any URL),
   * nothing was reprocessed. NOT_MODIFIED: the server answered 304, nothing was downloaded.
   */
  status: ImageFetchStatus;
  /** Of the source bytes; the storage keys derive from it. */
  sha256: string;
  etag: string | null;
  lastModified: string | null;
  format: ImageFormat;
  /** Source size in bytes. */
  bytes: number;
  width: number;
  height: number;
  placeholder: string;
  dominantColor: string;
  renditions: StoredRendition[];
  jpegKey: string;
  jpegUrl: string;
  /** The JPEG is made from the largest rendition's pixels, so it has that rendition's size, not the source's. */
  jpegWidth: number;
  jpegHeight: number;
  /** Bytes the renditions (WebP and JPEG) take in storage; null for images stored before it was recorded. */
  storedBytes: number | null;
}

/** One entry of an image's rendition list as stored and served: the WebP renditions, then the JPEG. */
export interface RenditionEntry {
  /** Long-side bound in pixels: what the file actually measures on its long side. */
  size: number;
  width: number;
  height: number;
  format: RenditionFormat;
  url: string;
}

/** The WebP renditions smallest first, then the JPEG (the size of the largest WebP). */
export function renditionEntries(image: StoredImage): RenditionEntry[] {
  return [
    ...image.renditions.map(({ size, width, height, url }) => ({ size, width, height, format: 'webp' as const, url })),
    {
      size: Math.max(image.jpegWidth, image.jpegHeight),
      width: image.jpegWidth,
      height: image.jpegHeight,
      format: 'jpeg',
      url: image.jpegUrl,
    },
  ];
}

/** Stored last under each image, so its presence means every rendition is there. */
interface ImageManifest {
  version: 1;
  sha256: string;
  format: ImageFormat;
  bytes: number;
  width: number;
  height: number;
  placeholder: string;
  dominantColor: string;
  renditions: Array<{ size: number; width: number; height: number }>;
  jpeg: { width: number; height: number };
  /** Bytes of the renditions (not counting the manifest itself); absent in manifests written before it. */
  storedBytes?: number;
}

/** Address categories SsrfGuard unlocks only through an IP/CIDR entry, never through a host name. */
const BY_ADDRESS_ONLY = new Set(['metadata', 'unspecified', 'multicast']);
/** Keys are content-addressed: what is at a key never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const ACCEPT = 'image/webp,image/png,image/jpeg,image/*;q=0.8,*/*;q=0.5';

/**
 * Fetches a product image through the SSRF-safe client, hashes it while it streams in, and stores its
 * renditions under its content hash, once per distinct image however many URLs or runs point at it.
 */
export class ImagePipeline {
  private readonly http: SafeHttpClient;
  private readonly storage: ObjectStorage;
  private readonly processor: ImageProcessor;
  private readonly maxBytes: number;
  private readonly limiter?: HostLimiter;
  private readonly deadlineMs?: number;
  /** Images being processed right now, by hash: a second job with the same bytes waits instead of redoing it. */
  private readonly inflight = new Map<string, Promise<{ manifest: ImageManifest; processed: boolean }>>();

  constructor(options: ImagePipelineOptions) {
    this.http = options.http;
    this.storage = options.storage;
    this.processor = options.processor ?? new ImageProcessor();
    this.maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
    this.limiter = options.limiter;
    this.deadlineMs = options.deadlineMs;
  }

  /** Throws ImageError for anything wrong with the image or its URL; storage failures propagate as they are. */
  async fetchAndStore(url: string, previous?: PreviousFetch, signal?: AbortSignal): Promise<StoredImage> {
    // A 304 only helps if we know which stored image it confirms.
    const conditional = previous?.sha256 && (previous.etag || previous.lastModified) ? previous : undefined;
    const response = await this.request(url, conditional, signal);
    const validators = {
      etag: response.etag ?? conditional?.etag ?? null,
      lastModified: response.lastModified ?? conditional?.lastModified ?? null,
    };
    if (response.notModified && conditional?.sha256) {
      const manifest = await this.readManifest(conditional.sha256);
      if (manifest) return this.describe('NOT_MODIFIED', manifest, validators);
      // Storage lost what the 304 confirms (wiped volume, new bucket): fetch the bytes again.
      return this.fetchAndStore(url, undefined, signal);
    }
    const { bytes, sha256 } = await this.download(response, url);

    const running = this.inflight.get(sha256);
    if (running) return this.describe('DEDUPED', (await running).manifest, validators);
    // Registered before the first await, so a job with the same bytes arriving meanwhile joins this one.
    const work = this.storeOnce(sha256, bytes);
    this.inflight.set(sha256, work);
    try {
      const { manifest, processed } = await work;
      return this.describe(processed ? 'PROCESSED' : 'DEDUPED', manifest, validators);
    } finally {
      this.inflight.delete(sha256);
    }
  }

  private async storeOnce(sha256: string, bytes: Buffer): Promise<{ manifest: ImageManifest; processed: boolean }> {
    const stored = await this.readManifest(sha256);
    if (stored) return { manifest: stored, processed: false };
    return { manifest: await this.processAndStore(sha256, bytes), processed: true };
  }

  private async request(
    url: string,
    conditional: PreviousFetch | undefined,
    signal: AbortSignal | undefined,
  ): Promise<SafeResponse> {
    try {
      return await this.http.get(url, {
        signal,
        limiter: this.limiter,
        deadlineMs: this.deadlineMs,
        maxBytes: this.maxBytes,
        headers: { accept: ACCEPT },
        ifNoneMatch: conditional?.etag,
        ifModifiedSince: conditional?.lastModified,
      });
    } catch (error) {
      throw toImageError(error);
    }
  }

  /** Buffers one image (≤ maxBytes) while hashing it; gives up after the first bytes if they are no image. */
  private async download(response: SafeResponse, url: string): Promise<{ bytes: Buffer; sha256: string }> {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let length = 0;
    let sniffed = false;
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        hash.update(chunk);
        chunks.push(chunk);
        length += chunk.length;
        if (!sniffed && length >= SNIFF_BYTES) {
          sniffed = true;
          assertImage(Buffer.concat(chunks), url);
        }
      }
    } catch (error) {
      response.body.destroy();
      throw toImageError(error);
    }
    const bytes = Buffer.concat(chunks, length);
    if (!sniffed) assertImage(bytes, url);
    return { bytes, sha256: hash.digest('hex') };
  }

  private async processAndStore(sha256: string, bytes: Buffer): Promise<ImageManifest> {
    const image: ProcessedImage = await this.processor.process(bytes);
    const put = (key: string, body: Buffer, contentType: string) =>
      this.storage.put(key, body, { contentType, cacheControl: IMMUTABLE, contentLength: body.length });
    await Promise.all([
      ...image.renditions.map((r) => put(contentKey(sha256, r.size), r.buffer, 'image/webp')),
      put(contentKey(sha256, 'jpeg'), image.jpeg.buffer, 'image/jpeg'),
    ]);
    const manifest: ImageManifest = {
      version: 1,
      sha256,
      format: image.format,
      bytes: bytes.length,
      width: image.width,
      height: image.height,
      placeholder: image.placeholder,
      dominantColor: image.dominantColor,
      renditions: image.renditions.map(({ size, width, height }) => ({ size, width, height })),
      jpeg: { width: image.jpeg.width, height: image.jpeg.height },
      storedBytes: image.renditions.reduce((sum, r) => sum + r.buffer.length, image.jpeg.buffer.length),
    };
    await put(contentKey(sha256, 'manifest'), Buffer.from(JSON.stringify(manifest)), 'application/json');
    return manifest;
  }

  private async readManifest(sha256: string): Promise<ImageManifest | null> {
    const object = await this.storage.get(contentKey(sha256, 'manifest'));
    if (!object) return null;
    return JSON.parse((await readAll(object.body)).toString('utf8')) as ImageManifest;
  }

  private describe(
    status: ImageFetchStatus,
    manifest: ImageManifest,
    validators: { etag: string | null; lastModified: string | null },
  ): StoredImage {
    const { sha256 } = manifest;
    const jpegKey = contentKey(sha256, 'jpeg');
    return {
      status,
      sha256,
      ...validators,
      format: manifest.format,
      bytes: manifest.bytes,
      width: manifest.width,
      height: manifest.height,
      placeholder: manifest.placeholder,
      dominantColor: manifest.dominantColor,
      renditions: manifest.renditions.map((r) => {
        const key = contentKey(sha256, r.size);
        return { ...r, key, url: this.storage.publicUrl(key) };
      }),
      jpegKey,
      jpegUrl: this.storage.publicUrl(jpegKey),
      jpegWidth: manifest.jpeg.width,
      jpegHeight: manifest.jpeg.height,
      storedBytes: manifest.storedBytes ?? null,
    };
  }
}

function assertImage(head: Buffer, url: string): void {
  if (sniffImageFormat(head.subarray(0, SNIFF_BYTES))) return;
  const preview = head
    .subarray(0, 16)
    .toString('latin1')
    .replace(/[^\x20-\x7e]/g, '.');
  throw new ImageError(
    'IMAGE_UNSUPPORTED_FORMAT',
    `${url} is not a supported image (starts with ${JSON.stringify(preview)})`,
  );
}

/** Says how an operator allows the host: a name entry unlocks private and loopback, only an IP/CIDR entry the rest. */
function blockedMessage(error: BlockedAddressError): string {
  const entry = BY_ADDRESS_ONLY.has(error.category) ? error.address : error.hostname;
  return (
    `${error.message}. Image hosts must be public; to fetch from this host anyway, the server's operator adds it to ` +
    `the SSRF_ALLOW_HOSTS setting (SSRF_ALLOW_HOSTS=${entry}).`
  );
}

/** Network failures become the image codes a brand can act on; anything else is a bug and stays as it is. */
function toImageError(error: unknown): unknown {
  if (error instanceof ImageError || !(error instanceof NetError)) return error;
  switch (error.code) {
    case 'BLOCKED_ADDRESS':
      return new ImageError('IMAGE_BLOCKED_ADDRESS', blockedMessage(error as BlockedAddressError), { cause: error });
    case 'TOO_LARGE':
      return new ImageError('IMAGE_TOO_LARGE', error.message, { cause: error });
    default: {
      const httpStatus = error instanceof HttpStatusError ? error.status : undefined;
      return new ImageError('IMAGE_UNREACHABLE', `${error.code}: ${error.message}`, { cause: error, httpStatus });
    }
  }
}
