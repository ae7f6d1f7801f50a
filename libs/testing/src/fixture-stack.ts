import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeJsonAtomic } from '@hafleet/fs-safe';
import {
  DEFAULT_OUTDIR,
  STACK_FILE,
  STACK_INPUTS_FILE,
  offlineStatePath,
  stackDir,
  tenantWorkDir,
  type FixtureStackInputs,
} from '@hafleet/tenant-spec';

/**
 * Test support: tiny real terraform stacks made only of the built-in `terraform_data` resource
 * (no provider, no network) with local state in the tenant's work folder — laid out exactly where
 * the fleet functions look for a synthesized tenant stack. The one place that knows that layout:
 * `fixtureWorkspace` and the rollout fixture driver (`@hafleet/rollout/testing`) both write here.
 */

export interface FixtureResource {
  /** Stored value, a string or any JSON; changing it is an in-place update. Default: the resource's name. */
  readonly input?: unknown;
  /** Changing it (or any of them) replaces the resource (terraform_data `triggers_replace`). Default `'1'`. */
  readonly generation?: string | readonly string[];
  /** Marks the resource stateful in the stack, the way any stack can (see STATEFUL_MARKER_PATH). */
  readonly holds?: string;
  /** A shell command terraform runs when it creates or replaces the resource (a `local-exec` provisioner). */
  readonly onCreate?: string;
}

export interface FixtureStack {
  /** `name → resource`, each a `terraform_data.<name>`. */
  readonly resources: Record<string, FixtureResource>;
  /** `name → value` (a literal or a `${…}` expression). Default: one per resource, its `output`. */
  readonly outputs?: Record<string, string>;
  /** What the stack stands in for, in its `//` metadata and its stack-inputs record. */
  readonly description?: string;
}

const DEFAULT_DESCRIPTION = 'terraform_data test fixture';

/** The tenant's local state file, as terraform writes it for a fixture stack. */
export const fixtureStatePath = (workspaceRoot: string, tenant: string): string =>
  join(tenantWorkDir(workspaceRoot, tenant), 'terraform.tfstate');

/** The Terraform JSON of a fixture stack of `tenant` in `workspaceRoot` (state in the tenant's work folder). */
function fixtureStackJson(workspaceRoot: string, tenant: string, stack: FixtureStack): Record<string, unknown> {
  const names = Object.keys(stack.resources);
  const data = Object.fromEntries(
    Object.entries(stack.resources).map(([name, r]) => [
      name,
      {
        ...(r.holds ? { '//': { hafleet: { stateful: r.holds } } } : {}),
        input: r.input ?? name,
        triggers_replace: typeof r.generation === 'object' ? [...r.generation] : [r.generation ?? '1'],
        ...(r.onCreate ? { provisioner: [{ 'local-exec': { command: r.onCreate } }] } : {}),
      },
    ]),
  );
  const outputs = stack.outputs ?? Object.fromEntries(names.map((name) => [name, `\${terraform_data.${name}.output}`]));
  return {
    '//': { metadata: `hafleet ${stack.description ?? DEFAULT_DESCRIPTION}` },
    terraform: { backend: { local: { path: offlineStatePath(workspaceRoot, join(workspaceRoot, DEFAULT_OUTDIR), tenant) } } },
    resource: { terraform_data: data },
    output: Object.fromEntries(Object.entries(outputs).map(([name, value]) => [name, { value }])),
  };
}

/**
 * Writes (or rewrites) the tenant's fixture stack where synth would put its stack, atomically, and
 * returns the stack file. Its stack-inputs record marks it a fixture: `fleet plan` plans it as it
 * is rather than re-synthesising it from the tenant's spec.
 */
export function writeFixtureStack(workspaceRoot: string, tenant: string, stack: FixtureStack): string {
  const dir = stackDir(join(workspaceRoot, DEFAULT_OUTDIR), tenant);
  const file = join(dir, STACK_FILE);
  writeJsonAtomic(file, fixtureStackJson(workspaceRoot, tenant, stack));
  const inputs: FixtureStackInputs = { tenant, fixture: stack.description ?? DEFAULT_DESCRIPTION };
  writeJsonAtomic(join(dir, STACK_INPUTS_FILE), inputs);
  return file;
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
  const statePath = (tenant: string) => fixtureStatePath(root, tenant);
  return {
    root,
    stack: (tenant, resources) => writeFixtureStack(root, tenant, { resources }),
    statePath,
    readState: (tenant) => JSON.parse(readFileSync(statePath(tenant), 'utf8')) as FixtureState,
    writeState: (tenant, state) => writeFileSync(statePath(tenant), JSON.stringify(state, null, 2)),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
