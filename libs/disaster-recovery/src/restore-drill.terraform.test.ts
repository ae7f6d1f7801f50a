import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpecValidationError } from '@hafleet/tenant-spec';
import { resolveProviderMirror } from '@hafleet/terraform';
import { tempWorkspace, type TempWorkspace } from '@hafleet/testing';
import { planRestoreDrill, restoreStackName, synthesizeRestoreStack, type RestoreDrill, type RestoreInput } from './restore-stack.js';

/**
 * The restore drill on the real example lakeside-state (Aurora MySQL, us-east-1, copies in
 * us-west-2): the restore stack is synthesised from the DR region's recovery point ARN and planned
 * offline with the real terraform and AWS provider. The ARNs are made up; AWS is never called.
 */
const RECOVERY_POINT = 'arn:aws:rds:us-west-2:444455556666:cluster-snapshot:awsbackup:copyjob-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d';
const CERTIFICATE = 'arn:aws:acm:us-west-2:444455556666:certificate/4d5e6f7a-8b9c-4d0e-8f1a-2b3c4d5e6f7a';

let workspace: TempWorkspace;
const input = (overrides: Partial<RestoreInput> = {}): RestoreInput => ({
  workspaceRoot: workspace.root,
  tenant: 'lakeside-state',
  databaseRecoveryPointArn: RECOVERY_POINT,
  certificateArn: CERTIFICATE,
  ...overrides,
});

beforeAll(() => {
  workspace = tempWorkspace();
});
afterAll(() => workspace.dispose());

describe('restore stack input', () => {
  const problemOf = (overrides: Partial<RestoreInput>) => {
    try {
      synthesizeRestoreStack(input(overrides));
    } catch (error) {
      if (error instanceof SpecValidationError) return error.problems.map((p) => `${p.tenant} ${p.field}: ${p.message}`).join('\n');
      throw error;
    }
    return 'no problem';
  };

  it.each([
    [
      'a recovery point in the primary region',
      { databaseRecoveryPointArn: RECOVERY_POINT.replace('us-west-2', 'us-east-1') },
      /^lakeside-state --database-recovery-point: is in us-east-1; the tenant's copies are in us-west-2 — fix:/,
    ],
    [
      'a recovery point of another account',
      { databaseRecoveryPointArn: RECOVERY_POINT.replace('444455556666', '111122223333') },
      /is in account 111122223333, not the tenant's 444455556666/,
    ],
    [
      'an instance snapshot for an Aurora tenant',
      { databaseRecoveryPointArn: RECOVERY_POINT.replace('cluster-snapshot', 'snapshot') },
      /is a snapshot, but aurora-mysql restores from a cluster-snapshot/,
    ],
    [
      'an EFS recovery point',
      { databaseRecoveryPointArn: 'arn:aws:backup:us-west-2:444455556666:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45' },
      /is not an RDS recovery point ARN/,
    ],
    [
      'a certificate of the primary region',
      { certificateArn: CERTIFICATE.replace('us-west-2', 'us-east-1') },
      /^lakeside-state --certificate-arn: is in us-east-1, but the load balancer is in us-west-2/,
    ],
    [
      'a tenant with no DR region',
      { tenant: 'harbour-health' },
      /^harbour-health disasterRecovery\.region: is not set: nothing is copied to another region — fix:/,
    ],
  ] as const)('refuses %s, naming the tenant, the flag and the fix', (_label, overrides, message) => {
    expect(problemOf(overrides)).toMatch(message);
  });

  it('cuts long names to fit the restore stack name', () => {
    expect(restoreStackName('lakeside-state')).toBe('lakeside-state-dr');
    expect(restoreStackName('a-tenant-name-of-thirty-two-char')).toBe('a-tenant-name-of-thirty-two-c-dr');
    expect(restoreStackName('a-tenant-name-of-thirty-two-char')).toHaveLength(32);
  });
});

describe.skipIf(resolveProviderMirror() === undefined)('restore drill with the real terraform', () => {
  let drill: RestoreDrill;
  beforeAll(async () => {
    drill = await planRestoreDrill(input());
  }, 900_000);

  it('rebuilds the tenant in the DR region around the copied database, under its own name', () => {
    expect(drill.spec).toMatchObject({
      name: 'lakeside-state-dr',
      region: 'us-west-2',
      availabilityZones: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
      domain: 'elearning.lakeside-state.edu',
    });
    expect(drill.spec.disasterRecovery).toBeUndefined();
    const cluster = drill.stack.ofType('aws_rds_cluster')[0]!;
    expect(cluster.values).toMatchObject({
      snapshot_identifier: RECOVERY_POINT,
      cluster_identifier: 'lakeside-state-dr-db',
      storage_encrypted: true,
    });
    expect(drill.stack.providers('aws').find((p) => p.alias === undefined)!.values['region']).toBe('us-west-2');
    expect(drill.policy.outcomes.filter((o) => o.result === 'fail')).toEqual([]);
  });

  it('plans cleanly offline: every resource created, nothing changed or destroyed', () => {
    const { summary } = drill.plan;
    expect(summary).toMatchObject({ change: 0, destroy: 0, replace: 0, dataLoss: [] });
    expect(summary.add).toBe(summary.changes.length);
    expect(summary.add).toBe(drill.stack.resources.length);
    expect(summary.changes.find((c) => c.type === 'aws_rds_cluster')).toMatchObject({ action: 'create' });
  });
});
