import type { FleetConfig, TenantSpec } from '@hafleet/tenant-spec';
import type { PolicyContext, PolicyRule, RuleArea, Severity, Verdict } from './rule.js';
import { RULES } from './rules/index.js';
import { suppressionMatches, type Suppression } from './suppressions.js';
import type { StackResource, SynthesizedStack } from './synthesized-stack.js';

/** One rule on one resource. Not-applicable pairs are left out. */
export interface PolicyOutcome {
  readonly rule: string;
  readonly severity: Severity;
  readonly area: RuleArea;
  /** Terraform address (`aws_s3_bucket.logs_bucket_5A22438C`, `provider.aws.us_east_1`, `terraform.backend.s3`). */
  readonly resource: string;
  /** Construct path without the tenant (`logs/bucket`); empty for providers and the backend. */
  readonly path: string;
  readonly result: 'pass' | 'fail' | 'suppressed';
  /** What is wrong (fail and suppressed). */
  readonly message?: string;
  /** How to fix it (fail and suppressed). */
  readonly fix?: string;
  /** The spec's reason (suppressed). */
  readonly reason?: string;
}

/** The pack's verdict on one tenant stack. */
export interface PolicyReport {
  readonly tenant: string;
  readonly outcomes: readonly PolicyOutcome[];
  /** Suppressions in the spec that matched no failing resource (stale, or never needed). */
  readonly unusedSuppressions: readonly Suppression[];
  /** Time the evaluation took (reading the stack excluded). */
  readonly durationMs: number;
}

export interface PolicyContextInput {
  readonly spec: TenantSpec;
  readonly fleet: FleetConfig;
  /** Every tenant name in the fleet. @default just this tenant */
  readonly fleetTenants?: readonly string[];
}

export function policyContext({ spec, fleet, fleetTenants }: PolicyContextInput): PolicyContext {
  return {
    tenant: spec.name,
    spec,
    accountId: spec.account.id ?? fleet.defaultAccountId,
    fleet,
    fleetTenants: fleetTenants ?? [spec.name],
  };
}

/** The resources (or pseudo resources: providers, backend, data sources) a resource type names. */
function targetsOf(stack: SynthesizedStack, type: string): StackResource[] {
  if (type === '*') return [...stack.resources];
  if (type.startsWith('provider.')) {
    return stack
      .providers(type.slice('provider.'.length))
      .map((p) => ({ type, name: p.alias ?? 'default', address: p.address, values: p.values, path: '' }));
  }
  if (type === 'terraform.backend') {
    const backend = stack.backend;
    return backend ? [{ type, name: backend.kind, address: `terraform.backend.${backend.kind}`, values: backend.values, path: '' }] : [];
  }
  // Pseudo types name their targets (`data.terraform_remote_state`), so a rule can tell them apart.
  if (type.startsWith('data.')) return stack.dataSources.filter((d) => `data.${d.type}` === type).map((d) => ({ ...d, type }));
  return stack.ofType(type);
}

function runCheck(rule: PolicyRule, resource: StackResource, stack: SynthesizedStack, context: PolicyContext): Verdict {
  try {
    return rule.check(resource, stack, context);
  } catch (error) {
    // A rule that cannot decide fails closed: better a loud false alarm than a silent pass.
    return { fail: `the check itself failed (${error instanceof Error ? error.message : String(error)})` };
  }
}

/**
 * Runs every rule over the synthesized stack of one tenant and applies the tenant's suppressions.
 * Pure: reads nothing but its arguments, writes nothing.
 */
export function evaluatePolicy(stack: SynthesizedStack, context: PolicyContext, rules: readonly PolicyRule[] = RULES): PolicyReport {
  const started = performance.now();
  const { tenant } = context;
  const suppressions = context.spec.guardrails.suppressions;
  const used = new Set<Suppression>();
  const prefix = `${tenant}/`;
  const targets = new Map<string, StackResource[]>();
  const outcomes: PolicyOutcome[] = [];
  for (const rule of rules) {
    const seen = new Set<string>();
    for (const type of rule.resourceTypes) {
      if (!targets.has(type)) targets.set(type, targetsOf(stack, type));
      for (const resource of targets.get(type)!) {
        if (seen.has(resource.address)) continue;
        seen.add(resource.address);
        const verdict = runCheck(rule, resource, stack, context);
        if (verdict === 'not-applicable') continue;
        const path = resource.path.startsWith(prefix) ? resource.path.slice(prefix.length) : resource.path;
        const base = { rule: rule.id, severity: rule.severity, area: rule.area, resource: resource.address, path };
        if (verdict === 'pass') {
          outcomes.push({ ...base, result: 'pass' });
          continue;
        }
        const suppression = suppressions.find(
          (s) => s.rule === rule.id && suppressionMatches(s, tenant, { address: resource.address, path }),
        );
        if (suppression) used.add(suppression);
        outcomes.push({
          ...base,
          result: suppression ? 'suppressed' : 'fail',
          message: verdict.fail,
          fix: rule.fix,
          ...(suppression ? { reason: suppression.reason } : {}),
        });
      }
    }
  }
  return { tenant, outcomes, unusedSuppressions: suppressions.filter((s) => !used.has(s)), durationMs: performance.now() - started };
}
