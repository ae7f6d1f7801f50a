import { relative } from 'node:path';
import {
  buildRunReport,
  fleetContext,
  forEachTenant,
  runReportFile,
  writeRunReport,
  type FleetContext,
  type TenantOutcome,
  type TenantRunStatus,
} from '@hafleet/fleet';
import { loadFleet } from '@hafleet/tenant-spec';
import { FLEET_OPTIONS, TENANT_ONLY_OPTION, selectedTenants, type CommandInput } from './command.js';
import { progress } from './output.js';

/** The options of a command that works tenant by tenant across the fleet. */
export const FLEET_RUN_OPTIONS = { ...FLEET_OPTIONS, ...TENANT_ONLY_OPTION } as const;

export interface FleetRunSteps<T> {
  /** Checks the arguments against the selected tenants, before anything is written. */
  readonly check?: (tenants: readonly string[]) => void;
  /** Before the tenants run, e.g. synthesising stale stacks first. */
  readonly prepare?: (ctx: FleetContext, tenants: readonly string[]) => Promise<void>;
  /** One tenant's work; `onStep` feeds the progress line. */
  readonly each: (ctx: FleetContext, tenant: string, onStep: (step: string) => void) => Promise<T>;
  /** A tenant's result in a few words, for progress and the run report. */
  readonly describe: (value: T) => string;
  /** How a result counts in the run report (default: succeeded). */
  readonly status?: (value: T) => TenantRunStatus;
  /** Stop starting tenants after this outcome (the rest are skipped). */
  readonly stopWhen?: (outcome: TenantOutcome<T>) => boolean;
}

export interface FleetRun<T> {
  readonly ctx: FleetContext;
  readonly outcomes: TenantOutcome<T>[];
}

/**
 * The skeleton of `fleet plan`, `drift` and `apply`: the selected tenants (all by default), each
 * through `each` at --max-parallel with a progress line, then the run report in
 * .hafleet/runs/<command>.json (not with --tenant-only, which Nx targets pass).
 */
export async function runAcrossFleet<T>(
  command: string,
  { args, options, workspaceRoot }: CommandInput<typeof FLEET_RUN_OPTIONS>,
  steps: FleetRunSteps<T>,
): Promise<FleetRun<T>> {
  const started = new Date();
  const tenants = loadFleet(workspaceRoot, { only: selectedTenants(args) }).map((t) => t.spec.name);
  steps.check?.(tenants);
  const ctx = fleetContext(workspaceRoot);
  await steps.prepare?.(ctx, tenants);
  const outcomes = await forEachTenant(tenants, (tenant, step) => steps.each(ctx, tenant, step), {
    maxParallel: options['max-parallel'],
    onProgress: progress(command, steps.describe),
    stopWhen: steps.stopWhen,
  });
  if (!options['tenant-only']) {
    const reportFile = runReportFile(workspaceRoot, command);
    writeRunReport(
      reportFile,
      buildRunReport(command, started, outcomes, (value) => ({
        status: steps.status?.(value) ?? 'succeeded',
        detail: steps.describe(value).trim(),
      })),
    );
    console.error(`run report: ${relative(workspaceRoot, reportFile)}`);
  }
  return { ctx, outcomes };
}
