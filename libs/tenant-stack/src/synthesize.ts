import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { replaceDirAtomic } from '@hafleet/fs-safe';
import { loadFleet, loadFleetConfig } from '@hafleet/tenant-spec';
import { App } from 'cdktf';
import { stackModeFromEnv, type StackMode } from './mode.js';
import { DEFAULT_OUTDIR, STACK_FILE, offlineStatePath, stackDir } from './paths.js';
import { TenantStack } from './tenant-stack.js';

export interface SynthesizeOptions {
  readonly workspaceRoot: string;
  /** Tenants to synthesise; default every tenant. */
  readonly only?: readonly string[];
  /** Default `<workspaceRoot>/cdktf.out`. */
  readonly outdir?: string;
  /** Default from HAFLEET_MODE, else offline. */
  readonly mode?: StackMode;
}

export interface SynthesizedTenant {
  readonly tenant: string;
  readonly dir: string;
  readonly file: string;
}

/**
 * Validates the fleet, then synthesises the chosen tenants. Output appears atomically per tenant:
 * everything is synthesised into a staging folder first, so a bad spec or a failing construct
 * leaves the previous `cdktf.out` exactly as it was.
 */
export function synthesizeTenants(options: SynthesizeOptions): SynthesizedTenant[] {
  const workspaceRoot = resolve(options.workspaceRoot);
  const outdir = resolve(options.outdir ?? join(workspaceRoot, DEFAULT_OUTDIR));
  const mode = options.mode ?? stackModeFromEnv();
  const tenants = loadFleet(workspaceRoot, { only: options.only });
  const fleet = loadFleetConfig(workspaceRoot);

  mkdirSync(join(outdir, 'stacks'), { recursive: true });
  const staging = mkdtempSync(join(outdir, '.staging-'));
  try {
    withoutSourceMaps(() => {
      // cdktf's own validations shell out to `terraform version` once per stack; terraform validate covers them.
      const app = new App({ outdir: staging, stackTraces: false, skipValidation: true });
      for (const { spec } of tenants) {
        new TenantStack(app, { spec, mode, fleet, localStatePath: offlineStatePath(workspaceRoot, outdir, spec.name) });
      }
      app.synth();
    });
    const stacks = tenants.map(({ spec }) => {
      const dir = stackDir(outdir, spec.name);
      replaceDirAtomic(stackDir(staging, spec.name), dir);
      return { tenant: spec.name, dir, file: join(dir, STACK_FILE) };
    });
    // cdktf-cli reads the manifest; it only describes the whole fleet after a whole-fleet synth.
    if (!options.only) renameSync(join(staging, 'manifest.json'), join(outdir, 'manifest.json'));
    return stacks;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * cdktf captures a stack trace for every token it creates; with source maps on (tsx turns them
 * on) each capture maps every frame, which costs a quarter of synth time. Errors thrown here
 * carry their own message, so their stack positions matter less than the time.
 */
function withoutSourceMaps<T>(build: () => T): T {
  const enabled = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    return build();
  } finally {
    process.setSourceMapsEnabled(enabled);
  }
}
