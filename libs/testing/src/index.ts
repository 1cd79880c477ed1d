export * from './test-api.js';
export * from './test-database.js';
export * from './ingestion-helpers.js';
export * from './catalog-seed.js';
export * from './listening-ports.js';
/** A loopback stand-in for Shopify's Admin API (GraphQL, bulk operations, webhooks), for tests. */
export * from './fake-shopify-admin.js';
export * from './app-processes.js';
/** TEST FIXTURE: share links and clicks inserted directly (stands in for libs/affiliate in earnings tests). */
export * from './affiliate-fixture.js';
export * from './global-ids.js';
export * from './system-view.js';
/** Run counts and seeds of the end-to-end fuzz suites (FUZZ_RUNS, FUZZ_SEED). */
export * from './fuzz.js';
/** The Chromium of the browser tests; skip without one locally, fail without one in CI. */
export * from './browser.js';
export * from './process-cluster.js';
