/**
 * The process a batch executor forks (through tsx, like the CLI): loads the libs once, runs one
 * step for every tenant of the batch and reports each tenant as soon as it is done.
 *   synth     the fleet loaded once, then maxParallel tenants at a time in synth threads, each in its
 *             own App (released once written), each checked by the guardrails and written atomically on its own
 *   validate  terraform validate of each synthesized stack, maxParallel at a time (synth, which it
 *             depends on, has already held the stack to the spec, fleet rules and guardrails)
 *   plan      terraform plan of each tenant, maxParallel at a time; then the fleet table
 */
import { relative } from 'node:path';
import {
  dataLossLines,
  fleetContext,
  forEachTenant,
  planTenant,
  renderPlanTable,
  validateTenantStack,
  type FleetPlanEntry,
  type TenantOutcome,
} from '@hafleet/fleet';
import { formatFinding, suppressedFindings, summarisePolicy } from '@hafleet/guardrails';
import { synthesizeEachInParallel } from '@hafleet/tenant-stack';
import { formatPlanSummary } from '@hafleet/terraform';
import type { WorkerMessage, WorkerRequest } from './worker-protocol.js';

type Report = (tenant: string, ok: boolean, output: string, startTime: number) => void;

async function synth({ tenants, workspaceRoot, maxParallel }: WorkerRequest, report: Report): Promise<void> {
  let startTime = Date.now();
  for await (const outcome of synthesizeEachInParallel({ workspaceRoot, only: tenants, maxParallel })) {
    if (outcome.ok) {
      const { stack } = outcome;
      const policy = summarisePolicy(stack.policy);
      const accepted = suppressedFindings(stack.policy).map((o) => `  accepted: ${formatFinding(stack.tenant, o)}`);
      const where = relative(workspaceRoot, stack.file);
      const line =
        `${stack.tenant}: ${stack.changed ? 'stack changed' : 'stack unchanged'} (${where}); guardrails: ` +
        `${policy.passed} checks passed${policy.suppressed ? `, ${policy.suppressed} suppressed` : ''}`;
      report(stack.tenant, true, [line, ...accepted].join('\n'), startTime);
    } else {
      report(outcome.tenant, false, outcome.error.message, startTime);
    }
    // Let the result reach Nx before the next tenant's synchronous work.
    await new Promise((resolve) => setImmediate(resolve));
    startTime = Date.now();
  }
}

/** Runs a terraform job per tenant, maxParallel at a time, reporting each as it ends. */
async function eachTenant<T>(
  { tenants, maxParallel }: WorkerRequest,
  report: Report,
  job: (tenant: string) => Promise<T>,
  describe: (tenant: string, value: T) => string,
): Promise<TenantOutcome<T>[]> {
  return forEachTenant(tenants, job, {
    maxParallel,
    onProgress: (event) => {
      if (event.kind !== 'end') return;
      const { outcome } = event;
      const startTime = Date.now() - outcome.durationMs;
      report(
        outcome.tenant,
        outcome.ok,
        outcome.ok ? describe(outcome.tenant, outcome.value) : `${outcome.tenant}: ${outcome.error.message}`,
        startTime,
      );
    },
  });
}

async function validate(request: WorkerRequest, report: Report): Promise<void> {
  const ctx = fleetContext(request.workspaceRoot);
  await eachTenant(
    request,
    report,
    (tenant) => validateTenantStack(ctx, tenant),
    (tenant, result) => `${tenant}: terraform validate: valid${result.warningCount ? `, ${result.warningCount} warning(s)` : ''}`,
  );
}

async function plan(request: WorkerRequest, report: Report): Promise<void> {
  const ctx = fleetContext(request.workspaceRoot);
  const outcomes = await eachTenant(
    request,
    report,
    (tenant) => planTenant(ctx, tenant),
    (tenant, p) =>
      [`${tenant}: ${formatPlanSummary(p.summary)}`, ...dataLossLines([{ tenant, plan: p }]).map((l) => `  data loss: ${l}`)].join('\n'),
  );
  const entries: FleetPlanEntry[] = outcomes.map((o) =>
    o.ok ? { tenant: o.tenant, plan: o.value } : { tenant: o.tenant, error: o.error.message },
  );
  console.log(fleetTable(entries));
}

/** The fleet table the plan batch ends with: one row per tenant, then data loss and failures. */
export function fleetTable(entries: readonly FleetPlanEntry[]): string {
  const sorted = [...entries].sort((a, b) => a.tenant.localeCompare(b.tenant));
  const lines = [`\nplan: ${sorted.length} tenant(s)`, renderPlanTable(sorted)];
  const losses = dataLossLines(sorted);
  if (losses.length)
    lines.push(
      '',
      'stateful resources replaced or destroyed — apply refuses these without --allow-destroy:',
      ...losses.map((l) => `  ${l}`),
    );
  const failed = sorted.filter((e) => e.error);
  if (failed.length) lines.push('', `failed (${failed.length}): ${failed.map((e) => e.tenant).join(', ')}`);
  return lines.join('\n');
}

const STEPS = { synth, validate, plan };

let finished = false;
// The batch process went away (Nx stopped the run): stop too, rather than work for nobody.
process.on('disconnect', () => {
  if (!finished) process.exit(130);
});

process.once('message', (request: WorkerRequest) => {
  const report: Report = (tenant, ok, output, startTime) => {
    const message: WorkerMessage = { kind: 'result', tenant, ok, output, startTime, endTime: Date.now() };
    process.send!(message);
  };
  const end = (code: number) => {
    finished = true;
    process.exitCode = code;
    process.disconnect();
  };
  STEPS[request.step](request, report).then(
    () => end(0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      end(1);
    },
  );
});
