import type { PolicyRule } from '../rule.js';
import { AVAILABILITY_RULES } from './availability.js';
import { COMPUTE_RULES } from './compute.js';
import { COST_RULES } from './cost.js';
import { EDGE_RULES } from './edge.js';
import { ENCRYPTION_RULES } from './encryption.js';
import { EXPOSURE_RULES } from './exposure.js';
import { ISOLATION_RULES } from './isolation.js';
import { OBSERVABILITY_RULES } from './observability.js';
import { PROTECTION_RULES } from './protection.js';
import { RECOVERY_RULES } from './recovery.js';
import { RUNTIME_RULES } from './runtime.js';
import { TRANSIT_RULES } from './transit.js';
import { WAF_RULES } from './waf.js';

/** The guardrails every tenant stack is held to, in report order. */
export const RULES: readonly PolicyRule[] = [
  ...ENCRYPTION_RULES,
  ...TRANSIT_RULES,
  ...EXPOSURE_RULES,
  ...COMPUTE_RULES,
  ...AVAILABILITY_RULES,
  ...PROTECTION_RULES,
  ...RECOVERY_RULES,
  ...OBSERVABILITY_RULES,
  ...COST_RULES,
  ...WAF_RULES,
  ...EDGE_RULES,
  ...ISOLATION_RULES,
  ...RUNTIME_RULES,
];
