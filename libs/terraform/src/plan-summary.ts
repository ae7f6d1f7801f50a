import { deferredChange, type ChangeValues, type DeferredChange } from './deferred.js';
import { statefulByType, type StatefulClassifier } from './stateful.js';

/** The parts of `terraform show -json <plan>` the summary reads (format_version 1.x). */
export interface PlanJson {
  format_version?: string;
  terraform_version?: string;
  resource_changes?: PlanResourceChange[];
  /** Changes made outside terraform, found by the refresh (what a drift check reports). */
  resource_drift?: PlanResourceChange[];
  output_changes?: Record<string, { actions: string[] }>;
  planned_values?: { root_module?: PlanModule };
  [key: string]: unknown;
}

export interface PlanResourceChange {
  address: string;
  mode?: 'managed' | 'data';
  type: string;
  deposed?: string;
  change: ChangeValues & { actions: string[] };
}

interface PlanModule {
  resources?: { address: string; mode?: 'managed' | 'data' }[];
  child_modules?: PlanModule[];
}

export type ChangeAction = 'create' | 'update' | 'replace' | 'delete' | 'read' | 'no-op' | 'forget';

export interface ResourceChangeSummary {
  address: string;
  type: string;
  /** Terraform's raw actions, e.g. ["delete","create"]. */
  actions: string[];
  action: ChangeAction;
  /** The resource holds data (see STATEFUL_RESOURCE_TYPES): replacing or deleting it loses that. */
  stateful: boolean;
  /** What it holds, when stateful: the message a person reads before allowing its loss. */
  holds?: string;
}

export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
  replace: number;
  noop: number;
  /** Removed from state without being destroyed (`removed` block with destroy = false). */
  forget: number;
  /** Managed resources in the planned state after apply. */
  resourceCount: number;
  replacements: ResourceChangeSummary[];
  deletions: ResourceChangeSummary[];
  /** Every change that is not a no-op (data source reads included). */
  changes: ResourceChangeSummary[];
  /** Stateful resources replaced or deleted: what apply refuses without an explicit allowance. */
  dataLoss: ResourceChangeSummary[];
  /** Root outputs whose value changes. */
  outputChanges: string[];
  /** Database and cache updates AWS holds until the maintenance window (apply_immediately false). */
  deferred: DeferredChange[];
}

export interface SummariseOptions {
  /** Decides which resources hold data; default by type (STATEFUL_RESOURCE_TYPES). */
  readonly stateful?: StatefulClassifier;
}

export function classifyActions(actions: readonly string[]): ChangeAction {
  const key = actions.join(',');
  switch (key) {
    case 'no-op':
    case 'create':
    case 'update':
    case 'delete':
    case 'read':
    case 'forget':
      return key;
    case 'delete,create':
    case 'create,delete':
      return 'replace';
    default:
      // Guessing could hide a destroy from the CI summary; fail loudly instead.
      throw new Error(`Unknown terraform plan actions [${actions.join(', ')}]`);
  }
}

/** Summarises the JSON plan; counts match terraform's "Plan: X to add, Y to change, Z to destroy." */
export function summarisePlan(plan: PlanJson, options: SummariseOptions = {}): PlanSummary {
  const summary: PlanSummary = {
    add: 0,
    change: 0,
    destroy: 0,
    replace: 0,
    noop: 0,
    forget: 0,
    resourceCount: countResources(plan.planned_values?.root_module),
    replacements: [],
    deletions: [],
    changes: [],
    dataLoss: [],
    outputChanges: changedOutputs(plan),
    deferred: [],
  };
  for (const rc of plan.resource_changes ?? []) {
    const entry = changeEntry(rc, rc.mode === 'data' ? undefined : (options.stateful ?? statefulByType));
    if (entry.action !== 'no-op') summary.changes.push(entry);
    if (rc.mode === 'data') continue; // data sources never count towards add/change/destroy
    switch (entry.action) {
      case 'create':
        summary.add++;
        break;
      case 'update': {
        summary.change++;
        const deferred = deferredChange(rc, rc.change);
        if (deferred) summary.deferred.push(deferred);
        break;
      }
      case 'delete':
        summary.destroy++;
        summary.deletions.push(entry);
        if (entry.stateful) summary.dataLoss.push(entry);
        break;
      case 'replace':
        summary.add++;
        summary.destroy++;
        summary.replace++;
        summary.replacements.push(entry);
        if (entry.stateful) summary.dataLoss.push(entry);
        break;
      case 'forget':
        summary.forget++;
        break;
      case 'no-op':
        summary.noop++;
        break;
    }
  }
  return summary;
}

function changeEntry(rc: PlanResourceChange, stateful: StatefulClassifier | undefined): ResourceChangeSummary {
  const actions = rc.change.actions;
  const holds = stateful?.({ address: rc.address, type: rc.type });
  return {
    address: rc.address,
    type: rc.type,
    actions,
    action: classifyActions(actions),
    stateful: holds !== undefined,
    ...(holds ? { holds } : {}),
  };
}

function changedOutputs(plan: PlanJson): string[] {
  return Object.entries(plan.output_changes ?? {})
    .filter(([, change]) => classifyActions(change.actions) !== 'no-op')
    .map(([name]) => name);
}

/** True when applying the plan would change anything: a resource or an output. */
export function planHasChanges(summary: PlanSummary): boolean {
  return summary.changes.some((c) => c.action !== 'read') || summary.outputChanges.length > 0;
}

/** What a refresh-only plan found changed outside terraform. */
export interface DriftSummary {
  /** True when the real infrastructure (or state) no longer matches what terraform last recorded. */
  drifted: boolean;
  /** Resources changed or deleted outside terraform (`resource_drift`). */
  resources: ResourceChangeSummary[];
  /** Root outputs whose recorded value no longer matches. */
  outputs: string[];
}

/** Summarises a `plan -refresh-only` JSON plan. */
export function summariseDrift(plan: PlanJson, options: SummariseOptions = {}): DriftSummary {
  const resources = (plan.resource_drift ?? [])
    .map((rc) => changeEntry(rc, rc.mode === 'data' ? undefined : (options.stateful ?? statefulByType)))
    .filter((entry) => entry.action !== 'no-op');
  const outputs = changedOutputs(plan);
  return { drifted: resources.length > 0 || outputs.length > 0, resources, outputs };
}

function countResources(module: PlanModule | undefined): number {
  if (!module) return 0;
  const own = (module.resources ?? []).filter((r) => r.mode !== 'data').length;
  return own + (module.child_modules ?? []).reduce((sum, child) => sum + countResources(child), 0);
}

/** One line for logs and PR comments: "3 to add, 1 to change, 0 to destroy (1 replacement)". */
export function formatPlanSummary(s: PlanSummary): string {
  const extras: string[] = [];
  if (s.replace > 0) extras.push(`${s.replace} replacement${s.replace === 1 ? '' : 's'}`);
  if (s.forget > 0) extras.push(`${s.forget} to forget`);
  const base = `${s.add} to add, ${s.change} to change, ${s.destroy} to destroy`;
  return extras.length ? `${base} (${extras.join(', ')})` : base;
}
