export * from './profile.js';
export * from './registry.js';
export * from './runtime-parameters.js';
