/** Monthly on-demand cost estimates from synthesized stacks, a price file and stated usage assumptions. */
export * from './estimate.js';
export * from './prices.js';
export * from './tenant.js';
export * from './usage.js';
export * from './table.js';
export * from './price-list.js';
export * from './aws-price-list.js';
