import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_OUTDIR, STACK_FILE, stackDir, tenantWorkDir } from '@hafleet/tenant-stack';
import { TerraformRunner, resolveProviderMirror, writeCliConfig, type Env } from '@hafleet/terraform';

/** What every fleet command needs to run terraform for a tenant. */
export interface FleetContext {
  readonly workspaceRoot: string;
  readonly outdir: string;
  /** The project's own CLI config when a provider mirror is in use. */
  readonly cliConfigFile: string | undefined;
  readonly env: Env;
}

export function fleetContext(workspaceRoot: string, options: { outdir?: string; env?: Env } = {}): FleetContext {
  const root = resolve(workspaceRoot);
  const env = options.env ?? process.env;
  const mirror = resolveProviderMirror({ env });
  return {
    workspaceRoot: root,
    outdir: resolve(options.outdir ?? join(root, DEFAULT_OUTDIR)),
    cliConfigFile: mirror ? writeCliConfig(join(root, '.hafleet'), mirror) : undefined,
    env,
  };
}

/**
 * A runner in the tenant's synthesized stack folder. Terraform's data dir lives in the tenant's
 * work folder, so re-synthesising never throws away the initialised providers or the plan.
 */
export function tenantRunner(ctx: FleetContext, tenant: string, onOutput?: (chunk: string) => void): TerraformRunner {
  const dir = stackDir(ctx.outdir, tenant);
  if (!existsSync(join(dir, STACK_FILE))) {
    throw new Error(`tenant ${tenant}: no synthesized stack in ${dir} — fix: run \`npx nx run ${tenant}:synth\` first`);
  }
  return new TerraformRunner({
    workingDir: dir,
    cliConfigFile: ctx.cliConfigFile,
    env: { ...ctx.env, TF_DATA_DIR: join(tenantWorkDir(ctx.workspaceRoot, tenant), '.terraform') },
    onOutput: onOutput && ((chunk) => onOutput(chunk)),
  });
}
