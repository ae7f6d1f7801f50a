import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import {
  applyTenant,
  fleetContext,
  guardPlan,
  planTenant,
  refusalMessage,
  tenantRunner,
  type DestroyAllowance,
  type FleetContext,
  type TenantPlan as FleetTenantPlan,
} from '@hafleet/fleet';
import { writeFileAtomic } from '@hafleet/fs-safe';
import { parseTenantSpec, specDefaults } from '@hafleet/tenant-spec';
import { synthesizeTenants } from '@hafleet/tenant-stack';
import { planHasChanges, type Env, type PlanSummary } from '@hafleet/terraform';
import type {
  ApplyStatus,
  GuardDecision,
  PlanDigest,
  SandboxDriver,
  SandboxableDriver,
  SpecChange,
  SpecUpdate,
  StepContext,
  SynthContext,
  TenantPlan,
} from './driver.js';
import { setSpecValues } from './spec-changes.js';
import { copyWorkspaceInputs, specFile } from './workspace-copy.js';

/**
 * Builds one tenant's stack in a workspace. `applyImmediately` is this run's choice, whatever
 * the environment says; a synth in another process gets it as HAFLEET_APPLY_IMMEDIATELY.
 */
export type SynthesizeTenant = (workspaceRoot: string, tenant: string, options: { readonly applyImmediately: boolean }) => void;

/** The real stacks: cdktf synthesis of the full HA stack (libs/tenant-stack). */
export const synthesizeTenantStack: SynthesizeTenant = (workspaceRoot, tenant, { applyImmediately }) => {
  synthesizeTenants({ workspaceRoot, only: [tenant], applyImmediately });
};

export interface WorkspaceDriverOptions {
  readonly workspaceRoot: string;
  /** How a tenant's stack is built. Default: synthesizeTenantStack. */
  readonly synthesize?: SynthesizeTenant;
  /** terraform's environment. Default process.env. */
  readonly env?: Env;
}

/** The saved plan behind a TenantPlan: apply checks it is still exactly this one. */
interface SavedPlan extends TenantPlan {
  readonly plannedAt: string;
  readonly summary: PlanSummary;
}

/**
 * The real driver, for tenants in a workspace: specs edited in place (validated, atomic, only when
 * the text changes), the stack synthesised, planned, guarded and applied with libs/fleet — the same
 * plan/guard/apply as `fleet plan` and `fleet apply`, so a rollout is no more dangerous than they are.
 */
export class WorkspaceDriver implements SandboxableDriver {
  readonly root: string;
  private readonly synthesize: SynthesizeTenant;
  private context: FleetContext | undefined;

  constructor(private readonly options: WorkspaceDriverOptions) {
    this.root = options.workspaceRoot;
    this.synthesize = options.synthesize ?? synthesizeTenantStack;
  }

  /** Made on first use: it writes the provider-mirror CLI config, which a dry run must not do here. */
  private get ctx(): FleetContext {
    return (this.context ??= fleetContext(this.root, this.options.env ? { env: this.options.env } : {}));
  }

  async updateSpec(tenant: string, changes: readonly SpecChange[]): Promise<SpecUpdate> {
    const file = specFile(this.root, tenant);
    const before = readFileSync(file, 'utf8');
    const after = setSpecValues(before, changes);
    const spec = parseTenantSpec(after, { file: relative(this.root, file), folder: tenant }, specDefaults(this.root));
    if (after !== before) writeFileAtomic(file, after);
    return { spec, changed: after !== before };
  }

  async synth(tenant: string, context: SynthContext = {}): Promise<void> {
    this.synthesize(this.root, tenant, { applyImmediately: context.applyImmediately ?? false });
  }

  async plan(tenant: string, context: StepContext = {}): Promise<SavedPlan> {
    const plan: FleetTenantPlan = await planTenant(this.ctx, tenant, { onStep: context.onStep });
    return { tenant, digest: digestOf(plan.summary), plannedAt: plan.plannedAt, summary: plan.summary };
  }

  guard(plan: TenantPlan, allowances: readonly DestroyAllowance[]): GuardDecision {
    const verdict = guardPlan(plan.tenant, savedPlan(plan).summary, allowances);
    if (verdict.ok) return { ok: true, allowed: verdict.allowed.map((c) => c.address) };
    return { ok: false, blocked: verdict.blocked.map((c) => c.address), message: refusalMessage(verdict) };
  }

  async apply(plan: TenantPlan, allowances: readonly DestroyAllowance[], context: StepContext = {}): Promise<ApplyStatus> {
    const result = await applyTenant(this.ctx, plan.tenant, { allowDestroy: allowances, onStep: context.onStep });
    if (result.plannedAt !== savedPlan(plan).plannedAt) {
      throw new Error(
        `tenant ${plan.tenant}: the saved plan was replaced by another run (planned at ${result.plannedAt}) — fix: resume the rollout, it re-plans`,
      );
    }
    if (result.status === 'refused') throw new Error(refusalMessage(result.verdict));
    return result.status;
  }

  async outputs(tenant: string): Promise<Record<string, unknown>> {
    const { stdout } = await tenantRunner(this.ctx, tenant).run(['output', '-json', '-no-color']);
    const outputs = JSON.parse(stdout) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.value]));
  }

  sandbox(): SandboxDriver {
    const copy = copyWorkspaceInputs(this.root, { state: true });
    const driver = new WorkspaceDriver({ ...this.options, workspaceRoot: copy.root });
    return Object.assign(driver, { root: copy.root, dispose: copy.dispose });
  }
}

function savedPlan(plan: TenantPlan): SavedPlan {
  if (!('summary' in plan) || !('plannedAt' in plan))
    throw new Error(`tenant ${plan.tenant}: this plan was not made by the workspace driver`);
  return plan as SavedPlan;
}

export function digestOf(summary: PlanSummary): PlanDigest {
  return {
    add: summary.add,
    change: summary.change,
    destroy: summary.destroy,
    replace: summary.replace,
    resourceCount: summary.resourceCount,
    hasChanges: planHasChanges(summary),
    dataLoss: summary.dataLoss.map((c) => ({ address: c.address, action: c.action, holds: c.holds ?? c.type })),
    deferred: summary.deferred.map((d) => ({
      address: d.address,
      type: d.type,
      attributes: [...d.attributes],
      ...(d.window ? { window: d.window } : {}),
    })),
  };
}

export const workspaceDriver = (options: WorkspaceDriverOptions): WorkspaceDriver => new WorkspaceDriver(options);
