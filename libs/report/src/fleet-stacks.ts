import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SynthesizedStack, stackDigest } from '@hafleet/guardrails';
import { DEFAULT_OUTDIR, STACK_FILE, loadFleet, stackDir, type TenantSpec } from '@hafleet/tenant-spec';

/** A tenant with its synthesized stack, as the last synth left it in `cdktf.out`. */
export interface TenantWithStack {
  readonly spec: TenantSpec;
  readonly stack: SynthesizedStack;
  readonly stackFile: string;
  /** sha256 of the stack file's bytes: a guardrail report saved beside it is reused only for these bytes. */
  readonly stackDigest: string;
}

export interface LoadStacksOptions {
  readonly workspaceRoot: string;
  readonly only?: readonly string[];
  /** Synthesise every selected tenant first (else only those with no stack yet). */
  readonly synth?: boolean;
  readonly onProgress?: (message: string) => void;
}

/**
 * The selected tenants and their synthesized stacks. Reports read what `synth` wrote (Nx caches
 * it), so a fleet report costs no synthesis; tenants with no stack yet, or all with `synth`, are
 * synthesised first (with the guardrails, atomically, as `fleet synth` does).
 */
export async function loadTenantStacks(options: LoadStacksOptions): Promise<TenantWithStack[]> {
  const { workspaceRoot } = options;
  const tenants = loadFleet(workspaceRoot, { only: options.only });
  const file = (tenant: string) => join(stackDir(join(workspaceRoot, DEFAULT_OUTDIR), tenant), STACK_FILE);
  const missing = tenants.map((t) => t.spec.name).filter((name) => options.synth || !existsSync(file(name)));
  if (missing.length > 0) {
    options.onProgress?.(
      `synthesising ${missing.length} tenant(s) first: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`,
    );
    // cdktf and every construct load only when something needs synthesising.
    const { synthesizeTenants } = await import('@hafleet/tenant-stack');
    synthesizeTenants({ workspaceRoot, only: missing });
  }
  return tenants.map(({ spec }) => {
    const bytes = readFileSync(file(spec.name));
    return {
      spec,
      stack: new SynthesizedStack(JSON.parse(bytes.toString('utf8'))),
      stackFile: file(spec.name),
      stackDigest: stackDigest(bytes),
    };
  });
}
