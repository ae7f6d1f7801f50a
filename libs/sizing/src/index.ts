export * from './bands.js';
export * from './size.js';
export * from './table.js';
