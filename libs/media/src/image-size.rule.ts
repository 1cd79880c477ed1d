import type { ImageIssueCode, IssueSeverity } from '@brandshelf/catalog-rules';

export interface ImageSizeIssue {
  severity: IssueSeverity;
  code: Extract<ImageIssueCode, 'IMAGE_TOO_SMALL'>;
  message: string;
  hint: string;
}

export interface ImageSizeLimits {
  /** Either side below this rejects the image. */
  errorBelow: number;
  /** Either side below this accepts it with a warning. */
  warnBelow: number;
}

export const DEFAULT_IMAGE_SIZE_LIMITS: ImageSizeLimits = { errorBelow: 100, warnBelow: 500 };

/** A size problem is data for the item's issue list, not an exception: the caller decides what ERROR means. */
export function checkImageSize(
  image: { width: number; height: number },
  limits: ImageSizeLimits = DEFAULT_IMAGE_SIZE_LIMITS,
): ImageSizeIssue | null {
  const { width, height } = image;
  const shortSide = Math.min(width, height);
  if (shortSide < limits.errorBelow) {
    return {
      severity: 'ERROR',
      code: 'IMAGE_TOO_SMALL',
      message: `Image is ${width}×${height}; both sides must be at least ${limits.errorBelow} px.`,
      hint: `Link an image of at least ${limits.warnBelow}×${limits.warnBelow} px.`,
    };
  }
  if (shortSide < limits.warnBelow) {
    return {
      severity: 'WARNING',
      code: 'IMAGE_TOO_SMALL',
      message: `Image is ${width}×${height}; below ${limits.warnBelow}×${limits.warnBelow} px it looks blurry on large screens.`,
      hint: `Link an image of at least ${limits.warnBelow}×${limits.warnBelow} px.`,
    };
  }
  return null;
}
