/** The fleet report: a self-contained static site (fleet, tenant and rollout pages), the architecture diagram, fleet cost. */
export * from './cost-fleet.js';
export * from './fleet-stacks.js';
export * from './build.js';
export * from './collect.js';
export * from './diagram/architecture.js';
export * from './diagram/dot.js';
export * from './diagram/render.js';
export type { FleetRow } from './site/fleet-page.js';
