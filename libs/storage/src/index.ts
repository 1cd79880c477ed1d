export * from './local-disk.storage.js';
export * from './media.handler.js';
export * from './object-storage.js';
export * from './s3.storage.js';
export * from './storage-key.js';
export * from './storage.errors.js';
export * from './storage.factory.js';
