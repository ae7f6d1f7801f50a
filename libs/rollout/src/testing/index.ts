import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeFileAtomic } from '@hafleet/fs-safe';
import { TENANTS_DIR, loadFleet, tenantSpecFiles, tenantWorkDir, type RolloutRing, type TenantSpec } from '@hafleet/tenant-spec';
import type { Env } from '@hafleet/terraform';
import { fixtureStatePath, writeFixtureStack, type FixtureStack } from '@hafleet/testing';
import { setSpecValues } from '../spec-changes.js';
import { WorkspaceDriver, type SynthesizeTenant } from '../workspace-driver.js';
import { specFile } from '../workspace-copy.js';

/**
 * Test support: fixture tenants whose stack is plain Terraform JSON of built-in `terraform_data`
 * resources (no provider, local state) derived from the spec, so rollout tests apply for real with
 * the real terraform binary in a second or two per tenant and prove outcomes from terraform's state.
 * Never imported by production code.
 */

/** Spec tag: seconds a fixture tenant's apply takes (a local-exec sleep), to interrupt it mid-apply. */
export const FIXTURE_APPLY_SECONDS_TAG = 'fixture-apply-seconds';
/** In the tenant's work folder: one line per apply of a new release, written by terraform itself. */
export const FIXTURE_APPLIES_LOG = 'fixture-applies.log';

/**
 * The fixture stack of a spec: what the real stack's rollout-relevant parts look like to terraform.
 * `applyImmediately` lands on the database as the real stack's `apply_immediately` does.
 */
export function fixtureStack(spec: TenantSpec, workspaceRoot: string, options: { readonly applyImmediately?: boolean } = {}): FixtureStack {
  const release = spec.app.release ?? '';
  const seconds = Number(spec.tags[FIXTURE_APPLY_SECONDS_TAG] ?? 0);
  const log = join(tenantWorkDir(workspaceRoot, spec.name), FIXTURE_APPLIES_LOG);
  return {
    description: 'rollout fixture: built-in terraform_data stand-ins for a tenant stack',
    resources: {
      release: { input: { release, ami_id: spec.app.amiId } },
      // A new AMI replaces the web tier, as the instance refresh replaces its instances.
      web_tier: {
        input: { instance_type: spec.app.instanceType, health_check_path: spec.app.healthCheckPath },
        generation: [spec.app.amiId],
      },
      // Marked stateful (libs/terraform): a new engine replaces it, which the guard must refuse.
      database: {
        holds: 'the fixture database: every row in it',
        input: { instance_class: spec.database.instanceClass, apply_immediately: options.applyImmediately ?? false },
        generation: [spec.database.engine],
      },
      apply_hook: {
        generation: [release, spec.app.amiId],
        onCreate: `sleep ${seconds}; echo "release=${release} ami=${spec.app.amiId}" >> '${log}'`,
      },
    },
    outputs: {
      release: '${terraform_data.release.output.release}',
      web_asg_name: `${spec.name}-web`,
    },
  };
}

/** Synthesises a fixture tenant (fleet rules checked first, as the real synth does), atomically. */
export const synthesizeFixtureStack: SynthesizeTenant = (workspaceRoot, tenant, options) => {
  const [loaded] = loadFleet(workspaceRoot, { only: [tenant] });
  writeFixtureStack(workspaceRoot, tenant, fixtureStack(loaded!.spec, workspaceRoot, options));
};

/** The real WorkspaceDriver (spec edits, libs/fleet plan/guard/apply) over fixture stacks. */
export function fixtureDriver(workspaceRoot: string, env?: Env): WorkspaceDriver {
  return new WorkspaceDriver({ workspaceRoot, synthesize: synthesizeFixtureStack, ...(env ? { env } : {}) });
}

export interface FixtureTenant {
  readonly name: string;
  readonly ring?: RolloutRing;
  readonly release?: string;
  /** How long its apply takes. Default 0. */
  readonly applySeconds?: number;
  readonly healthCheckPath?: string;
}

