export * from './mode.js';
export * from './paths.js';
export * from './synthesize.js';
export * from './tenant-stack.js';
export * from './synthesized-stack.js';
