export * from './content-key.js';
export * from './image-format.js';
export * from './image-size.rule.js';
export * from './image.errors.js';
export * from './image.pipeline.js';
export * from './image.processor.js';
export * from './creative.renderer.js';
