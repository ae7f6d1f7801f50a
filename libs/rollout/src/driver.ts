import type { DestroyAllowance } from '@hafleet/fleet';
import type { TenantSpec } from '@hafleet/tenant-spec';

/**
 * The per-tenant work of a rollout, behind one small interface, so that the engine (waves,
 * parallelism, gates, journal, halt and resume) never knows how a tenant's stack is built.
 * `workspaceDriver` is the real one; `@hafleet/rollout/testing` has a fixture driver whose stacks
 * are built-in `terraform_data` resources, applied by the real terraform in tests.
 */

/** One spec field a rollout sets, e.g. `{ path: 'app.release', value: '2025.4.0' }` (`--set`). */
export interface SpecChange {
  /** Dotted path in tenant.json. */
  readonly path: string;
  /** Typed by the schema: a string, number, boolean, array or object. */
  readonly value: unknown;
}

export interface SpecUpdate {
  /** The validated spec after the change, defaults filled in. */
  readonly spec: TenantSpec;
  /** False when the spec already held every value (a resumed tenant, or `--reapply`). */
  readonly changed: boolean;
}

/** A resource a plan would replace or delete that holds data. */
export interface DataLoss {
  readonly address: string;
  readonly action: string;
  /** What is lost, e.g. "an RDS database: its data and automated backups". */
  readonly holds: string;
}

/** A database or cache update AWS holds until the resource's maintenance window (libs/terraform DeferredChange). */
export interface DeferredUpdate {
  readonly address: string;
  readonly type: string;
  readonly attributes: readonly string[];
  /** UTC, as AWS stores it; absent when the plan does not know it. */
  readonly window?: string;
}

/** What the journal and the report keep of a tenant's plan. */
export interface PlanDigest {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly replace: number;
  readonly resourceCount: number;
  /** False when applying would change nothing (no resource, no output). */
  readonly hasChanges: boolean;
  readonly dataLoss: readonly DataLoss[];
  /** Updates that wait for the maintenance window (none with --apply-immediately). */
  readonly deferred: readonly DeferredUpdate[];
}

/** A tenant's plan: the digest, plus whatever the driver needs to apply exactly this plan. */
export interface TenantPlan {
  readonly tenant: string;
  readonly digest: PlanDigest;
}

/** `--allow-destroy <tenant>:<address>`, as the plan-safety guard (libs/fleet) reads it. */
export type { DestroyAllowance } from '@hafleet/fleet';

export type GuardDecision =
  | { readonly ok: true; /** Data loss this run allowed. */ readonly allowed: readonly string[] }
  | {
      readonly ok: false;
      readonly blocked: readonly string[];
      /** What would be lost and the exact allowance. */ readonly message: string;
    };

export type ApplyStatus = 'applied' | 'unchanged';

/** Lets a step report what it is doing (terraform init, plan, show…) for the live progress. */
export interface StepContext {
  readonly onStep?: (detail: string) => void;
}

export interface SynthContext extends StepContext {
  /** Database and cache changes apply at once, not in their maintenance window (`--apply-immediately`). Default false. */
  readonly applyImmediately?: boolean;
}

export interface TenantDriver {
  /** Sets `changes` in the tenant's spec: validated first, written atomically, only when it differs. */
  updateSpec(tenant: string, changes: readonly SpecChange[]): Promise<SpecUpdate>;
  /** Builds the tenant's stack from its spec. */
  synth(tenant: string, context?: SynthContext): Promise<void>;
  /** A fresh saved plan; the previous one (if any) is stale by definition. */
  plan(tenant: string, context?: StepContext): Promise<TenantPlan>;
  /** The plan-safety guard: stateful replacements/deletions need an exact allowance. */
  guard(plan: TenantPlan, allowances: readonly DestroyAllowance[]): GuardDecision;
  /** Applies exactly `plan` (and nothing newer); the guard is checked again on the way. */
  apply(plan: TenantPlan, allowances: readonly DestroyAllowance[], context?: StepContext): Promise<ApplyStatus>;
  /** The stack's terraform outputs after apply (health gates read e.g. the web ASG name). */
  outputs(tenant: string): Promise<Record<string, unknown>>;
}

/** A driver over a throw-away copy of the workspace: what `--dry-run` plans against. */
export interface SandboxDriver extends TenantDriver {
  readonly root: string;
  dispose(): void;
}

/** A driver that can make such a copy of itself. */
export interface SandboxableDriver extends TenantDriver {
  /** Specs, fleet config and offline state copied to a temp folder; the workspace is never written. */
  sandbox(): SandboxDriver;
}
