import type { ImageIssueCode } from '@brandshelf/catalog-rules';

/**
 * Stable codes stored as item issues, so a brand sees why an image was refused: the IMAGE codes of the catalogue
 * (libs/catalog-rules) but IMAGE_TOO_SMALL, which is a size check's finding (image-size.rule.ts), not an error.
 */
export type ImageErrorCode = Exclude<ImageIssueCode, 'IMAGE_TOO_SMALL'>;

export class ImageError extends Error {
  /** The HTTP status when IMAGE_UNREACHABLE comes from a non-2xx answer. */
  readonly httpStatus?: number;

  constructor(
    readonly code: ImageErrorCode,
    message: string,
    options: { cause?: unknown; httpStatus?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ImageError';
    this.httpStatus = options.httpStatus;
  }
}
