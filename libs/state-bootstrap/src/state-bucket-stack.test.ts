import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetContext, planStack, validateStack } from '@hafleet/fleet';
import { SynthesizedStack } from '@hafleet/tenant-stack';
import { tempWorkspace, type TempWorkspace } from '@hafleet/testing';
import { bootstrapLocation, synthesizeBootstrap } from './bootstrap.js';

/** The state bucket stack: synthesised from fleet.json, validated and planned offline by the real terraform. */
describe('state bootstrap stack', () => {
  let workspace: TempWorkspace;
  let stack: SynthesizedStack;
  beforeAll(() => {
    workspace = tempWorkspace({ tenants: [] });
    stack = SynthesizedStack.read(synthesizeBootstrap({ workspaceRoot: workspace.root, mode: 'offline' }));
  });
  afterAll(() => workspace.dispose());

  const only = (type: string) => {
    const found = stack.ofType(type);
    expect(found, type).toHaveLength(1);
    return found[0]!.values;
  };

  it('makes the fleet.json bucket versioned, KMS-encrypted, private, TLS-only and undeletable by terraform', () => {
    expect(only('aws_s3_bucket')).toMatchObject({ bucket: 'hafleet-terraform-state', lifecycle: { prevent_destroy: true } });
    expect(only('aws_s3_bucket_versioning')['versioning_configuration']).toEqual({ status: 'Enabled' });
    expect(only('aws_s3_bucket_server_side_encryption_configuration')['rule']).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' }, bucket_key_enabled: true },
    ]);
    expect(only('aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(only('aws_s3_bucket_ownership_controls')['rule']).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    const policy = JSON.parse(only('aws_s3_bucket_policy')['policy'] as string);
    expect(policy.Statement.map((s: { Sid: string; Effect: string; Condition: unknown }) => [s.Sid, s.Effect, s.Condition])).toEqual([
      ['DenyInsecureTransport', 'Deny', { Bool: { 'aws:SecureTransport': 'false' } }],
      ['DenyOldTls', 'Deny', { NumericLessThan: { 's3:TlsVersion': '1.2' } }],
    ]);
    expect(stack.json['provider']).toMatchObject({ aws: [{ region: 'eu-west-1', skip_credentials_validation: true }] });
    // Its own state is local: it cannot live in the bucket it creates.
    expect(stack.json['terraform']).toMatchObject({ backend: { local: { path: '../../../.hafleet/state-bootstrap/terraform.tfstate' } } });
  });

  it('passes terraform validate and plans offline; the bucket is flagged stateful', async () => {
    const ctx = fleetContext(workspace.root);
    const location = bootstrapLocation(ctx);
    expect((await validateStack(ctx, location)).errorCount).toBe(0);
    const { summary } = await planStack(ctx, location);
    expect(summary).toMatchObject({ add: stack.resources.length, change: 0, destroy: 0, dataLoss: [] });
    expect(summary.changes.filter((c) => c.stateful).map((c) => c.type)).toEqual(['aws_s3_bucket']);
  });
});
