import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PolicyReport } from './evaluate.js';
import type { PolicyContext } from './rule.js';

/**
 * The guardrails' whole report on a stack, written by synth beside the stack it judged
 * (`cdktf.out/stacks/<tenant>/`), so that readers (`fleet report`) need not run the rules again.
 * It holds the key it was evaluated under and is trusted only while that key still matches.
 */
export const POLICY_REPORT_FILE = 'hafleet-guardrails.json';

/** What a report was evaluated from. A saved report describes a stack only while all three match. */
export interface PolicyReportKey {
  /** sha256 of the stack file's bytes (`cdk.tf.json`). */
  readonly stack: string;
  /** sha256 of what the rules read besides the stack: the validated spec (suppressions included), fleet.json and every tenant name. */
  readonly context: string;
  /** The libraries' digest (as in the stack inputs record): the rules are code. */
  readonly libs: string;
}

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** The fleet's tenant list is the same array for every tenant of a run: hashed once. */
const tenantListDigests = new WeakMap<readonly string[], string>();

/** sha256 of a stack file's bytes: the `stack` of a report key. */
export const stackDigest = (stackBytes: Uint8Array): string => sha256(stackBytes);

export function policyReportKey(stack: string, context: PolicyContext, libs: string): PolicyReportKey {
  let tenants = tenantListDigests.get(context.fleetTenants);
  if (tenants === undefined) {
    tenants = sha256(JSON.stringify([...context.fleetTenants].sort()));
    tenantListDigests.set(context.fleetTenants, tenants);
  }
  const { spec, fleet, accountId, tenant } = context;
  return { stack, context: sha256(JSON.stringify({ tenant, accountId, spec, fleet, tenants })), libs };
}

/** The file's text: the key, then one outcome a line (readable, and small enough at hundreds of outcomes). */
export function formatPolicyReportFile(key: PolicyReportKey, report: PolicyReport): string {
  const { outcomes, ...rest } = report;
  const head = JSON.stringify({ key, report: { ...rest, outcomes: [] } }).slice(0, -'[]}}'.length);
  return `${head}[\n${outcomes.map((o) => JSON.stringify(o)).join(',\n')}\n]}}\n`;
}

/**
 * The report saved in `dir`, if it was evaluated under exactly `key`; otherwise (none, unreadable,
 * another stack, spec, fleet or rules) undefined, and the caller evaluates the rules afresh.
 */
export function readPolicyReportFile(dir: string, key: PolicyReportKey): PolicyReport | undefined {
  const file = join(dir, POLICY_REPORT_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { key?: Partial<PolicyReportKey>; report?: PolicyReport };
    const matches = saved.key?.stack === key.stack && saved.key.context === key.context && saved.key.libs === key.libs;
    return matches && saved.report && Array.isArray(saved.report.outcomes) ? saved.report : undefined;
  } catch {
    return undefined; // half-written or foreign: never trusted
  }
}
