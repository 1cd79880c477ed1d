/** Private files (uploaded and fetched feeds, exports): never served publicly. */
export const FILE_STORAGE = Symbol('FILE_STORAGE');
/** Public media (image renditions): served at /media or from the bucket's public URL. */
export const MEDIA_STORAGE = Symbol('MEDIA_STORAGE');
