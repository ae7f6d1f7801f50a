import type { FleetConfig, TenantSpec } from '@hafleet/tenant-spec';
import type { StackResource, SynthesizedStack } from './synthesized-stack.js';

/** `error` fails synthesis unless suppressed; `warning` is reported only. */
export type Severity = 'error' | 'warning';

/** What a rule protects; also the file it lives in (`rules/<area>.ts`). */
export type RuleArea =
  | 'encryption'
  | 'transit'
  | 'exposure'
  | 'compute'
  | 'availability'
  | 'protection'
  | 'recovery'
  | 'observability'
  | 'cost'
  | 'waf'
  | 'edge'
  | 'isolation'
  | 'runtime';

/** What a rule knows about the tenant besides its stack. */
export interface PolicyContext {
  readonly tenant: string;
  /** The validated spec (every default filled in). */
  readonly spec: TenantSpec;
  /** The tenant's AWS account: `spec.account.id`, else the fleet's default account. */
  readonly accountId: string;
  readonly fleet: FleetConfig;
  /** Every tenant name in the fleet: isolation rules look for the others. */
  readonly fleetTenants: readonly string[];
}

/** The outcome of one rule on one resource. */
export type Verdict = 'pass' | 'not-applicable' | { readonly fail: string };

/**
 * One guardrail, cdk-nag style: a stable id, a severity, one line saying what must hold, the
 * resource types it looks at, the fix, and a check over the synthesized Terraform JSON.
 *
 * `resourceTypes` are terraform resource types, plus three kinds of pseudo type for what is not a
 * resource: `provider.<name>` (each provider configuration), `terraform.backend` (the state
 * backend) and `data.<type>` (data sources); `*` is every resource.
 */
export interface PolicyRule {
  /** `HAF-<AREA>-<NNN>`; never reused for something else, suppressions name it. */
  readonly id: string;
  readonly severity: Severity;
  readonly area: RuleArea;
  /** What must hold, in one line. */
  readonly description: string;
  readonly resourceTypes: readonly string[];
  /** How to make a failing resource pass. */
  readonly fix: string;
  check(resource: StackResource, stack: SynthesizedStack, context: PolicyContext): Verdict;
}

export const pass: Verdict = 'pass';
export const notApplicable: Verdict = 'not-applicable';
export const fail = (reason: string): Verdict => ({ fail: reason });

/** Passes when `problems` is empty, else fails with all of them. */
export function verdictOf(problems: ReadonlyArray<string | undefined | false>): Verdict {
  const found = problems.filter((p): p is string => typeof p === 'string' && p.length > 0);
  return found.length === 0 ? pass : fail(found.join('; '));
}
