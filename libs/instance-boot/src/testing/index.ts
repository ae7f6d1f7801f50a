export * from './boot-harness.js';
export * from './fixtures.js';
export * from './stack-boot.js';
