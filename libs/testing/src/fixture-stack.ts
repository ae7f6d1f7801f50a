import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { STACK_FILE, STACK_INPUTS_FILE, stackDir, tenantWorkDir } from '@hafleet/tenant-spec';

/**
 * Test support: tiny real terraform stacks made only of the built-in `terraform_data` resource
 * (no provider, no network) with local state in the tenant's work folder — laid out exactly where
 * the fleet functions look for a synthesized tenant stack.
 */

export interface FixtureResource {
  /** Stored value; changing it is an in-place update. */
  readonly input?: string;
  /** Changing it replaces the resource (terraform_data `triggers_replace`). */
  readonly generation?: string;
  /** Marks the resource stateful in the stack, the way any stack can (see STATEFUL_MARKER_PATH). */
  readonly holds?: string;
}

export interface FixtureWorkspace {
  readonly root: string;
  /** Writes (or rewrites) a tenant's stack: `name → resource`, plus an output per resource. */
  stack(tenant: string, resources: Record<string, FixtureResource>): string;
  /** The tenant's local state file, as terraform wrote it. */
  statePath(tenant: string): string;
  readState(tenant: string): FixtureState;
  writeState(tenant: string, state: FixtureState): void;
  dispose(): void;
}

export interface FixtureState {
  serial: number;
  resources: Array<{ type: string; name: string; instances: Array<{ attributes: Record<string, unknown> }> }>;
  [key: string]: unknown;
}

/** Fixture stacks in a new temp folder, or in `root` (e.g. a tempWorkspace, to drive the CLI). */
export function fixtureWorkspace(root = mkdtempSync(join(tmpdir(), 'hafleet-fixture-'))): FixtureWorkspace {
  const outdir = join(root, 'cdktf.out');
  const statePath = (tenant: string) => join(tenantWorkDir(root, tenant), 'terraform.tfstate');
  return {
    root,
    stack(tenant, resources) {
      const dir = stackDir(outdir, tenant);
      mkdirSync(dir, { recursive: true });
      const data = Object.fromEntries(
        Object.entries(resources).map(([name, r]) => [
          name,
          {
            ...(r.holds ? { '//': { hafleet: { stateful: r.holds } } } : {}),
            input: r.input ?? name,
            triggers_replace: [r.generation ?? '1'],
          },
        ]),
      );
      const output = Object.fromEntries(Object.keys(resources).map((name) => [name, { value: `\${terraform_data.${name}.output}` }]));
      const json = {
        terraform: { backend: { local: { path: relative(dir, statePath(tenant)) } } },
        resource: { terraform_data: data },
        output,
      };
      const file = join(dir, STACK_FILE);
      writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
      // Not synthesised from the tenant's spec: `fleet plan` plans it as it is rather than re-synthesising.
      writeFileSync(join(dir, STACK_INPUTS_FILE), JSON.stringify({ tenant, fixture: 'terraform_data test fixture' }));
      return file;
    },
    statePath,
    readState: (tenant) => JSON.parse(readFileSync(statePath(tenant), 'utf8')) as FixtureState,
    writeState: (tenant, state) => writeFileSync(statePath(tenant), JSON.stringify(state, null, 2)),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
