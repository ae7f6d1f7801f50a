import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { tenantWorkDir } from '@hafleet/tenant-spec';
import { SpecValidationError, TENANT_SPEC_FILE, TENANTS_DIR, loadFleet, type LoadedTenant } from '@hafleet/tenant-spec';
import type { SpecChange } from './driver.js';
import { setSpecValues } from './spec-changes.js';

/**
 * Throw-away copies of what a stack is built from — `tenants/`, the root JSON config (fleet.json)
 * and, for plans, each tenant's offline state — so a rollout can validate its edits and a dry run
 * can synthesise and plan them without writing one byte in the workspace.
 */

export interface WorkspaceCopy {
  readonly root: string;
  dispose(): void;
}

export function copyWorkspaceInputs(workspaceRoot: string, options: { readonly state?: boolean } = {}): WorkspaceCopy {
  const root = mkdtempSync(join(tmpdir(), 'hafleet-rollout-'));
  try {
    cpSync(join(workspaceRoot, TENANTS_DIR), join(root, TENANTS_DIR), { recursive: true });
    for (const entry of readdirSync(workspaceRoot, { withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.json')) cpSync(join(workspaceRoot, entry.name), join(root, entry.name));
    }
    if (options.state) {
      for (const tenant of readdirSync(join(root, TENANTS_DIR))) {
        // Offline state only: remote state stays in its bucket, and a plan only reads it.
        const state = join(tenantWorkDir(workspaceRoot, tenant), 'terraform.tfstate');
        if (existsSync(state)) cpSync(state, join(tenantWorkDir(root, tenant), 'terraform.tfstate'));
      }
    }
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return { root, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

export const specFile = (workspaceRoot: string, tenant: string): string => join(workspaceRoot, TENANTS_DIR, tenant, TENANT_SPEC_FILE);

/**
 * Checks every edited spec before anything is touched: the schema of each, and the fleet-wide
 * rules across all of them (setting one domain on two tenants fails here, not half-way through).
 * Throws SpecValidationError listing every problem; returns the edited tenants.
 */
export function validateSpecEdits(workspaceRoot: string, tenants: readonly string[], changes: readonly SpecChange[]): LoadedTenant[] {
  const copy = copyWorkspaceInputs(workspaceRoot);
  try {
    for (const tenant of tenants) {
      const file = specFile(copy.root, tenant);
      try {
        writeFileSync(file, setSpecValues(readFileSync(file, 'utf8'), changes));
      } catch (error) {
        const where = relative(copy.root, file);
        throw new SpecValidationError([
          {
            tenant,
            file: where,
            field: changes.map((c) => c.path).join(', '),
            message: `cannot be set: ${(error as Error).message} — fix: correct the spec or the --set path`,
          },
        ]);
      }
    }
    return loadFleet(copy.root, { only: tenants });
  } finally {
    copy.dispose();
  }
}
