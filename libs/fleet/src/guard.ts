import { InputError } from '@hafleet/entry-point';
import type { PlanSummary, ResourceChangeSummary } from '@hafleet/terraform';

/**
 * The apply guard: a plan that replaces or deletes a stateful resource (PlanSummary.dataLoss) is
 * refused unless the run allows that exact tenant and address. Pure functions over the summary,
 * so every caller — the CLI, Nx targets, a rollout — decides the same way.
 */

/** `--allow-destroy <tenant>:<address>`: permission for this run to lose one resource's data. */
export interface DestroyAllowance {
  readonly tenant: string;
  /** The full resource address as the plan shows it, e.g. `aws_db_instance.database_main_1A2B3C4D`. */
  readonly address: string;
}

export const ALLOW_DESTROY_FLAG = '--allow-destroy';

export class InvalidAllowanceError extends InputError {
  constructor(value: string, why: string) {
    super(
      `${ALLOW_DESTROY_FLAG} "${value}" ${why} — fix: ${ALLOW_DESTROY_FLAG} <tenant>:<address>, e.g. ` +
        `${ALLOW_DESTROY_FLAG} harbour-health:aws_db_instance.database_instance_1A2B3C4D`,
    );
  }
}

/** Parses `<tenant>:<address>`; the tenant is before the first colon (addresses may hold colons). */
export function parseAllowance(value: string): DestroyAllowance {
  const colon = value.indexOf(':');
  if (colon === -1) throw new InvalidAllowanceError(value, 'names no tenant');
  const tenant = value.slice(0, colon).trim();
  const address = value.slice(colon + 1).trim();
  if (!tenant) throw new InvalidAllowanceError(value, 'names no tenant');
  if (!address) throw new InvalidAllowanceError(value, 'names no resource address');
  if (/\s/.test(address)) throw new InvalidAllowanceError(value, 'has a space in the address');
  return { tenant, address };
}

/** Every value may also be a comma-separated list (CI passes one string). */
export function parseAllowances(values: readonly string[]): DestroyAllowance[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean)
    .map(parseAllowance);
}

export interface GuardVerdict {
  readonly tenant: string;
  /** True when nothing stateful is lost without allowance. */
  readonly ok: boolean;
  /** Stateful replacements and deletions with no allowance: why apply refuses. */
  readonly blocked: readonly ResourceChangeSummary[];
  /** Stateful replacements and deletions this run allowed. */
  readonly allowed: readonly ResourceChangeSummary[];
  /** Allowances for this tenant that match nothing in the plan (a typo, or an old address). */
  readonly unused: readonly DestroyAllowance[];
}

export function guardPlan(tenant: string, summary: PlanSummary, allowances: readonly DestroyAllowance[] = []): GuardVerdict {
  const mine = allowances.filter((a) => a.tenant === tenant);
  const isAllowed = (change: ResourceChangeSummary) => mine.some((a) => a.address === change.address);
  return {
    tenant,
    ok: summary.dataLoss.every(isAllowed),
    blocked: summary.dataLoss.filter((c) => !isAllowed(c)),
    allowed: summary.dataLoss.filter(isAllowed),
    unused: mine.filter((a) => !summary.dataLoss.some((c) => c.address === a.address)),
  };
}

/** One line per resource: what happens to it and what it holds. */
export function describeLoss(change: ResourceChangeSummary): string {
  return `${change.action === 'replace' ? 'replace' : 'destroy'} ${change.address}: ${change.holds ?? change.type}`;
}

/** The refusal a person reads: what would be lost, that nothing was applied, and the exact allowance. */
export function refusalMessage(verdict: GuardVerdict): string {
  const flags = verdict.blocked.map((c) => `${ALLOW_DESTROY_FLAG} ${shellWord(`${verdict.tenant}:${c.address}`)}`).join(' ');
  return [
    `tenant ${verdict.tenant}: apply refused — this plan would lose data:`,
    ...verdict.blocked.map((c) => `  ${describeLoss(c)}`),
    'Nothing was applied. If losing this is intended, allow exactly these resources for this run:',
    `  ${flags}`,
  ].join('\n');
}

/** Quotes an address with for_each keys (`x["a"]`) so the printed flag can be pasted into a shell. */
function shellWord(word: string): string {
  return /^[\w.:/@-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
