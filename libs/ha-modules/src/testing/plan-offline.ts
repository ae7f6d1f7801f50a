import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { TerraformRunner, resolveProviderMirror, summarisePlan, writeCliConfig, type PlanSummary } from '@hafleet/terraform';

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
