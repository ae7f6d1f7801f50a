export * from './exit-codes.js';
export * from './run-main.js';
export * from './workspace-root.js';
