import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { thumbHashToApproximateAspectRatio } from 'thumbhash';
import { contentKey } from './content-key.js';
import { ImageError } from './image.errors.js';
import { sniffImageFormat } from './image-format.js';
import { ImageProcessor } from './image.processor.js';
import { checkImageSize } from './image-size.rule.js';

const solid = (width: number, height: number, background = { r: 200, g: 30, b: 40 }, channels: 3 | 4 = 3) =>
  sharp({
    create: { width, height, channels, background: channels === 4 ? { ...background, alpha: 0.5 } : background },
  });

/** A left/right split image: the orientation of the output shows whether EXIF rotation was applied. */
async function halves(width: number, height: number): Promise<Sharp> {
  const left = await solid(Math.floor(width / 2), height, { r: 255, g: 0, b: 0 })
    .png()
    .toBuffer();
  return solid(width, height, { r: 0, g: 0, b: 255 }).composite([{ input: left, left: 0, top: 0 }]);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof ImageError) return error.code;
    throw error;
  }
}

describe('sniffImageFormat', () => {
  it('recognises formats by magic bytes', async () => {
    const small = solid(8, 8);
    expect(sniffImageFormat(await small.clone().jpeg().toBuffer())).toBe('jpeg');
    expect(sniffImageFormat(await small.clone().png().toBuffer())).toBe('png');
    expect(sniffImageFormat(await small.clone().webp().toBuffer())).toBe('webp');
    expect(sniffImageFormat(await small.clone().gif().toBuffer())).toBe('gif');
    expect(sniffImageFormat(await small.clone().tiff().toBuffer())).toBe('tiff');
    expect(sniffImageFormat(await small.clone().avif({ effort: 0 }).toBuffer())).toBe('avif');
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic')]);
    expect(sniffImageFormat(heic)).toBe('heif');
  });

  it.each([
    ['SVG', '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'],
    ['XML SVG', '<?xml version="1.0"?><svg/>'],
    ['HTML', '<!doctype html><html><body>Not found</body></html>'],
    ['text', 'hello world'],
    ['PDF', '%PDF-1.7\n'],
    ['BMP', 'BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00'],
    ['empty', ''],
    ['MP4', '\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2'],
  ])('refuses %s', (_name, text) => {
    expect(sniffImageFormat(Buffer.from(text, 'latin1'))).toBeNull();
  });
});

describe('contentKey', () => {
  const sha = 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789';
  it('fans keys out by the source hash', () => {
    expect(contentKey(sha, 400)).toBe(`img/ab/cd/${sha}/400.webp`);
    expect(contentKey(sha, 'jpeg')).toBe(`img/ab/cd/${sha}/full.jpg`);
    expect(contentKey(sha, 'manifest')).toBe(`img/ab/cd/${sha}/manifest.json`);
  });
  it('refuses anything but a sha256 digest and a rendition', () => {
    expect(() => contentKey('../../etc', 400)).toThrow();
    expect(() => contentKey(sha.toUpperCase(), 400)).toThrow();
    expect(() => contentKey(sha, 0)).toThrow();
  });
});

describe('checkImageSize', () => {
  it('errors under 100×100, warns under 500×500', () => {
    expect(checkImageSize({ width: 60, height: 60 })).toMatchObject({ severity: 'ERROR', code: 'IMAGE_TOO_SMALL' });
    expect(checkImageSize({ width: 1000, height: 99 })).toMatchObject({ severity: 'ERROR' });
    expect(checkImageSize({ width: 300, height: 300 })).toMatchObject({ severity: 'WARNING', code: 'IMAGE_TOO_SMALL' });
    expect(checkImageSize({ width: 500, height: 500 })).toBeNull();
  });
});

