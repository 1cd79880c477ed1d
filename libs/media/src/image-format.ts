/** Formats a rendition is stored in: WebP sizes and one JPEG (the GraphQL enum RenditionFormat derives from it). */
export const RENDITION_FORMATS = ['webp', 'jpeg'] as const;
export type RenditionFormat = (typeof RENDITION_FORMATS)[number];

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'tiff' | 'heif';

/** Bytes needed to recognise every supported format (the ISO-BMFF ftyp box may list brands further in). */
export const SNIFF_BYTES = 64;

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

/**
 * The image format from the magic bytes, or null for anything else (SVG, BMP, HTML, text, PDF...). The
 * server's Content-Type and the URL's extension are never trusted.
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'png';
  }
  const ascii = (start: number, end: number) => b.subarray(start, end).toString('latin1');
  if (b.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return 'gif';
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (b.length >= 4 && (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*')) return 'tiff';
  if (b.length >= 12 && ascii(4, 8) === 'ftyp') return isoBmffFormat(b);
  return null;
}

function isoBmffFormat(b: Buffer): ImageFormat | null {
  const boxSize = Math.min(b.readUInt32BE(0), b.length);
  const brands = [b.subarray(8, 12).toString('latin1')];
  for (let offset = 16; offset + 4 <= boxSize; offset += 4)
    brands.push(b.subarray(offset, offset + 4).toString('latin1'));
  if (brands.some((brand) => AVIF_BRANDS.has(brand))) return 'avif';
  if (brands.some((brand) => HEIF_BRANDS.has(brand))) return 'heif';
  return null;
}
