import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findWorkspaceRoot } from '@hafleet/entry-point';

/** The repository root, for tests that read the README or the example tenants. */
export const WORKSPACE_ROOT = findWorkspaceRoot(import.meta.url);

/** What a copy of the workspace needs to synthesise, plan and run Nx; everything else is skipped. */
const COPIED = [
  'apps',
  'libs',
  'tenants',
  'fleet.json',
  'prices.json',
  'nx.json',
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  'tsconfig.json',
  'cdktf.json',
  'vitest.config.ts',
  'eslint.config.mjs',
];

export interface TempWorkspace {
  readonly root: string;
  /** Removes the copy. */
  readonly dispose: () => void;
}

/**
 * A throw-away copy of this workspace (sources, tenants, config; node_modules linked, not copied),
 * so a test can onboard, break specs, synthesise, plan and run Nx without touching the real one.
 * `tenants` limits the copied tenants (default all).
 */
export function tempWorkspace(options: { tenants?: readonly string[] } = {}): TempWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'hafleet-ws-'));
  for (const entry of COPIED) {
    const source = join(WORKSPACE_ROOT, entry);
    if (!existsSync(source)) continue;
    cpSync(source, join(root, entry), {
      recursive: true,
      filter: (path) => !path.includes('node_modules') && !path.includes('__snapshots__'),
    });
  }
  if (options.tenants) {
    for (const folder of readdirSync(join(root, 'tenants'))) {
      if (!options.tenants.includes(folder)) rmSync(join(root, 'tenants', folder), { recursive: true });
    }
  }
  symlinkSync(join(WORKSPACE_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  return { root, dispose: () => rmSync(root, { recursive: true, force: true }) };
}
