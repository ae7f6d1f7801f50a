import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '@hafleet/fs-safe';
import { summariseDrift, type DriftSummary, type PlanJson } from '@hafleet/terraform';
import { ensureInitialised, forgetInitialisation } from './init.js';
import { readStack, type StepOptions } from './plan.js';
import { stackRunner, tenantLocation, type FleetContext, type StackLocation } from './tenant-terraform.js';

export const DRIFT_SUMMARY_FILE = 'drift-summary.json';
const DRIFT_PLAN_FILE = 'drift.tfplan';

export interface TenantDrift extends DriftSummary {
  readonly tenant: string;
  /** False when the state holds no resource: never applied, so there is nothing to drift from. */
  readonly deployed: boolean;
  readonly checkedAt: string;
  /** `drift-summary.json` in the tenant's work folder. */
  readonly summaryFile: string;
}

/**
 * `terraform plan -refresh-only -detailed-exitcode`: does the real infrastructure (or the state)
 * still match what terraform last recorded? Read-only: the refresh-only plan is never applied
 * (that would accept the drift into state) and is removed; the saved plan of `plan` is untouched.
 */
export async function driftStack(ctx: FleetContext, location: StackLocation, options: StepOptions = {}): Promise<TenantDrift> {
  const runner = stackRunner(ctx, location, options.onOutput);
  const stack = readStack(location);
  const planFile = join(location.workDir, DRIFT_PLAN_FILE);
  try {
    options.onStep?.('init');
    await ensureInitialised(ctx, location, runner);
    options.onStep?.('refresh');
    const plan = await runner.plan({ out: planFile, refreshOnly: true, detailedExitCode: true }).catch((error: unknown) => {
      forgetInitialisation(location);
      throw error;
    });
    options.onStep?.('summarise');
    const json = await runner.showJson(planFile);
    const deployed = stateHasResources(json);
    const drift = plan.changesPresent ? summariseDrift(json, { stateful: stack.stateful }) : { drifted: false, resources: [], outputs: [] };
    // -detailed-exitcode is terraform's verdict; the JSON only says what drifted.
    const result = {
      tenant: location.name,
      checkedAt: new Date().toISOString(),
      deployed,
      ...drift,
      drifted: deployed && plan.changesPresent === true,
    };
    const summaryFile = join(location.workDir, DRIFT_SUMMARY_FILE);
    writeJsonAtomic(summaryFile, result);
    return { ...result, summaryFile };
  } finally {
    rmSync(planFile, { force: true });
  }
}

/** Whether the state the refresh-only plan started from holds any managed resource. */
function stateHasResources(plan: PlanJson): boolean {
  type Module = { resources?: Array<{ mode?: string }>; child_modules?: Module[] };
  const has = (m: Module | undefined): boolean =>
    Boolean(m && ((m.resources ?? []).some((r) => r.mode !== 'data') || (m.child_modules ?? []).some(has)));
  const prior = plan['prior_state'] as { values?: { root_module?: Module } } | undefined;
  return has(prior?.values?.root_module);
}

export async function driftTenant(ctx: FleetContext, tenant: string, options: StepOptions = {}): Promise<TenantDrift> {
  return driftStack(ctx, tenantLocation(ctx, tenant), options);
}
