import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { TerraformRunner, resolveProviderMirror, summarisePlan, writeCliConfig, type PlanSummary } from '@hafleet/terraform';

/** `describe` for tests that run the real terraform: skipped when no provider mirror is at hand. */
export const describeWithTerraform = describe.skipIf(resolveProviderMirror() === undefined);

/**
 * Test-only: synthesise a stack built by `build` into a temp folder, then run the REAL terraform
 * and AWS provider on it: init, validate and an offline plan (local state in the temp folder, no
 * AWS calls), then remove the folder. `build` adds the constructs and `offlineAwsProvider(stack)`.
 */
export async function planOffline(build: (stack: TerraformStack) => void): Promise<PlanSummary> {
  const outdir = mkdtempSync(join(tmpdir(), 'hafleet-module-'));
  try {
    const app = new App({ outdir, stackTraces: false });
    const stack = new TerraformStack(app, 'module');
    // Relative to the stack folder: cdktf's default would put the state in the current directory.
    new LocalBackend(stack, { path: 'terraform.tfstate' });
    build(stack);
    app.synth();
    const mirror = resolveProviderMirror();
    const runner = new TerraformRunner({
      workingDir: join(outdir, 'stacks', 'module'),
      cliConfigFile: mirror ? writeCliConfig(outdir, mirror) : undefined,
    });
    await runner.init();
    await runner.validate();
    const { planFile } = await runner.plan({ out: join(outdir, 'tfplan') });
    return summarisePlan(await runner.showJson(planFile));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Fails unless the plan only creates: nothing updated, replaced or destroyed, and no other change. */
export function expectOnlyCreates(summary: PlanSummary): void {
  expect(summary).toMatchObject({ change: 0, destroy: 0, replace: 0 });
  expect(summary.add).toBe(summary.changes.length);
  expect(summary.changes.filter((c) => c.action !== 'create')).toEqual([]);
}

/** How many resources of each type the plan creates. */
export function createdCounts(summary: PlanSummary): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const change of summary.changes) if (change.action === 'create') counts[change.type] = (counts[change.type] ?? 0) + 1;
  return counts;
}
