import { forEachTenant } from '@hafleet/fleet';
import { loadFleet, type LoadedTenant } from '@hafleet/tenant-spec';
import type { GuardDecision, PlanDigest, SandboxDriver } from './driver.js';
import { RolloutInputError } from './errors.js';
import { RolloutJournal, newRolloutId, type RolloutRequest, type TenantRecord } from './journal.js';
import { ringOf, selectTenants } from './selection.js';
import { planWaves, type Wave } from './waves.js';
import { validateSpecEdits } from './workspace-copy.js';

/** What a rollout will do, worked out and checked before anything is touched. */
export interface PlannedRollout {
  readonly request: RolloutRequest;
  readonly waves: readonly Wave[];
  /** Remarks for the operator, e.g. a wave that got no tenant. */
  readonly notes: readonly string[];
  /** The selected tenants' specs as they are now. */
  readonly tenants: readonly LoadedTenant[];
}

/**
 * Validates the fleet, selects the tenants, cuts the waves and checks every edited spec (schema
 * and fleet-wide rules). Throws SpecValidationError or RolloutInputError; writes nothing.
 */
export function planRollout(workspaceRoot: string, request: RolloutRequest): PlannedRollout {
  if (request.reapply === request.changes.length > 0) {
    throw new RolloutInputError(
      request.reapply
        ? '--reapply re-applies the specs as they are, so it takes no --set — fix: drop one of them'
        : 'nothing to roll out — fix: --set field=value (e.g. --set app.release=2025.4.0), or --reapply after a shared-module change',
    );
  }
  const fleet = loadFleet(workspaceRoot);
  const selected = selectTenants(fleet, request.selection);
  const { waves, notes } = planWaves(
    selected.map((t) => ({ name: t.spec.name, ring: ringOf(t.spec) })),
    request.waves,
  );
  if (request.changes.length)
    validateSpecEdits(
      workspaceRoot,
      selected.map((t) => t.spec.name),
      request.changes,
    );
  return { request, waves, notes, tenants: selected };
}

/** Writes the journal of a planned rollout (every tenant pending); executeRollout runs it. */
export function startRollout(workspaceRoot: string, planned: PlannedRollout, now = new Date()): RolloutJournal {
  const tenants: Record<string, TenantRecord> = {};
  planned.waves.forEach((wave, index) => {
    for (const tenant of wave.tenants) tenants[tenant] = { wave: index, state: 'pending', attempts: 0, steps: [] };
  });
  return RolloutJournal.create(workspaceRoot, {
    id: newRolloutId(now),
    createdAt: now.toISOString(),
    status: 'running',
    request: planned.request,
    waves: planned.waves.map((w) => ({ label: w.label, tenants: [...w.tenants] })),
    tenants,
    runs: [],
  });
}

export interface DryRunTenant {
  readonly tenant: string;
  readonly wave: number;
  /** Would the spec change? */
  readonly specChanged?: boolean;
  readonly plan?: PlanDigest;
  readonly guard?: GuardDecision;
  readonly error?: string;
}

/**
 * `--dry-run`: every wave's tenants through spec → synth → plan → guard in a sandbox (a temp copy
 * of the specs, fleet config and offline state): the plans are real, the workspace is untouched
 * and nothing is applied.
 */
export async function dryRunRollout(
  planned: PlannedRollout,
  sandbox: SandboxDriver,
  options: { readonly maxParallel?: number; readonly onTenant?: (result: DryRunTenant) => void } = {},
): Promise<DryRunTenant[]> {
  const results: DryRunTenant[] = [];
  const allowances = planned.request.allowDestroy;
  for (const [wave, { tenants }] of planned.waves.entries()) {
    const outcomes = await forEachTenant(
      tenants,
      async (tenant): Promise<DryRunTenant> => {
        const update = await sandbox.updateSpec(tenant, planned.request.changes);
        await sandbox.synth(tenant, { applyImmediately: planned.request.applyImmediately });
        const plan = await sandbox.plan(tenant);
        return { tenant, wave, specChanged: update.changed, plan: plan.digest, guard: sandbox.guard(plan, allowances) };
      },
      { maxParallel: options.maxParallel ?? planned.request.maxParallel },
    );
    for (const outcome of outcomes) {
      const result: DryRunTenant = outcome.ok ? outcome.value : { tenant: outcome.tenant, wave, error: outcome.error.message };
      results.push(result);
      options.onTenant?.(result);
    }
  }
  return results;
}
