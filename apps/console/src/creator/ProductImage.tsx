import { useMemo, useState } from 'react';
import { thumbHashToDataURL } from 'thumbhash';

export interface ImageData {
  url: string;
  width?: number | null;
  height?: number | null;
  placeholder?: string | null;
  dominantColor?: string | null;
  renditions: readonly { size: number; width: number; format: string; url: string }[];
}

/** The ThumbHash as a tiny PNG data URL: drawn at once, before a byte of the image has arrived. */
function placeholderUrl(hash: string | null | undefined): string | undefined {
  if (!hash) return undefined;
  try {
    return thumbHashToDataURL(Uint8Array.from(atob(hash), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/**
 * A product image for a slow connection: the renditions as a srcset (the browser picks the smallest that fills
 * `sizes`, WebP first), the ThumbHash (else the dominant colour) behind it while it loads, lazy below the fold.
 * Without an image (not processed yet, or none) a neutral placeholder keeps the grid steady.
 */
export function ProductImage({
  image,
  alt,
  sizes,
  eager = false,
}: {
  image: ImageData | undefined;
  alt: string;
  sizes: string;
  eager?: boolean;
}) {
  const [loaded, setLoaded] = useState(false);
  const background = useMemo(() => placeholderUrl(image?.placeholder), [image?.placeholder]);
  if (!image) {
    return (
      <div className="img-frame empty" role="img" aria-label={`${alt}: no image yet`}>
        <span aria-hidden="true">No image</span>
      </div>
    );
  }
  const webp = image.renditions.filter((r) => r.format === 'webp');
  const chosen = webp.length ? webp : image.renditions;
  const srcSet = chosen.map((r) => `${r.url} ${r.width}w`).join(', ');
  const smallest = [...chosen].sort((a, b) => a.width - b.width)[0];
  return (
    <div
      className="img-frame"
      style={{
        backgroundColor: image.dominantColor ?? '#e5e7eb',
        backgroundImage: !loaded && background ? `url(${background})` : undefined,
        aspectRatio: image.width && image.height ? `${image.width} / ${image.height}` : '1 / 1',
      }}
    >
      <img
        src={smallest?.url ?? image.url}
        srcSet={srcSet || undefined}
        sizes={sizes}
        alt={alt}
        loading={eager ? 'eager' : 'lazy'}
        decoding="async"
        width={image.width ?? undefined}
        height={image.height ?? undefined}
        onLoad={() => setLoaded(true)}
        style={{ opacity: loaded ? 1 : 0 }}
      />
    </div>
  );
}
