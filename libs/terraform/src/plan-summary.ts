/** The parts of `terraform show -json <plan>` the summary reads (format_version 1.x). */
export interface PlanJson {
  format_version?: string;
  terraform_version?: string;
  resource_changes?: PlanResourceChange[];
  planned_values?: { root_module?: PlanModule };
  [key: string]: unknown;
}

export interface PlanResourceChange {
  address: string;
  mode?: 'managed' | 'data';
  type: string;
  deposed?: string;
  change: { actions: string[] };
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
export function summarisePlan(plan: PlanJson): PlanSummary {
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
  };
  for (const rc of plan.resource_changes ?? []) {
    const actions = rc.change.actions;
    const entry: ResourceChangeSummary = { address: rc.address, type: rc.type, actions, action: classifyActions(actions) };
    if (entry.action !== 'no-op') summary.changes.push(entry);
    if (rc.mode === 'data') continue; // data sources never count towards add/change/destroy
    switch (entry.action) {
      case 'create':
        summary.add++;
        break;
      case 'update':
        summary.change++;
        break;
      case 'delete':
        summary.destroy++;
        summary.deletions.push(entry);
        break;
      case 'replace':
        summary.add++;
        summary.destroy++;
        summary.replace++;
        summary.replacements.push(entry);
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
