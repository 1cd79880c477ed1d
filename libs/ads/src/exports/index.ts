export * from './channel-export.entity.js';
export * from './channel-exports.service.js';
export * from './channels.js';
