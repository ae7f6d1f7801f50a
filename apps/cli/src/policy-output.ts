import { renderTable } from '@hafleet/fleet';
import {
  RULES,
  formatFinding,
  suppressedFindings,
  summarisePolicy,
  violations,
  warnings,
  type AnyPolicyReport,
  type PolicyOutcome,
  type PolicyReport,
} from '@hafleet/guardrails';
import type { WafOverride } from '@hafleet/tenant-stack';

/** How the CLI shows guardrail reports: `fleet policy` in full, synth and validate in brief. */

const resultOf = (o: PolicyOutcome): string => {
  if (o.result === 'suppressed') return `suppressed (${o.reason})`;
  if (o.result === 'fail') return o.severity === 'error' ? 'FAIL' : 'FAIL (warning)';
  return 'pass';
};

/** `logs/bucket`, or the address for providers and the backend. */
const resourceCell = (o: PolicyOutcome): string => o.path || o.resource;

/**
 * One tenant's table: a row per finding (failed or suppressed) and, per rule, one row for its
 * passing resources; `all` lists every passing resource instead.
 */
export function policyTable(report: PolicyReport, all: boolean): string {
  const byRule = new Map<string, PolicyOutcome[]>();
  for (const outcome of report.outcomes) byRule.set(outcome.rule, [...(byRule.get(outcome.rule) ?? []), outcome]);
  const rows: string[][] = [];
  for (const rule of RULES) {
    const outcomes = byRule.get(rule.id);
    if (!outcomes) continue;
    const findings = outcomes.filter((o) => o.result !== 'pass');
    const passes = outcomes.filter((o) => o.result === 'pass');
    rows.push(...findings.map((o) => [rule.id, resourceCell(o), resultOf(o)]));
    if (all) rows.push(...passes.map((o) => [rule.id, resourceCell(o), 'pass']));
    else if (passes.length > 0) {
      const what = passes.length === 1 ? resourceCell(passes[0]!) : `${passes.length} ${findings.length > 0 ? 'other ' : ''}resources`;
      rows.push([rule.id, what, 'pass']);
    }
  }
  return renderTable(['rule', 'resource', 'result'], rows);
}

/** What is wrong and the fix, for every finding (errors optional); then the suppressions that matched nothing. */
export function findingLines(report: AnyPolicyReport, include: { errors: boolean } = { errors: true }): string[] {
  const findings = [...(include.errors ? violations(report) : []), ...warnings(report), ...suppressedFindings(report)];
  return [
    ...findings.map((o) => formatFinding(report.tenant, o)),
    ...report.unusedSuppressions.map(
      (s) =>
        `tenant ${report.tenant}: suppression of ${s.rule} on ${s.resource} matches no failing resource — fix: remove it from guardrails.suppressions`,
    ),
  ];
}

/** Counts per tenant, one row each. */
export function policySummaryTable(reports: readonly PolicyReport[]): string {
  return renderTable(
    ['tenant', 'rules', 'checks', 'passed', 'failed', 'warnings', 'suppressed', 'result'],
    reports.map((r) => {
      const s = summarisePolicy(r);
      return [r.tenant, s.rules, s.checks, s.passed, s.errors, s.warnings, s.suppressed, s.errors > 0 ? 'FAIL' : 'pass'];
    }),
  );
}

/**
 * For synth and validate: one line of counts, then every finding that did not block (warnings,
 * suppressions with their reasons, unused suppressions), and the blocking ones when `errors`.
 */
export function policyBrief(reports: readonly AnyPolicyReport[], include: { errors: boolean }): string[] {
  const summaries = reports.map(summarisePolicy);
  const total = (key: 'checks' | 'passed' | 'errors' | 'warnings' | 'suppressed') => summaries.reduce((n, s) => n + s[key], 0);
  const head =
    `guardrails: ${total('errors')} unsuppressed error(s) in ${reports.length} tenant(s); ` +
    `${total('passed')} of ${total('checks')} checks passed, ${total('suppressed')} suppressed, ` +
    `${total('warnings')} warning(s)`;
  return [head, ...reports.flatMap((r) => findingLines(r, include)).map((line) => `  ${line}`)];
}

/** The JSON `fleet policy --json` prints: per tenant, the counts and every outcome. */
export function policyJson(
  reports: readonly PolicyReport[],
  wafOverrides: ReadonlyMap<string, readonly WafOverride[]> = new Map(),
): unknown {
  return reports.map((r) => ({
    tenant: r.tenant,
    summary: summarisePolicy(r),
    outcomes: r.outcomes,
    unusedSuppressions: r.unusedSuppressions,
    wafOverrides: wafOverrides.get(r.tenant) ?? [],
  }));
}

/** Where the tenant's web ACLs relax the managed rules, and who asked: one row per path. */
export function wafOverrideTable(overrides: readonly WafOverride[]): string {
  return renderTable(
    ['web ACL', 'override', 'path', 'source', 'rules'],
    overrides.map((o) => [o.webAcls.join('+'), o.override, o.path, o.source, o.rules.join(' ')]),
  );
}
