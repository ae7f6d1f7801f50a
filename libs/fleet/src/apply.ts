import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '@hafleet/fs-safe';
import { planHasChanges, summarisePlan, type PlanSummary } from '@hafleet/terraform';
import { guardPlan, type DestroyAllowance, type GuardVerdict } from './guard.js';
import { ensureInitialised } from './init.js';
import { PLAN_FILE, SavedPlanError, readSavedPlan, readStack, sha256, type StepOptions } from './plan.js';
import { stackRunner, tenantLocation, type FleetContext, type StackLocation } from './tenant-terraform.js';

export const APPLY_SUMMARY_FILE = 'apply-summary.json';

export interface ApplyOptions extends StepOptions {
  /** What this run may lose; anything stateful replaced or deleted without one is refused. */
  readonly allowDestroy?: readonly DestroyAllowance[];
}

/**
 * How an apply ended, when terraform did not fail (that throws TerraformCommandError, and a
 * missing or stale saved plan throws SavedPlanError). `verdict` is the guard's: for `applied`,
 * `verdict.allowed` is the data loss this run permitted; for `refused`, `verdict.blocked` is why.
 */
export interface ApplyResult {
  /** `applied`; `unchanged`: the plan changes nothing, nothing ran; `refused`: nothing applied, plan kept. */
  readonly status: 'applied' | 'unchanged' | 'refused';
  readonly tenant: string;
  readonly plannedAt: string;
  /** sha256 of the plan file applied (or refused): the same as the plan's `planSha256`. */
  readonly planSha256: string;
  readonly summary: PlanSummary;
  readonly verdict: GuardVerdict;
}

/**
 * Applies exactly the tenant's saved plan, never a new one. Steps: the saved plan is checked
 * (present, the file its summary describes, stack unchanged since — else SavedPlanError), copied
 * aside so nothing can swap it, summarised again from the copy's own `show -json`, put to the guard,
 * then applied. Terraform takes the state lock and refuses the plan if the state moved on since.
 * The plan is consumed: applied or unchanged, it is removed, so a second apply needs a new plan.
 */
export async function applyStack(ctx: FleetContext, location: StackLocation, options: ApplyOptions = {}): Promise<ApplyResult> {
  options.onStep?.('check saved plan');
  const saved = readSavedPlan(ctx, location);
  const runner = stackRunner(ctx, location, options.onOutput);
  const frozen = join(location.workDir, `${PLAN_FILE}.applying-${process.pid}`);
  copyFileSync(saved.planFile, frozen);
  try {
    if (sha256(readFileSync(frozen)) !== saved.planSha256) {
      throw new SavedPlanError(
        location.name,
        'modified',
        'the saved plan changed while it was being read — fix: re-plan, and run one apply at a time',
      );
    }
    options.onStep?.('init');
    await ensureInitialised(ctx, location, runner);
    options.onStep?.('guard');
    const summary = summarisePlan(await runner.showJson(frozen), { stateful: readStack(location).stateful });
    const verdict = guardPlan(location.name, summary, options.allowDestroy);
    const base = { tenant: location.name, plannedAt: saved.plannedAt, planSha256: saved.planSha256, summary, verdict };
    if (!verdict.ok) return { status: 'refused', ...base };
    if (!planHasChanges(summary)) {
      rmSync(saved.planFile, { force: true });
      return { status: 'unchanged', ...base };
    }
    options.onStep?.('apply');
    await runner.apply(frozen);
    rmSync(saved.planFile, { force: true });
    writeJsonAtomic(join(location.workDir, APPLY_SUMMARY_FILE), {
      tenant: location.name,
      appliedAt: new Date().toISOString(),
      plannedAt: saved.plannedAt,
      allowed: verdict.allowed,
      summary,
    });
    return { status: 'applied', ...base };
  } finally {
    rmSync(frozen, { force: true });
  }
}

export async function applyTenant(ctx: FleetContext, tenant: string, options: ApplyOptions = {}): Promise<ApplyResult> {
  return applyStack(ctx, tenantLocation(ctx, tenant), options);
}
