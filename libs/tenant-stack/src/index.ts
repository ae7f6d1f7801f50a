export * from './mode.js';
export * from './synthesize.js';
export { TENANTS_PER_THREAD } from './synth-threads.js';
export * from './tenant-stack.js';
// The JSON view moved to guardrails (which synthesis runs); re-exported for existing readers.
export { SynthesizedStack, type StackResource } from '@hafleet/guardrails';
export * from './waf-overrides.js';
