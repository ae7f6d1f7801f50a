/**
 * The guardrails: a policy pack run over every synthesized tenant stack (as part of synth,
 * validate and `fleet policy`). Rules are small named units in `rules/<area>.ts`; suppressions
 * come from the tenant spec, each with a reason.
 */
export * from './synthesized-stack.js';
export * from './rule.js';
export { RULES } from './rules/index.js';
export { CONTENTS_TAG, declaredObjects, policyStatements, type PolicyStatement } from './rules/support.js';
export * from './evaluate.js';
export * from './suppressions.js';
export * from './report.js';
export * from './saved-report.js';
export { regionOf } from './rules/recovery.js';
