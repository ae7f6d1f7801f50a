import type { PolicyOutcome, PolicyReport } from './evaluate.js';
import type { Suppression } from './suppressions.js';

/** Reading a policy report: what blocks synthesis, what is only reported, and how to say it. */

/**
 * What a fleet run keeps of one tenant's report: the counts and every outcome that is not a pass.
 * The passes are most of a report (hundreds per tenant); synth writes the whole report beside the
 * stack (`POLICY_REPORT_FILE`) and keeps only this, so memory does not grow with the fleet.
 */
export interface CompactPolicyReport {
  readonly tenant: string;
  readonly summary: PolicySummary;
  /** Failed and suppressed outcomes. */
  readonly findings: readonly PolicyOutcome[];
  readonly unusedSuppressions: readonly Suppression[];
  readonly durationMs: number;
}

/** A whole report or its compact form: everything below reads either. */
export type AnyPolicyReport = PolicyReport | CompactPolicyReport;

/** The outcomes of a report that are not passes. */
const findingsOf = (report: AnyPolicyReport): readonly PolicyOutcome[] => ('findings' in report ? report.findings : report.outcomes);

/** Unsuppressed error-severity findings: each one fails synthesis. */
export const violations = (report: AnyPolicyReport): PolicyOutcome[] =>
  findingsOf(report).filter((o) => o.result === 'fail' && o.severity === 'error');
/** Unsuppressed warning-severity findings: reported, never blocking. */
export const warnings = (report: AnyPolicyReport): PolicyOutcome[] =>
  findingsOf(report).filter((o) => o.result === 'fail' && o.severity === 'warning');
export const suppressedFindings = (report: AnyPolicyReport): PolicyOutcome[] => findingsOf(report).filter((o) => o.result === 'suppressed');

export interface PolicySummary {
  readonly tenant: string;
  /** Rules that applied to at least one resource. */
  readonly rules: number;
  /** (rule, resource) pairs evaluated. */
  readonly checks: number;
  readonly passed: number;
  readonly errors: number;
  readonly warnings: number;
  readonly suppressed: number;
  readonly unusedSuppressions: number;
}

export function summarisePolicy(report: AnyPolicyReport): PolicySummary {
  if ('summary' in report) return report.summary;
  const count = (result: PolicyOutcome['result']) => report.outcomes.filter((o) => o.result === result).length;
  return {
    tenant: report.tenant,
    rules: new Set(report.outcomes.map((o) => o.rule)).size,
    checks: report.outcomes.length,
    passed: count('pass'),
    errors: violations(report).length,
    warnings: warnings(report).length,
    suppressed: count('suppressed'),
    unusedSuppressions: report.unusedSuppressions.length,
  };
}

export function compactPolicyReport(report: PolicyReport): CompactPolicyReport {
  return {
    tenant: report.tenant,
    summary: summarisePolicy(report),
    findings: report.outcomes.filter((o) => o.result !== 'pass'),
    unusedSuppressions: report.unusedSuppressions,
    durationMs: report.durationMs,
  };
}

/** `logs/bucket (aws_s3_bucket.logs_bucket_5A22438C)`, or the address alone for providers and the backend. */
export const resourceLabel = (outcome: Pick<PolicyOutcome, 'resource' | 'path'>): string =>
  outcome.path ? `${outcome.path} (${outcome.resource})` : outcome.resource;

/** One line naming tenant, rule, resource, what is wrong and the fix. */
export function formatFinding(tenant: string, outcome: PolicyOutcome): string {
  const reason = outcome.result === 'suppressed' ? ` [suppressed: ${outcome.reason}]` : '';
  return `tenant ${tenant}: ${outcome.rule} (${outcome.severity}) on ${resourceLabel(outcome)}: ${outcome.message} — fix: ${outcome.fix}${reason}`;
}

/**
 * Thrown by synthesis when a stack breaks an error-severity rule nobody suppressed; nothing has
 * been written when it is thrown.
 */
export class PolicyViolationError extends Error {
  readonly reports: readonly AnyPolicyReport[];

  constructor(reports: readonly AnyPolicyReport[]) {
    const found = reports.flatMap((r) => violations(r).map((o) => formatFinding(r.tenant, o)));
    // Accepted exceptions are part of every report, this one included.
    const accepted = reports.flatMap((r) => suppressedFindings(r).map((o) => formatFinding(r.tenant, o)));
    const tenants = reports.filter((r) => violations(r).length > 0).map((r) => r.tenant);
    super(
      `guardrails: ${found.length} unsuppressed finding(s) in ${tenants.join(', ')}; nothing was written:\n` +
        [...found, ...accepted].map((line) => `  ${line}`).join('\n') +
        '\n  (a deliberate exception goes in the tenant spec: guardrails.suppressions [{ rule, resource, reason }]; `fleet policy` shows every check)',
    );
    this.name = 'PolicyViolationError';
    this.reports = reports;
  }
}

/** Throws PolicyViolationError when any report has an unsuppressed error-severity finding. */
export function assertCompliant(reports: readonly AnyPolicyReport[]): void {
  if (reports.some((r) => violations(r).length > 0)) throw new PolicyViolationError(reports);
}
