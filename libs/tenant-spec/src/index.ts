export * from './cidr.js';
export * from './fleet-config.js';
export * from './load.js';
export * from './problems.js';
export * from './regions.js';
export * from './schema.js';
export * from './subnet-layout.js';
export * from './json-schema.js';
