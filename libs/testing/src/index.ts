export * from './test-api.js';
export * from './test-database.js';
export * from './ingestion-helpers.js';
export * from './catalog-seed.js';
export * from './listening-ports.js';
export * from './app-processes.js';
