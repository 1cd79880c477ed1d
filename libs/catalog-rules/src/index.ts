export * from './attribute-table.js';
export * from './issue.js';
