export * from './for-each-tenant.js';
export * from './plan.js';
export * from './table.js';
export * from './tenant-terraform.js';
export * from './validate.js';
