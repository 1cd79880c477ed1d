/** Stable codes stored as item issues, so a brand sees why an image was refused. */
export type ImageErrorCode =
  'IMAGE_UNREACHABLE' | 'IMAGE_BLOCKED_ADDRESS' | 'IMAGE_TOO_LARGE' | 'IMAGE_UNSUPPORTED_FORMAT' | 'IMAGE_CORRUPT';

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
