import { join, relative } from 'node:path';

/** Where things live in a workspace; one place, so the CLI, Nx and tests agree. */
export const DEFAULT_OUTDIR = 'cdktf.out';
export const STACK_FILE = 'cdk.tf.json';

/** The synthesized stack folder of a tenant: plain Terraform JSON, runnable without cdktf. */
export function stackDir(outdir: string, tenant: string): string {
  return join(outdir, 'stacks', tenant);
}

/**
 * Terraform's working files for a tenant (data dir, offline state, plan files). Kept out of the
 * synthesized folder, which synth replaces whole and Nx restores from its cache.
 */
export function tenantWorkDir(workspaceRoot: string, tenant: string): string {
  return join(workspaceRoot, '.hafleet', 'tenants', tenant);
}

/** Offline local state, as a path relative to the stack folder (so the JSON stays machine-independent). */
export function offlineStatePath(workspaceRoot: string, outdir: string, tenant: string): string {
  return relative(stackDir(outdir, tenant), join(tenantWorkDir(workspaceRoot, tenant), 'terraform.tfstate'));
}
