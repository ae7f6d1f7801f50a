import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { replaceDirAtomic } from '@hafleet/fs-safe';
import type { FleetContext, StackLocation } from '@hafleet/fleet';
import { loadFleetConfig } from '@hafleet/tenant-spec';
import { DEFAULT_OUTDIR, STACK_FILE } from '@hafleet/tenant-spec';
import { stackModeFromEnv, type StackMode } from '@hafleet/tenant-stack';
import { App } from 'cdktf';
import { StateBucketStack } from './state-bucket-stack.js';

export const BOOTSTRAP_STACK = 'state-bootstrap';

/** Where the bootstrap stack is synthesised and where terraform keeps its files (and its state). */
export function bootstrapLocation(ctx: Pick<FleetContext, 'workspaceRoot' | 'outdir'>): StackLocation {
  return {
    name: BOOTSTRAP_STACK,
    dir: join(ctx.outdir, 'bootstrap', BOOTSTRAP_STACK),
    workDir: join(ctx.workspaceRoot, '.hafleet', BOOTSTRAP_STACK),
    synthCommand: 'npx fleet bootstrap synth',
  };
}

/** Synthesises the state-bucket stack from fleet.json; the folder appears whole or not at all. */
export function synthesizeBootstrap(options: { workspaceRoot: string; outdir?: string; mode?: StackMode }): string {
  const workspaceRoot = resolve(options.workspaceRoot);
  const outdir = resolve(options.outdir ?? join(workspaceRoot, DEFAULT_OUTDIR));
  const location = bootstrapLocation({ workspaceRoot, outdir });
  const fleet = loadFleetConfig(workspaceRoot);
  mkdirSync(outdir, { recursive: true });
  const staging = mkdtempSync(join(outdir, '.staging-'));
  try {
    const app = new App({ outdir: staging, stackTraces: false });
    new StateBucketStack(app, BOOTSTRAP_STACK, {
      fleet,
      mode: options.mode ?? stackModeFromEnv(),
      localStatePath: relative(location.dir, join(location.workDir, 'terraform.tfstate')),
    });
    app.synth();
    replaceDirAtomic(join(staging, 'stacks', BOOTSTRAP_STACK), location.dir);
    return join(location.dir, STACK_FILE);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
