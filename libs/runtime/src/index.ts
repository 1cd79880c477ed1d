export * from './config.module.js';
export * from './database.module.js';
export * from './platform.module.js';
export * from './registry.js';
export * from './runtime.js';
export * from './infra.module.js';
