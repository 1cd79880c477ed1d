export * from './brand-scoped.repository.js';
export * from './data-source.js';
export * from './embedded-postgres.js';
export * from './keyset-page.js';
export * from './naming.strategy.js';
export * from './query-result.js';
export * from './table-owners.js';
export * from './pg-client.js';
export * from './tenancy.js';
/** The schema's history, in order (tests of an upgrade path run one migration down and up again). */
export { MIGRATIONS } from './migrations/index.js';
export {
  APP_ROLE,
  BULK_TABLES,
  COPY_TARGETS,
  GUARDED_THROUGH_PARENT,
  PUBLIC_TABLES,
  applyRowSecurity,
} from './migrations/1764000000030-row-level-security.js';
