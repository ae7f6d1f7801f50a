import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { estimateCost, specProfile, tenantCostInput, type CostEstimate, type PriceFile } from '@hafleet/cost';
import { DRIFT_SUMMARY_FILE, PLAN_SUMMARY_FILE, type SavedPlanRecord, type TenantDrift } from '@hafleet/fleet';
import {
  evaluatePolicy,
  policyContext,
  policyReportKey,
  readPolicyReportFile,
  summarisePolicy,
  type PolicyOutcome,
  type PolicySummary,
} from '@hafleet/guardrails';
import { RolloutJournal, ROLLOUTS_DIR, type JournalData } from '@hafleet/rollout';
import { tenantWorkDir, type FleetConfig, type TenantSpec } from '@hafleet/tenant-spec';
import type { TenantWithStack } from './fleet-stacks.js';

/** What the report shows of one tenant: the fleet row and the tenant page. */
export interface TenantReport {
  readonly spec: TenantSpec;
  readonly profile: string;
  readonly resources: number;
  readonly policy: PolicySummary;
  /** Failing and suppressed outcomes (passes are counted in `policy`). */
  readonly findings: readonly PolicyOutcome[];
  readonly plan?: Pick<SavedPlanRecord, 'plannedAt' | 'summary'>;
  readonly drift?: Pick<TenantDrift, 'checkedAt' | 'drifted' | 'resources'>;
  /** The latest rollout that included the tenant, and where the tenant got to in it. */
  readonly rollout?: { id: string; status: string; state: string; step?: string; updatedAt: string };
  readonly cost?: CostEstimate;
  /** Why there is no estimate (missing prices for the region, ...). */
  readonly costError?: string;
  /** Published runtime configuration: names and kinds only, never a secret value. */
  readonly runtimeConfig: ReadonlyArray<{ name: string; type: string; value: string }>;
}

export interface RolloutEntry {
  readonly id: string;
  readonly journal?: JournalData;
  /** Why the journal could not be read (refused as corrupt, ...). */
  readonly error?: string;
}

function readJson<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined; // a half-written or foreign file is shown as "none", never trusted
  }
}

/** Every rollout journal in the workspace, oldest first; journals that fail verification are listed with why. */
export function readRollouts(workspaceRoot: string): RolloutEntry[] {
  const dir = join(workspaceRoot, ROLLOUTS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^\d{8}-\d{6}-[0-9a-f]{4}\.json$/.test(f))
    .sort()
    .map((f) => {
      const id = f.slice(0, -'.json'.length);
      try {
        return { id, journal: RolloutJournal.load(workspaceRoot, id).data };
      } catch (error) {
        return { id, error: (error as Error).message };
      }
    });
}

/** A stack value as the report may show it: literals as they are, references as where they come from. */
function shownValue(value: unknown): string {
  if (typeof value !== 'string') return value === undefined ? '' : JSON.stringify(value);
  const reference = /^\$\{([a-z0-9_]+)\.[A-Za-z0-9_-]+\.([A-Za-z0-9_]+)/.exec(value);
  if (reference) return `(after apply: ${reference[1]} ${reference[2]})`;
  return value.includes('${') ? '(computed at apply)' : value;
}

export interface CollectOptions {
  readonly workspaceRoot: string;
  readonly prices?: PriceFile;
  /** Why there are no prices at all (no price file), shown instead of every cost. */
  readonly pricesError?: string;
  readonly rollouts: readonly RolloutEntry[];
  readonly fleet: FleetConfig;
  /** Every tenant name in the workspace (the isolation rules look for the others). */
  readonly fleetTenants: readonly string[];
  /** The libraries' digest (`stackLibsDigest`): a saved guardrail report is reused only if the rules are the same code. */
  readonly libs: string;
  /** Called with whether the guardrail report saved beside the stack was reused (else the rules ran again). */
  readonly onPolicy?: (reused: boolean) => void;
}

/**
 * The guardrails' report on a tenant's stack: the one synth saved beside it when it was evaluated
 * from these very bytes, spec, fleet and rules; else evaluated now.
 */
function tenantPolicy({ spec, stack, stackFile, stackDigest }: TenantWithStack, options: CollectOptions) {
  const context = policyContext({ spec, fleet: options.fleet, fleetTenants: options.fleetTenants });
  const saved = readPolicyReportFile(dirname(stackFile), policyReportKey(stackDigest, context, options.libs));
  options.onPolicy?.(saved !== undefined);
  return saved ?? evaluatePolicy(stack, context);
}

export function collectTenant(tenant: TenantWithStack, options: CollectOptions): TenantReport {
  const { spec, stack } = tenant;
  const { workspaceRoot } = options;
  const policy = tenantPolicy(tenant, options);
  const work = tenantWorkDir(workspaceRoot, spec.name);
  const plan = readJson<SavedPlanRecord>(join(work, PLAN_SUMMARY_FILE));
  const drift = readJson<TenantDrift>(join(work, DRIFT_SUMMARY_FILE));
  const latest = [...options.rollouts].reverse().find((r) => r.journal?.tenants[spec.name]);
  const record = latest?.journal?.tenants[spec.name];
  let cost: CostEstimate | undefined;
  let costError = options.pricesError;
  if (options.prices) {
    try {
      cost = estimateCost(tenantCostInput(spec, stack), options.prices);
    } catch (error) {
      costError = (error as Error).message;
    }
  }
  return {
    spec,
    profile: specProfile(spec) ?? 'moodle',
    resources: stack.resources.length,
    policy: summarisePolicy(policy),
    findings: policy.outcomes.filter((o) => o.result !== 'pass'),
    ...(plan?.summary && { plan: { plannedAt: plan.plannedAt, summary: plan.summary } }),
    ...(drift &&
      typeof drift.drifted === 'boolean' && {
        drift: { checkedAt: drift.checkedAt, drifted: drift.drifted, resources: drift.resources ?? [] },
      }),
    ...(latest?.journal &&
      record && {
        rollout: {
          id: latest.id,
          status: latest.journal.status,
          state: record.state,
          ...(record.step && { step: record.step }),
          updatedAt: latest.journal.updatedAt,
        },
      }),
    ...(cost && { cost }),
    ...(!cost && costError && { costError }),
    runtimeConfig: stack.ofType('aws_ssm_parameter').map((p) => {
      const type = typeof p.values['type'] === 'string' ? p.values['type'] : 'String';
      return {
        name: String(p.values['name'] ?? p.address),
        type,
        value: type === 'SecureString' ? '(secret: not shown)' : shownValue(p.values['value'] ?? p.values['insecure_value']),
      };
    }),
  };
}
