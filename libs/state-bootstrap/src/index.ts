export * from './bootstrap.js';
export * from './state-bucket-stack.js';
