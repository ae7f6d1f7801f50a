import { describe, expect, it } from 'vitest';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Network } from '../network/network.js';
import { networkProps } from '../testing/fixtures.js';
import { offlineAwsProvider } from '../testing/offline.js';
import { createdCounts, expectOnlyCreates, planOffline } from '../testing/plan-offline.js';
import { policyOf } from '../testing/policy.js';
import { connectionRules, securityGroupRules } from '../testing/security-group-rules.js';
import { addOutputs, ref, synthesize, testStack } from '../testing/synth.js';
import { ACCOUNT_ID, APP_SECURITY_GROUP_ID, KMS_KEY_ARN, placementOf, VPC_ID, WORKER_SECURITY_GROUP_ID } from '../testing/values.js';
import { SharedFileSystem, type SharedFileSystemProps } from './shared-file-system.js';

const OUTPUTS = ['fileSystemId', 'fileSystemArn', 'securityGroupId', 'dnsName'] as const;
/** One subnet per app zone. */
const SUBNETS = ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb', 'subnet-0cccccccccccccccc'];

const props = (overrides: Partial<SharedFileSystemProps> = {}): SharedFileSystemProps => ({
  name: 'acme',
  placement: placementOf(SUBNETS),
  allowedSecurityGroupIds: [APP_SECURITY_GROUP_ID, WORKER_SECURITY_GROUP_ID],
  kmsKeyArn: KMS_KEY_ARN,
  accountId: ACCOUNT_ID,
  ...overrides,
});

const synthFileSystem = (overrides: Partial<SharedFileSystemProps> = {}) =>
  synthesize(testStack((scope) => addOutputs(scope, new SharedFileSystem(scope, 'efs', props(overrides)), OUTPUTS)));

describe('SharedFileSystem', () => {
  it('is encrypted with the tenant key, general purpose with elastic throughput', () => {
    const [, fs] = synthFileSystem().single('aws_efs_file_system');
    expect(fs).toMatchObject({
      creation_token: 'acme-shared-data',
      encrypted: true,
      kms_key_id: KMS_KEY_ARN,
      performance_mode: 'generalPurpose',
      throughput_mode: 'elastic',
    });
    expect(fs['provisioned_throughput_in_mibps']).toBeUndefined();
  });

  it('moves cold files to infrequent access after 30 days and back on first access', () => {
    const [, fs] = synthFileSystem().single('aws_efs_file_system');
    expect(fs['lifecycle_policy']).toEqual([
      { transition_to_ia: 'AFTER_30_DAYS' },
      { transition_to_primary_storage_class: 'AFTER_1_ACCESS' },
    ]);
  });

  it('turns on automatic backups', () => {
    const { single } = synthFileSystem();
    const [fsId] = single('aws_efs_file_system');
    expect(single('aws_efs_backup_policy')[1]).toEqual({
      file_system_id: ref('aws_efs_file_system', fsId),
      backup_policy: { status: 'ENABLED' },
    });
  });

  it("turns automatic backups off when the tenant's AWS Backup plan covers the file system, so it is backed up once", () => {
    const { single } = synthFileSystem({ automaticBackups: false });
    expect(single('aws_efs_backup_policy')[1]['backup_policy']).toEqual({ status: 'DISABLED' });
  });

  it('puts one mount target in each subnet, behind its own security group', () => {
    const { resources, single } = synthFileSystem();
    const [fsId] = single('aws_efs_file_system');
    const [sgId] = single('aws_security_group');
    const targets = Object.values(resources('aws_efs_mount_target'));
    expect(targets.map((t) => t['subnet_id'])).toEqual(SUBNETS);
    for (const target of targets) {
      expect(target).toMatchObject({
        file_system_id: ref('aws_efs_file_system', fsId),
        security_groups: [ref('aws_security_group', sgId)],
      });
    }
  });

  it('lets only the given security groups reach NFS (their egress included), and nothing out of its own group', () => {
    const synth = synthFileSystem();
    const [sgId, sg] = synth.single('aws_security_group');
    expect(sg).toMatchObject({ name: 'acme-efs', vpc_id: VPC_ID });
    expect(sg['ingress']).toBeUndefined();
    expect(sg['egress']).toBeUndefined();
    const sources = [APP_SECURITY_GROUP_ID, WORKER_SECURITY_GROUP_ID];
    expect(securityGroupRules(synth)).toEqual(connectionRules(ref('aws_security_group', sgId), sources, 2049));
  });

  it('refuses non-TLS access and lets only tenant-account principals mount and write through a mount target', () => {
    const { single } = synthFileSystem();
    const [fsId] = single('aws_efs_file_system');
    const [, policy] = single('aws_efs_file_system_policy');
    expect(policy['file_system_id']).toBe(ref('aws_efs_file_system', fsId));
    expect(policy['bypass_policy_lockout_safety_check']).toBeUndefined();
    const fsArn = ref('aws_efs_file_system', fsId, 'arn');
    expect(policyOf(policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: '*',
          Resource: fsArn,
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        {
          Sid: 'AllowTenantAccountMountAndWrite',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:root' },
          Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
          Resource: fsArn,
          Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
        },
      ],
    });
  });

  it('exposes the file system, its security group and DNS name', () => {
    const { outputs, single } = synthFileSystem();
    const [fsId] = single('aws_efs_file_system');
    const [sgId] = single('aws_security_group');
    expect(outputs).toEqual({
      fileSystemId: ref('aws_efs_file_system', fsId),
      fileSystemArn: ref('aws_efs_file_system', fsId, 'arn'),
      securityGroupId: ref('aws_security_group', sgId),
      dnsName: ref('aws_efs_file_system', fsId, 'dns_name'),
    });
  });

  it('rejects fewer than two zones, two subnets in one zone, no allowed group and a bad account id', () => {
    expect(() => synthFileSystem({ placement: placementOf([SUBNETS[0]!]) })).toThrow(
      'SharedFileSystem acme: placement needs subnets in at least 2 zones, got 1 (eu-west-1a); give the app subnets (Network.appPlacement)',
    );
    expect(() => synthFileSystem({ placement: placementOf(SUBNETS, ['eu-west-1a', 'eu-west-1b', 'eu-west-1a']) })).toThrow(
      /SharedFileSystem acme: placement has more than one subnet in zone eu-west-1a/,
    );
    expect(() => synthFileSystem({ allowedSecurityGroupIds: [] })).toThrow(/allowedSecurityGroupIds is empty/);
    expect(() => synthFileSystem({ accountId: '12345678901x' })).toThrow(
      /SharedFileSystem acme: accountId must be a 12-digit AWS account id/,
    );
  });

  it('is accepted by the real terraform and AWS provider (offline plan), in the app subnets of a tenant network', async () => {
    const summary = await planOffline((stack) => {
      offlineAwsProvider(stack);
      const network = new Network(stack, 'network', networkProps());
      const tierGroup = (id: string) => new SecurityGroup(stack, id, { name: `acme-${id}`, description: id, vpcId: network.vpcId }).id;
      const allowedSecurityGroupIds = [tierGroup('app'), tierGroup('worker')];
      new SharedFileSystem(stack, 'efs', props({ placement: network.appPlacement, allowedSecurityGroupIds }));
    });
    expectOnlyCreates(summary);
    expect(createdCounts(summary)).toMatchObject({
      aws_efs_file_system: 1,
      aws_efs_mount_target: 3,
      aws_efs_backup_policy: 1,
      aws_efs_file_system_policy: 1,
      aws_vpc_security_group_ingress_rule: 2,
      aws_vpc_security_group_egress_rule: 2,
    });
  });
});