/**
 * Replaces the workspace's tenants with fixture tenants, each a copy of the first existing spec
 * (so they stay valid as the schema grows) with its own name, domain, VPC range and ring.
 */
export function writeFixtureTenants(workspaceRoot: string, tenants: readonly FixtureTenant[]): void {
  const [template] = tenantSpecFiles(workspaceRoot);
  if (!template) throw new Error(`no tenant spec in ${workspaceRoot} to copy fixture tenants from`);
  const text = readFileSync(template, 'utf8');
  for (const folder of readdirSync(join(workspaceRoot, TENANTS_DIR))) rmSync(join(workspaceRoot, TENANTS_DIR, folder), { recursive: true });
  tenants.forEach((tenant, i) => {
    const spec = setSpecValues(text, [
      { path: 'name', value: tenant.name },
      { path: 'displayName', value: `Fixture ${tenant.name}` },
      { path: 'domain', value: `${tenant.name}.fixture.example.org` },
      { path: 'network.vpcCidr', value: `10.${200 + i}.0.0/16` },
      { path: 'rollout', value: { ring: tenant.ring ?? 'general' } },
      { path: 'app.release', value: tenant.release ?? '2025.3.0' },
      { path: 'app.healthCheckPath', value: tenant.healthCheckPath ?? '/health' },
      { path: 'tags', value: { [FIXTURE_APPLY_SECONDS_TAG]: String(tenant.applySeconds ?? 0) } },
    ]);
    writeFileAtomic(specFile(workspaceRoot, tenant.name), spec);
  });
}

/** Sets a fixture tenant's apply duration (a spec edit, as an operator would make it). */
export function setFixtureApplySeconds(workspaceRoot: string, tenant: string, seconds: number): void {
  const file = specFile(workspaceRoot, tenant);
  writeFileAtomic(file, setSpecValues(readFileSync(file, 'utf8'), [{ path: `tags.${FIXTURE_APPLY_SECONDS_TAG}`, value: String(seconds) }]));
}

export interface FixtureState {
  /** Terraform's state serial: it moves on every apply that changes anything. */
  readonly serial: number;
  readonly lineage: string;
  /** sha256 of the state file: equal means untouched. */
  readonly sha256: string;
  /** `release` as applied (terraform_data.release input). */
  readonly release: string | undefined;
  /** The database's `apply_immediately` as applied (terraform_data.database input). */
  readonly applyImmediately: boolean | undefined;
  /** Resources whose last create failed or was cut short (tainted). */
  readonly tainted: readonly string[];
}

/** The tenant's offline terraform state, or undefined when it was never applied. */
export function fixtureState(workspaceRoot: string, tenant: string): FixtureState | undefined {
  const file = fixtureStatePath(workspaceRoot, tenant);
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const state = JSON.parse(text) as {
    serial: number;
    lineage: string;
    resources: {
      type: string;
      name: string;
      instances: { status?: string; attributes: { input?: { value?: { release?: string; apply_immediately?: boolean } } } }[];
    }[];
  };
  const input = (name: string) =>
    state.resources.find((r) => r.type === 'terraform_data' && r.name === name)?.instances[0]?.attributes.input?.value;
  const release = input('release')?.release;
  const tainted = state.resources.filter((r) => r.instances.some((i) => i.status === 'tainted')).map((r) => `${r.type}.${r.name}`);
  return {
    serial: state.serial,
    lineage: state.lineage,
    sha256: createHash('sha256').update(text).digest('hex'),
    release,
    applyImmediately: input('database')?.apply_immediately,
    tainted,
  };
}

/** Lines terraform's local-exec wrote, one per apply of a new release. */
export function fixtureApplies(workspaceRoot: string, tenant: string): string[] {
  const file = join(tenantWorkDir(workspaceRoot, tenant), FIXTURE_APPLIES_LOG);
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}
