import { readFileSync } from 'node:fs';
import type { FleetPlanEntry } from './fleet-view.js';

/**
 * How CI splits the affected tenants into jobs: GitHub refuses a matrix over 256 jobs, and a job
 * per tenant would pay the runner start, checkout and install per tenant. Tenants are split into
 * at most `maxJobs` shards of near-equal size (each plans or applies its shard with bounded
 * parallelism); tenants whose apply needs a reviewer keep a job of their own, in their own GitHub
 * environment (`tenant-<name>`, where the required reviewers are set).
 */

export interface Shard {
  /** 1-based, stable for the same input: names the job and its artifacts. */
  readonly id: number;
  readonly tenants: readonly string[];
}

export interface ShardPlan {
  readonly shards: readonly Shard[];
  /** Tenants applied one per job, in environment `tenant-<name>`. */
  readonly approvals: readonly string[];
}

export interface ShardOptions {
  readonly maxJobs: number;
  /** Tenants that need their own job and environment (fleet.json `ci.approvalTenants`). */
  readonly approvalTenants?: readonly string[];
}

export function shardTenants(tenants: readonly string[], options: ShardOptions): ShardPlan {
  if (!Number.isInteger(options.maxJobs) || options.maxJobs < 1)
    throw new Error(`maxJobs "${options.maxJobs}" must be a whole number ≥ 1 — fix: fleet.json ci.maxJobs`);
  const approval = new Set(options.approvalTenants ?? []);
  const unique = [...new Set(tenants)].sort();
  const approvals = unique.filter((t) => approval.has(t));
  const rest = unique.filter((t) => !approval.has(t));
  const count = Math.min(options.maxJobs, rest.length);
  const shards: Shard[] = [];
  // The first `rest.length % count` shards take one tenant more: sizes differ by at most one.
  for (let id = 1, start = 0; id <= count; id++) {
    const size = Math.floor(rest.length / count) + (id <= rest.length % count ? 1 : 0);
    shards.push({ id, tenants: rest.slice(start, start + size) });
    start += size;
  }
  return { shards, approvals };
}

/** Reads one shard's `.hafleet/plan-summary.json` (written by `fleet show`) back into entries. */
export function readFleetPlanView(file: string): FleetPlanEntry[] {
  const view = JSON.parse(readFileSync(file, 'utf8')) as { tenants?: unknown };
  if (!Array.isArray(view.tenants))
    throw new Error(`${file} has no tenants list — fix: give the plan-summary.json that \`fleet show\` writes`);
  return (view.tenants as Array<FleetPlanEntry & { plannedAt?: string; summary?: NonNullable<FleetPlanEntry['plan']>['summary'] }>).map(
    (t) =>
      t.summary
        ? { tenant: t.tenant, plan: { plannedAt: t.plannedAt ?? '', summary: t.summary } }
        : { tenant: t.tenant, error: t.error ?? 'failed' },
  );
}

/**
 * The shards' views as one: every tenant once (a later shard's entry replaces an earlier one's),
 * sorted, and every tenant a shard was given but did not report counted as failed.
 */
export function mergeShardViews(views: ReadonlyArray<readonly FleetPlanEntry[]>, expected: readonly string[] = []): FleetPlanEntry[] {
  const byTenant = new Map<string, FleetPlanEntry>();
  for (const view of views) for (const entry of view) byTenant.set(entry.tenant, entry);
  for (const tenant of expected)
    if (!byTenant.has(tenant))
      byTenant.set(tenant, { tenant, error: 'no plan reported: its shard job failed before `fleet show` (see the job log)' });
  return [...byTenant.values()].sort((a, b) => a.tenant.localeCompare(b.tenant));
}
