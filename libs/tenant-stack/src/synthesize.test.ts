import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpecValidationError } from '@hafleet/tenant-spec';
import { tempWorkspace, type TempWorkspace } from '@hafleet/testing';
import { synthesizeTenants } from './synthesize.js';

const TENANT = 'harbour-health';

/** Every file below `dir` with its content: the whole observable output. */
function snapshotTree(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files[path.slice(dir.length)] = readFileSync(path, 'utf8');
    }
  }
  return files;
}

describe('synthesizeTenants', () => {
  let workspace: TempWorkspace;
  let outdir: string;
  const specFile = () => join(workspace.root, 'tenants', TENANT, 'tenant.json');
  const editSpec = (edit: (spec: Record<string, any>) => void) => {
    const spec = JSON.parse(readFileSync(specFile(), 'utf8'));
    edit(spec);
    writeFileSync(specFile(), JSON.stringify(spec));
  };

  beforeEach(() => {
    workspace = tempWorkspace();
    outdir = join(workspace.root, 'cdktf.out');
  });
  afterEach(() => workspace.dispose());

  it('writes one plain Terraform JSON stack per tenant, and the manifest for a whole-fleet synth', () => {
    const stacks = synthesizeTenants({ workspaceRoot: workspace.root, mode: 'offline' });
    expect(stacks.map((s) => s.tenant)).toEqual(['harbour-health', 'lakeside-state', 'northwind-university']);
    for (const stack of stacks) {
      const json = JSON.parse(readFileSync(stack.file, 'utf8'));
      expect(json.terraform.backend.local.path).toBe(`../../../.hafleet/tenants/${stack.tenant}/terraform.tfstate`);
      expect(json.provider.aws[0]).toMatchObject({ skip_credentials_validation: true, skip_requesting_account_id: true });
    }
    expect(Object.keys(JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')).stacks).sort()).toEqual([
      'harbour-health',
      'lakeside-state',
      'northwind-university',
    ]);
    expect(readdirSync(outdir).filter((f) => f.startsWith('.staging'))).toEqual([]);
  });

  it('synthesises only the named tenants and leaves the others alone', () => {
    synthesizeTenants({ workspaceRoot: workspace.root, only: [TENANT], mode: 'offline' });
    expect(readdirSync(join(outdir, 'stacks'))).toEqual([TENANT]);
  });

  it('uses the fleet S3 backend with a key per tenant and lock file in remote mode', () => {
    const [stack] = synthesizeTenants({ workspaceRoot: workspace.root, only: [TENANT], mode: 'remote' });
    const json = JSON.parse(readFileSync(stack!.file, 'utf8'));
    expect(json.terraform.backend.s3).toEqual({
      bucket: 'hafleet-terraform-state',
      region: 'eu-west-1',
      key: `tenants/${TENANT}/terraform.tfstate`,
      encrypt: true,
      use_lockfile: true,
    });
    expect(json.provider.aws[0].access_key).toBeUndefined();
  });

  it('in remote mode, every provider assumes the tenant deployer role and the backend its own state role', () => {
    const role = 'arn:aws:iam::444455556666:role/hafleet-deployer';
    editSpec((s) => (s.account = { id: '444455556666', deployerRoleArn: role }));
    // An ALB or distribution only uses certificates of its own account (guardrail HAF-ISO-003).
    editSpec((s) => (s.edge.certificateArn = s.edge.certificateArn.replace(/:\d{12}:/, ':444455556666:')));
    const fleetFile = join(workspace.root, 'fleet.json');
    const fleet = JSON.parse(readFileSync(fleetFile, 'utf8'));
    writeFileSync(
      fleetFile,
      JSON.stringify({ ...fleet, stateBackend: { ...fleet.stateBackend, roleArn: 'arn:aws:iam::111122223333:role/hafleet-state' } }),
    );
    editSpec((s) => (s.cdn = { certificateArn: 'arn:aws:acm:us-east-1:444455556666:certificate/1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d' }));

    const [remote] = synthesizeTenants({ workspaceRoot: workspace.root, only: [TENANT], mode: 'remote' });
    const json = JSON.parse(readFileSync(remote!.file, 'utf8'));
    expect(json.provider.aws.map((p: { alias?: string }) => p.alias ?? 'default')).toEqual(['default', 'us_east_1']);
    for (const provider of json.provider.aws) expect(provider.assume_role).toEqual([{ role_arn: role, session_name: `hafleet-${TENANT}` }]);
    expect(json.terraform.backend.s3.assume_role).toEqual({
      role_arn: 'arn:aws:iam::111122223333:role/hafleet-state',
      session_name: `hafleet-state-${TENANT}`,
    });

    // Offline, nothing is assumed: there is no account to assume into.
    const [offline] = synthesizeTenants({ workspaceRoot: workspace.root, only: [TENANT], mode: 'offline' });
    const offlineJson = JSON.parse(readFileSync(offline!.file, 'utf8'));
    for (const provider of offlineJson.provider.aws) expect(provider.assume_role).toBeUndefined();
  });

  const badSpecs: Array<[string, (spec: Record<string, any>) => void, RegExp]> = [
    ['a malformed CIDR', (s) => (s.network.vpcCidr = '10.17.0.0/99'), /field network\.vpcCidr: .*fix:/],
    [
      'an AZ outside the region',
      (s) => (s.availabilityZones = ['eu-west-2a', 'eu-west-1b']),
      /field availabilityZones\.1: .*not a zone of eu-west-2/,
    ],
    ['min above max', (s) => (s.web = { minCapacity: 5, maxCapacity: 2 }), /field web\.minCapacity: 5 is above maxCapacity 2/],
    ['a missing AMI', (s) => delete s.app.amiId, /field app\.amiId: is required/],
  ];

  it.each(badSpecs)('refuses %s and leaves the previous output exactly as it was', (_label, edit, expected) => {
    synthesizeTenants({ workspaceRoot: workspace.root, mode: 'offline' });
    const before = snapshotTree(outdir);
    editSpec(edit);
    expect(() => synthesizeTenants({ workspaceRoot: workspace.root, mode: 'offline' })).toThrow(expected);
    expect(snapshotTree(outdir)).toEqual(before);
    expect(readdirSync(outdir).filter((f) => f.startsWith('.staging'))).toEqual([]);
  });

  it('applies database and cache changes immediately only when asked: the option, else HAFLEET_APPLY_IMMEDIATELY', () => {
    const DEFERRABLE = ['aws_db_instance', 'aws_rds_cluster', 'aws_rds_cluster_instance', 'aws_elasticache_replication_group'];
    /** `type.name → apply_immediately` of every database and cache resource in the synthesised stacks. */
    const settings = (stacks: { file: string }[]) =>
      Object.fromEntries(
        stacks.flatMap((stack) => {
          const resources = (
            JSON.parse(readFileSync(stack.file, 'utf8')) as { resource: Record<string, Record<string, { apply_immediately?: unknown }>> }
          ).resource;
          return DEFERRABLE.flatMap((type) =>
            Object.entries(resources[type] ?? {}).map(([name, r]) => [`${type}.${name}`, r.apply_immediately]),
          );
        }),
      );
    const fleet = settings(synthesizeTenants({ workspaceRoot: workspace.root, mode: 'offline' }));
    // Every kind is there (RDS on one tenant, Aurora on the others), and each waits for its window.
    expect(new Set(Object.keys(fleet).map((address) => address.split('.')[0]))).toEqual(new Set(DEFERRABLE));
    expect(new Set(Object.values(fleet))).toEqual(new Set([false]));

    const previous = process.env['HAFLEET_APPLY_IMMEDIATELY'];
    process.env['HAFLEET_APPLY_IMMEDIATELY'] = 'true';
    try {
      const fromEnv = settings(synthesizeTenants({ workspaceRoot: workspace.root, mode: 'offline' }));
      expect(Object.keys(fromEnv)).toEqual(Object.keys(fleet));
      expect(new Set(Object.values(fromEnv))).toEqual(new Set([true]));
      // The option is this run's decision, whatever the environment says.
      const chosen = settings(
        synthesizeTenants({ workspaceRoot: workspace.root, only: [TENANT], mode: 'offline', applyImmediately: false }),
      );
      expect(new Set(Object.values(chosen))).toEqual(new Set([false]));
    } finally {
      if (previous === undefined) delete process.env['HAFLEET_APPLY_IMMEDIATELY'];
      else process.env['HAFLEET_APPLY_IMMEDIATELY'] = previous;
    }
  });

  it('writes nothing at all when the first synth meets a bad spec', () => {
    editSpec((s) => (s.region = 'moon-1'));
    expect(() => synthesizeTenants({ workspaceRoot: workspace.root, mode: 'offline' })).toThrow(SpecValidationError);
    expect(existsSync(outdir)).toBe(false);
  });
});
