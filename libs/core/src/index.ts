export * from './config.js';
export * from './context.js';
export * from './errors.js';
export * from './ids.js';
export * from './logger.js';
export * from './secret-box.js';
export * from './tokens.js';
export * from './time.js';
