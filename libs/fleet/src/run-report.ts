import { join } from 'node:path';
import { writeJsonAtomic } from '@hafleet/fs-safe';
import type { TenantOutcome } from './for-each-tenant.js';

/** What happened to each tenant in a fleet run, for people and for CI artifacts. */
export type TenantRunStatus = 'succeeded' | 'failed' | 'skipped';

export interface TenantRunEntry {
  readonly tenant: string;
  readonly status: TenantRunStatus;
  readonly durationMs: number;
  /** One line: the result, or why it failed or was skipped. */
  readonly detail: string;
}

export interface RunReport {
  readonly command: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly succeeded: string[];
  readonly failed: string[];
  readonly skipped: string[];
  readonly tenants: TenantRunEntry[];
}

/** Default location: `.hafleet/runs/<command>.json`, the latest run of each command. */
export const runReportFile = (workspaceRoot: string, command: string): string => join(workspaceRoot, '.hafleet', 'runs', `${command}.json`);

/**
 * Builds the report from the outcomes. `classify` turns a finished job's value into its status
 * (e.g. an apply with nothing to do is skipped, a refused one failed); thrown errors are failures
 * and tenants never started are skipped.
 */
export function buildRunReport<T>(
  command: string,
  startedAt: Date,
  outcomes: readonly TenantOutcome<T>[],
  classify: (value: T) => { status: TenantRunStatus; detail: string },
): RunReport {
  const tenants = outcomes.map((o): TenantRunEntry => {
    const base = { tenant: o.tenant, durationMs: Math.round(o.durationMs) };
    if (o.ok) return { ...base, ...classify(o.value) };
    const detail = o.error.message.split('\n')[0] ?? '';
    return { ...base, status: o.skipped ? 'skipped' : 'failed', detail };
  });
  const named = (status: TenantRunStatus) => tenants.filter((t) => t.status === status).map((t) => t.tenant);
  return {
    command,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    succeeded: named('succeeded'),
    failed: named('failed'),
    skipped: named('skipped'),
    tenants,
  };
}

export function writeRunReport(file: string, report: RunReport): void {
  writeJsonAtomic(file, report);
}
