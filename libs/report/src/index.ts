/** The fleet report: a self-contained static site (fleet, tenant and rollout pages), the architecture diagram, fleet cost. */
export * from './cost-fleet.js';
export * from './fleet-stacks.js';
