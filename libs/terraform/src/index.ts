export * from './binary.js';
export * from './cli-config.js';
export * from './deferred.js';
export * from './fabricated-state.js';
export * from './plan-summary.js';
export * from './runner.js';
export * from './offline.js';
export * from './stateful.js';
