import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '@hafleet/fs-safe';
import {
  isOfflineStack,
  statefulClassifier,
  statefulMarks,
  summarisePlan,
  type PlanSummary,
  type StatefulClassifier,
} from '@hafleet/terraform';
import { stackFreshness } from '@hafleet/tenant-spec';
import { sha256 } from './hash.js';
import { ensureInitialised, forgetInitialisation } from './init.js';
import { contextMode, stackFile, stackRunner, tenantLocation, type FleetContext, type StackLocation } from './tenant-terraform.js';

export const PLAN_FILE = 'tfplan';
export const PLAN_SUMMARY_FILE = 'plan-summary.json';

/** `plan-summary.json`: the summary of one saved plan, and how to tell it is still that plan. */
export interface SavedPlanRecord {
  readonly tenant: string;
  /** ISO time the plan was made. */
  readonly plannedAt: string;
  /** sha256 of the binary plan file this summary describes; apply refuses any other file. */
  readonly planSha256: string;
  /** sha256 of `cdk.tf.json` when planned; apply refuses once the stack has changed. */
  readonly stackSha256: string;
  readonly summary: PlanSummary;
}

export interface TenantPlan extends SavedPlanRecord {
  /** The saved binary plan; apply uses exactly this file. */
  readonly planFile: string;
  /** `plan-summary.json` beside it. */
  readonly summaryFile: string;
}

export interface StepOptions {
  /** Called as each step starts (`init`, `plan`, `show`, …): progress for long fleet runs. */
  readonly onStep?: (step: string) => void;
  /** terraform's live output. */
  readonly onOutput?: (chunk: string) => void;
}

export { sha256 };

/** The stack as terraform will read it: its hash, which resources hold data (types + marks), whether it is offline. */
export function readStack(location: StackLocation): { sha256: string; stateful: StatefulClassifier; offline: boolean } {
  const text = readFileSync(stackFile(location), 'utf8');
  const json: unknown = JSON.parse(text);
  return { sha256: sha256(text), stateful: statefulClassifier(statefulMarks(json)), offline: isOfflineStack(json) };
}

/** init, `plan -out`, `show -json`, summary: the summary comes from terraform's JSON, never its text. */
export async function planStack(ctx: FleetContext, location: StackLocation, options: StepOptions = {}): Promise<TenantPlan> {
  const runner = stackRunner(ctx, location, options.onOutput);
  const stack = readStack(location);
  const summaryFile = join(location.workDir, PLAN_SUMMARY_FILE);
  // A failed plan must not leave the previous one behind for apply to pick up.
  for (const file of [summaryFile, join(location.workDir, PLAN_FILE)]) rmSync(file, { force: true });
  options.onStep?.('init');
  await ensureInitialised(ctx, location, runner);
  options.onStep?.('plan');
  // Offline credentials cannot read AWS: such a stack is planned against its state as recorded.
  const { planFile } = await runner.plan({ out: join(location.workDir, PLAN_FILE), refresh: !stack.offline }).catch((error: unknown) => {
    forgetInitialisation(location);
    throw error;
  });
  options.onStep?.('summarise');
  const summary = summarisePlan(await runner.showJson(planFile), { stateful: stack.stateful });
  const record: SavedPlanRecord = {
    tenant: location.name,
    plannedAt: new Date().toISOString(),
    planSha256: sha256(readFileSync(planFile)),
    stackSha256: stack.sha256,
    summary,
  };
  writeJsonAtomic(summaryFile, record);
  return { ...record, planFile, summaryFile };
}

export async function planTenant(ctx: FleetContext, tenant: string, options: StepOptions = {}): Promise<TenantPlan> {
  return planStack(ctx, tenantLocation(ctx, tenant), options);
}

/** Why a saved plan cannot be used: none, not the one summarised, or older than the stack. */
export class SavedPlanError extends Error {
  constructor(
    readonly tenant: string,
    readonly reason: 'missing' | 'unreadable' | 'modified' | 'stack-changed' | 'spec-changed',
    message: string,
  ) {
    super(`tenant ${tenant}: ${message}`);
    this.name = 'SavedPlanError';
  }
}

/**
 * The tenant's saved plan and its summary, checked: the plan file is the one the summary
 * describes, and the stack has not changed since. Throws SavedPlanError otherwise.
 */
export function readSavedPlan(ctx: FleetContext, location: StackLocation): TenantPlan {
  const planFile = join(location.workDir, PLAN_FILE);
  const summaryFile = join(location.workDir, PLAN_SUMMARY_FILE);
  const replan = `run \`npx nx run ${location.name}:plan\` (or \`npx fleet plan ${location.name}\`)`;
  if (!existsSync(planFile) || !existsSync(summaryFile)) {
    throw new SavedPlanError(location.name, 'missing', `no saved plan in ${location.workDir} — fix: ${replan} first`);
  }
  const record = parseRecord(location.name, summaryFile, replan);
  if (sha256(readFileSync(planFile)) !== record.planSha256) {
    throw new SavedPlanError(
      location.name,
      'modified',
      `${planFile} is not the plan ${PLAN_SUMMARY_FILE} describes — fix: ${replan} again`,
    );
  }
  if (existsSync(stackFile(location)) && readStack(location).sha256 !== record.stackSha256) {
    throw new SavedPlanError(
      location.name,
      'stack-changed',
      `the stack changed since it was planned at ${record.plannedAt} — fix: ${replan} again`,
    );
  }
  const freshness = stackFreshness({ workspaceRoot: ctx.workspaceRoot, tenant: location.name, dir: location.dir, mode: contextMode(ctx) });
  if (freshness.status === 'stale') {
    throw new SavedPlanError(
      location.name,
      'spec-changed',
      `the plan of ${record.plannedAt} is of a stack that no longer matches: ${freshness.reason} — fix: ${replan} again (it synthesises first)`,
    );
  }
  return { ...record, planFile, summaryFile };
}

function parseRecord(tenant: string, file: string, replan: string): SavedPlanRecord {
  const unreadable = (why: string) => new SavedPlanError(tenant, 'unreadable', `${file} ${why} — fix: ${replan} again`);
  let raw: Partial<SavedPlanRecord>;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<SavedPlanRecord>;
  } catch (error) {
    throw unreadable(`is not valid JSON (${(error as Error).message})`);
  }
  for (const field of ['plannedAt', 'planSha256', 'stackSha256'] as const) {
    if (typeof raw[field] !== 'string') throw unreadable(`has no field ${field} (written by an older hafleet?)`);
  }
  if (typeof raw.summary !== 'object' || raw.summary === null || !Array.isArray(raw.summary.dataLoss)) {
    throw unreadable('has no field summary.dataLoss (written by an older hafleet?)');
  }
  if (raw.tenant !== tenant) throw unreadable(`is the plan of tenant "${String(raw.tenant)}", field tenant`);
  // Summaries saved before deferral was summarised: nothing known to wait (re-plan to know).
  if (!Array.isArray(raw.summary.deferred)) return { ...raw, summary: { ...raw.summary, deferred: [] } } as SavedPlanRecord;
  return raw as SavedPlanRecord;
}
