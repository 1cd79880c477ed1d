export type StorageErrorCode = 'INVALID_KEY' | 'SIZE_MISMATCH';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}
