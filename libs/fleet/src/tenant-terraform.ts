import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_OUTDIR, STACK_FILE, stackDir, stackFreshness, stackLibsDigest, tenantWorkDir } from '@hafleet/tenant-spec';
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
 * One stack terraform runs in: a tenant's, or another of the workspace's (the state bootstrap).
 * Everything terraform writes for it (data dir, plan, offline state, summaries) is in `workDir`
 * and nowhere else, so stacks never share a file under `nx run-many --parallel`.
 */
export interface StackLocation {
  /** The tenant (or stack) name used in messages and summaries. */
  readonly name: string;
  /** The synthesized stack folder holding `cdk.tf.json`. */
  readonly dir: string;
  /** This stack's own working folder. */
  readonly workDir: string;
  /** The command that synthesises the stack, for the "run it first" message. */
  readonly synthCommand: string;
}

export function tenantLocation(ctx: FleetContext, tenant: string): StackLocation {
  return {
    name: tenant,
    dir: stackDir(ctx.outdir, tenant),
    workDir: tenantWorkDir(ctx.workspaceRoot, tenant),
    synthCommand: `npx nx run ${tenant}:synth`,
  };
}

export const stackFile = (location: StackLocation): string => join(location.dir, STACK_FILE);

/** The stack mode of this context's environment (HAFLEET_MODE, default offline), as synth records it. */
export const contextMode = (ctx: FleetContext): string => ctx.env['HAFLEET_MODE'] ?? 'offline';

/**
 * The selected tenants whose synthesized stack is missing or no longer matches its spec, fleet.json,
 * libraries or mode, each with why: what `fleet plan` synthesises before planning.
 */
export function staleTenants(ctx: FleetContext, tenants: readonly string[]): Array<{ tenant: string; reason: string }> {
  const libs = stackLibsDigest(ctx.workspaceRoot);
  return tenants.flatMap((tenant) => {
    const freshness = stackFreshness({
      workspaceRoot: ctx.workspaceRoot,
      tenant,
      dir: stackDir(ctx.outdir, tenant),
      mode: contextMode(ctx),
      libs,
    });
    return freshness.status === 'missing' || freshness.status === 'stale' ? [{ tenant, reason: freshness.reason }] : [];
  });
}

/**
 * A runner in the stack folder. Terraform's data dir lives in the stack's work folder, so
 * re-synthesising never throws away the initialised providers or the plan. With a provider mirror,
 * `init` links the provider from the mirror (nothing copied, nothing shared to race on), so a
 * plugin cache — which terraform does not make safe for concurrent inits — is switched off.
 */
export function stackRunner(ctx: FleetContext, location: StackLocation, onOutput?: (chunk: string) => void): TerraformRunner {
  if (!existsSync(stackFile(location))) {
    throw new Error(`tenant ${location.name}: no synthesized stack in ${location.dir} — fix: run \`${location.synthCommand}\` first`);
  }
  const env: Env = { ...ctx.env, TF_DATA_DIR: join(location.workDir, '.terraform') };
  if (ctx.cliConfigFile) delete env['TF_PLUGIN_CACHE_DIR'];
  return new TerraformRunner({
    workingDir: location.dir,
    cliConfigFile: ctx.cliConfigFile,
    env,
    onOutput: onOutput && ((chunk) => onOutput(chunk)),
  });
}

/** A runner in the tenant's synthesized stack folder (see stackRunner). */
export function tenantRunner(ctx: FleetContext, tenant: string, onOutput?: (chunk: string) => void): TerraformRunner {
  return stackRunner(ctx, tenantLocation(ctx, tenant), onOutput);
}
