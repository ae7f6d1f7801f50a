import { EXIT, type ExitCode } from '@hafleet/entry-point';
import type { DestroyAllowance } from './driver.js';
import { RolloutInputError } from './errors.js';
import type { JournalData, RolloutJournal, RolloutRequest } from './journal.js';
import type { DryRunTenant } from './rollout-plan.js';

/**
 * What a resume may change and how a rollout's outcome reads as an exit code: the rules every
 * caller (the CLI, tests, scripts) follows the same way.
 */

/** How a rollout runs (pace, failures, allowances, gates): the only request fields `--resume` may change. What it does is fixed at its start. */
export const RESUMABLE_FIELDS = ['maxParallel', 'waveDelayMs', 'maxFailures', 'allowDestroy', 'gates'] as const;
export type RuntimeOptions = Partial<Pick<RolloutRequest, (typeof RESUMABLE_FIELDS)[number]>>;

/** Refuses an allowance for a tenant the rollout does not include (a typo would allow nothing and say nothing). */
export function checkAllowances(allowances: readonly DestroyAllowance[], tenants: readonly string[]): void {
  for (const a of allowances) {
    if (!tenants.includes(a.tenant)) {
      throw new RolloutInputError(
        `--allow-destroy ${a.tenant}:${a.address} names tenant ${a.tenant}, which this rollout does not include — fix: one of ${tenants.join(', ')}`,
      );
    }
  }
}

/** Applies a resume's runtime options to the journal's request (checked first; saved by the run). */
export function applyResumeOptions(journal: RolloutJournal, overrides: RuntimeOptions): void {
  const unexpected = Object.keys(overrides).filter((k) => !(RESUMABLE_FIELDS as readonly string[]).includes(k));
  if (unexpected.length)
    throw new RolloutInputError(`rollout ${journal.id}: a resume cannot change ${unexpected.join(', ')} — fix: start a new rollout`);
  checkAllowances(overrides.allowDestroy ?? [], Object.keys(journal.data.tenants));
  Object.assign(journal.data.request, overrides);
}

/** Completed or paused: ok; stopped only by guard refusals: refused; anything else failed. */
export function rolloutExitCode(data: JournalData): ExitCode {
  if (data.status === 'completed' || data.status === 'paused') return EXIT.ok;
  const failed = Object.values(data.tenants).filter((t) => t.state === 'failed');
  if (failed.length && failed.every((t) => t.step === 'guard')) return EXIT.refused;
  return EXIT.failed;
}

/** A dry run: failed when a tenant could not be planned, refused when the guard would refuse one. */
export function dryRunExitCode(results: readonly DryRunTenant[]): ExitCode {
  if (results.some((r) => r.error)) return EXIT.failed;
  return results.some((r) => r.guard && !r.guard.ok) ? EXIT.refused : EXIT.ok;
}
