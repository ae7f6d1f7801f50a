import { relative } from 'node:path';
import { SpecValidationError, type LoadedTenant, type SpecProblem, type TenantSpec } from '@hafleet/tenant-spec';
import type { PolicyRule } from './rule.js';
import { RULES } from './rules/index.js';

/**
 * Suppressions live in the tenant spec (`guardrails.suppressions`); the rule ids live here. The
 * spec schema checks their shape, this checks them against the pack: tenant-spec sits below
 * guardrails and cannot know the ids without a dependency cycle.
 */
export type Suppression = TenantSpec['guardrails']['suppressions'][number];

/**
 * Whether a suppression covers a resource. `suppression.resource` is the construct path without
 * the tenant (`logs/bucket`: stable and readable, the recommended form), the full construct path
 * (`harbour-health/logs/bucket`), or the terraform address (`aws_s3_bucket.logs_bucket_5A22438C`,
 * also the only form for providers and the backend). `resource.path` is without the tenant.
 */
export function suppressionMatches(suppression: Suppression, tenant: string, resource: { address: string; path: string }): boolean {
  const wanted = suppression.resource;
  return wanted === resource.address || (resource.path !== '' && (wanted === resource.path || wanted === `${tenant}/${resource.path}`));
}

/** One problem per unknown rule id or repeated suppression, naming the tenant, the field and the fix. */
export function suppressionProblems(tenant: LoadedTenant, workspaceRoot: string, rules: readonly PolicyRule[] = RULES): SpecProblem[] {
  const { spec } = tenant;
  const file = relative(workspaceRoot, tenant.file) || tenant.file;
  const ids = new Set(rules.map((r) => r.id));
  const seen = new Map<string, number>();
  const problems: SpecProblem[] = [];
  spec.guardrails.suppressions.forEach((suppression, i) => {
    const field = `guardrails.suppressions.${i}`;
    if (!ids.has(suppression.rule)) {
      const area = suppression.rule.split('-').slice(0, 2).join('-');
      const alike = [...ids].filter((id) => id.startsWith(`${area}-`));
      const hint =
        alike.length > 0 ? `one of ${alike.join(', ')}` : `one of the ${ids.size} ids \`fleet policy\` lists (HAF-ENC-…, HAF-NET-…, …)`;
      problems.push({
        tenant: spec.name,
        file,
        field: `${field}.rule`,
        message: `"${suppression.rule}" is not a guardrails rule — fix: use ${hint}, or remove the suppression`,
      });
      return;
    }
    const key = `${suppression.rule} ${suppression.resource}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        tenant: spec.name,
        file,
        field,
        message: `repeats guardrails.suppressions.${first} (${key}) — fix: keep one of them`,
      });
    } else {
      seen.set(key, i);
    }
  });
  return problems;
}

/** Throws SpecValidationError (exit 2, nothing written) when any tenant's suppressions are wrong. */
export function assertSuppressionsValid(
  tenants: readonly LoadedTenant[],
  workspaceRoot: string,
  rules: readonly PolicyRule[] = RULES,
): void {
  const problems = tenants.flatMap((t) => suppressionProblems(t, workspaceRoot, rules));
  if (problems.length > 0) throw new SpecValidationError(problems);
}
