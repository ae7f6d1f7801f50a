import { join } from 'node:path';
import { writeJsonAtomic } from '@hafleet/fs-safe';
import { tenantWorkDir } from '@hafleet/tenant-stack';
import { summarisePlan, type PlanSummary } from '@hafleet/terraform';
import { tenantRunner, type FleetContext } from './tenant-terraform.js';

export interface TenantPlan {
  readonly tenant: string;
  readonly summary: PlanSummary;
  /** The saved binary plan; apply uses exactly this file. */
  readonly planFile: string;
  /** `plan-summary.json` beside it. */
  readonly summaryFile: string;
}

export const PLAN_FILE = 'tfplan';
export const PLAN_SUMMARY_FILE = 'plan-summary.json';

/** init, `plan -out`, `show -json`, summary: the summary comes from terraform's JSON, never its text. */
export async function planTenant(ctx: FleetContext, tenant: string): Promise<TenantPlan> {
  const workDir = tenantWorkDir(ctx.workspaceRoot, tenant);
  const runner = tenantRunner(ctx, tenant);
  await runner.init();
  const { planFile } = await runner.plan({ out: join(workDir, PLAN_FILE) });
  const summary = summarisePlan(await runner.showJson(planFile));
  const summaryFile = join(workDir, PLAN_SUMMARY_FILE);
  writeJsonAtomic(summaryFile, { tenant, summary });
  return { tenant, summary, planFile, summaryFile };
}
