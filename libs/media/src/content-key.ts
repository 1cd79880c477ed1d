/** What to address under one source image: a WebP rendition by its size, the JPEG, or the manifest. */
export type RenditionName = number | 'jpeg' | 'manifest';

/**
 * Storage keys by the sha256 of the SOURCE bytes, fanned out over two directory levels:
 * `img/ab/cd/<sha256>/400.webp`, `.../full.jpg`, `.../manifest.json`. The same image at two URLs maps to the
 * same keys, so it is stored and processed once.
 */
export function contentKey(sha256hex: string, rendition: RenditionName): string {
  if (!/^[0-9a-f]{64}$/.test(sha256hex)) throw new Error(`Not a lowercase sha256 hex digest: ${sha256hex}`);
  const file =
    rendition === 'jpeg'
      ? 'full.jpg'
      : rendition === 'manifest'
        ? 'manifest.json'
        : Number.isInteger(rendition) && rendition > 0
          ? `${rendition}.webp`
          : null;
  if (!file) throw new Error(`Not a rendition: ${rendition}`);
  return `img/${sha256hex.slice(0, 2)}/${sha256hex.slice(2, 4)}/${sha256hex}/${file}`;
}
