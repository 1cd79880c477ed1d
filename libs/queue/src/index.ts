export * from './job.definition.js';
export * from './queue.module.js';
export * from './queue.service.js';