describe('ImageProcessor', () => {
  const processor = new ImageProcessor();

  it('plans renditions without upscaling', () => {
    expect(processor.sizesFor(2000)).toEqual([160, 400, 800, 1600]);
    expect(processor.sizesFor(1600)).toEqual([160, 400, 800, 1600]);
    expect(processor.sizesFor(700)).toEqual([160, 400, 700]);
    expect(processor.sizesFor(400)).toEqual([160, 400]);
    expect(processor.sizesFor(120)).toEqual([120]);
  });

  it('auto-rotates by EXIF orientation, then derives WebP renditions and a JPEG from one decode', async () => {
    // Stored 1200×800 landscape with orientation 6 (rotate 90° clockwise to display): shown as 800×1200.
    const source = await (await halves(1200, 800)).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toBuffer();
    const result = await processor.process(source);
    expect(result).toMatchObject({ format: 'jpeg', width: 800, height: 1200 });
    expect(result.renditions.map((r) => [r.size, r.width, r.height])).toEqual([
      [160, 107, 160],
      [400, 267, 400],
      [800, 533, 800],
      [1200, 800, 1200],
    ]);
    for (const rendition of result.renditions) {
      const meta = await sharp(rendition.buffer).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', rendition.width, rendition.height]);
    }
    const jpeg = await sharp(result.jpeg.buffer).metadata();
    expect([jpeg.format, jpeg.width, jpeg.height]).toEqual(['jpeg', 800, 1200]);
    // The red half was on the left of the stored image; after rotating clockwise it is on top.
    const { data } = await sharp(result.jpeg.buffer)
      .resize(2, 2, { fit: 'fill' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(200); // top-left red
    expect(data[6 + 2]).toBeGreaterThan(200); // bottom-left blue
  });

  it('strips EXIF, XMP and ICC metadata from every output', async () => {
    const source = await solid(900, 600)
      .jpeg()
      .withExif({ IFD0: { Copyright: 'Brand Inc', Artist: 'Someone' } })
      .withIccProfile('p3')
      .toBuffer();
    expect((await sharp(source).metadata()).exif).toBeDefined();
    const result = await processor.process(source);
    for (const buffer of [...result.renditions.map((r) => r.buffer), result.jpeg.buffer]) {
      const meta = await sharp(buffer).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(meta.space).toBe('srgb');
    }
  });

  it('keeps transparency in WebP and flattens it onto white for JPEG', async () => {
    const source = await solid(700, 500, { r: 0, g: 128, b: 0 }, 4).png().toBuffer();
    const result = await processor.process(source);
    expect(result.format).toBe('png');
    expect(result.renditions.map((r) => r.size)).toEqual([160, 400, 700]);
    expect((await sharp(result.renditions[2].buffer).metadata()).hasAlpha).toBe(true);
    const jpeg = await sharp(result.jpeg.buffer).metadata();
    expect([jpeg.hasAlpha, jpeg.width, jpeg.height]).toEqual([false, 700, 500]);
  });

  it('computes a ThumbHash placeholder and the dominant colour', async () => {
    const result = await processor.process(await solid(1000, 500, { r: 200, g: 30, b: 40 }).png().toBuffer());
    expect(result.dominantColor).toBe('#c81e28');
    const hash = Buffer.from(result.placeholder, 'base64');
    expect(hash.length).toBeGreaterThan(5);
    expect(thumbHashToApproximateAspectRatio(hash)).toBeCloseTo(2, 0);
  });

  it('decodes every accepted format, including 16-bit PNG, from a buffer or a path', async () => {
    const base = solid(300, 200);
    const inputs: Array<[string, Buffer]> = [
      ['webp', await base.clone().webp().toBuffer()],
      ['gif', await base.clone().gif().toBuffer()],
      ['tiff', await base.clone().tiff().toBuffer()],
      ['avif', await base.clone().avif({ effort: 0 }).toBuffer()],
      ['png', await base.clone().toColourspace('rgb16').png().toBuffer()],
    ];
    for (const [format, buffer] of inputs) {
      const result = await processor.process(buffer);
      expect([result.format, result.width, result.height]).toEqual([format, 300, 200]);
      expect((await sharp(result.renditions.at(-1)!.buffer).metadata()).depth).toBe('uchar');
    }
    const dir = await mkdtemp(join(tmpdir(), 'brandshelf-img-'));
    const path = join(dir, 'photo.bin');
    await writeFile(path, await base.clone().jpeg().toBuffer());
    expect((await processor.process(path)).format).toBe('jpeg');
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses SVG, BMP, HTML and text as IMAGE_UNSUPPORTED_FORMAT', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="500" height="500"><rect width="500" height="500"/></svg>',
    );
    expect(await codeOf(processor.process(svg))).toBe('IMAGE_UNSUPPORTED_FORMAT');
    expect(await codeOf(processor.process(Buffer.from('<html><body>404</body></html>')))).toBe(
      'IMAGE_UNSUPPORTED_FORMAT',
    );
    expect(await codeOf(processor.process(Buffer.from('just text')))).toBe('IMAGE_UNSUPPORTED_FORMAT');
    expect(await codeOf(processor.process(Buffer.alloc(0)))).toBe('IMAGE_UNSUPPORTED_FORMAT');
    const bmp = Buffer.alloc(70);
    bmp.write('BM', 0, 'latin1');
    expect(await codeOf(processor.process(bmp))).toBe('IMAGE_UNSUPPORTED_FORMAT');
  });

  it('reports a truncated JPEG as IMAGE_CORRUPT', async () => {
    const whole = await (await halves(800, 800)).jpeg().toBuffer();
    expect(await codeOf(processor.process(whole.subarray(0, Math.floor(whole.length * 0.6))))).toBe('IMAGE_CORRUPT');
    const garbage = Buffer.concat([whole.subarray(0, 20), Buffer.alloc(2000, 0x55)]);
    expect(await codeOf(processor.process(garbage))).toBe('IMAGE_CORRUPT');
  });

  it('refuses images over the pixel limit before decoding them, and bodies over the byte cap', async () => {
    const huge = await sharp({ create: { width: 9000, height: 9000, channels: 3, background: '#fff' } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    const started = Date.now();
    const error = (await processor.process(huge).catch((e: unknown) => e)) as ImageError;
    expect(error).toMatchObject({ code: 'IMAGE_TOO_LARGE' });
    expect(error.message).toMatch(/81000000 pixels/);
    expect(Date.now() - started).toBeLessThan(1000);
    const strict = new ImageProcessor({ limitInputPixels: 10_000 });
    expect(await codeOf(strict.process(await solid(200, 200).png().toBuffer()))).toBe('IMAGE_TOO_LARGE');
    const tiny = new ImageProcessor({ maxInputBytes: 100 });
    expect(await codeOf(tiny.process(await solid(200, 200).jpeg().toBuffer()))).toBe('IMAGE_TOO_LARGE');
  });
});
