import { describe, expect, it } from 'vitest';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { OFFLINE_AWS_PROVIDER_SETTINGS } from '@hafleet/terraform';
import { offlineAwsProvider, TEST_REGION } from '../testing/offline.js';
import { describeWithTerraform, expectOnlyCreates, planOffline } from '../testing/plan-offline.js';
import { policyOf } from '../testing/policy.js';
import { ref, synthesize, testStack } from '../testing/synth.js';
import { KMS_KEY_ARN } from '../testing/values.js';
import { TenantBackup } from './backup-plan.js';
import { DisasterRecoveryVault, type DisasterRecoveryVaultProps } from './dr-copy.js';

const DR_REGION = 'eu-central-1';
const DB_ARN = 'arn:aws:rds:eu-west-1:123456789012:cluster:acme-db';
const EFS_ARN = 'arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123456789abcdef0';
const BUCKET_ARN = 'arn:aws:s3:::acme-content-123456789012';

type Scope = Parameters<Parameters<typeof testStack>[0]>[0];
const drProvider = (scope: Scope, region = DR_REGION) =>
  new AwsProvider(scope, 'aws-dr', { alias: 'dr', region, ...OFFLINE_AWS_PROVIDER_SETTINGS });

/** The tenant's backup with its DR copy, as TenantStack composes them. */
function build(scope: Scope, overrides: Partial<DisasterRecoveryVaultProps> = {}) {
  const vault = new DisasterRecoveryVault(scope, 'disaster-recovery', {
    name: 'acme',
    accountId: '123456789012',
    provider: overrides.provider ?? drProvider(scope),
    region: DR_REGION,
    primaryRegion: TEST_REGION,
    copyRetentionDays: 30,
    ...overrides,
  });
  new TenantBackup(scope, 'backup', {
    name: 'acme',
    kmsKeyArn: KMS_KEY_ARN,
    resourceArns: [DB_ARN, EFS_ARN, BUCKET_ARN],
    includesBuckets: true,
    copyTo: { vaultArn: vault.vaultArn, retentionDays: vault.copyRetentionDays },
  });
  return vault;
}

describe('DisasterRecoveryVault with TenantBackup', () => {
  it('creates the vault and its own rotated key in the DR region, through the DR provider', () => {
    const { resources } = synthesize(testStack((scope) => build(scope)));
    const [vaultId, vault] = Object.entries(resources('aws_backup_vault')).find(([, v]) => v['name'] === 'acme-dr')!;
    const [keyId, key] = Object.entries(resources('aws_kms_key'))[0]!;
    expect(vault).toMatchObject({ provider: 'aws.dr', kms_key_arn: ref('aws_kms_key', keyId, 'arn'), force_destroy: false });
    expect(key).toMatchObject({ provider: 'aws.dr', enable_key_rotation: true, deletion_window_in_days: 30 });
    // Only the tenant account's IAM governs it (the backup role's policies grant the use).
    expect(policyOf(key, 'policy').Statement).toEqual([
      {
        Sid: 'AccountIamGovernsUse',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::123456789012:root' },
        Action: 'kms:*',
        Resource: '*',
      },
    ]);
    expect(Object.values(resources('aws_kms_alias'))[0]).toMatchObject({ provider: 'aws.dr', name: 'alias/acme-dr-copies' });
    const lock = Object.values(resources('aws_backup_vault_lock_configuration')).find(
      (l) => l['backup_vault_name'] === ref('aws_backup_vault', vaultId, 'name'),
    );
    expect(lock).toMatchObject({ provider: 'aws.dr', min_retention_days: 30 });
  });

  it('copies every recovery point of the daily rule to the DR vault, kept the copy retention', () => {
    const { resources } = synthesize(testStack((scope) => build(scope)));
    const [drVaultId] = Object.entries(resources('aws_backup_vault')).find(([, v]) => v['name'] === 'acme-dr')!;
    const plan = Object.values(resources('aws_backup_plan'))[0]!;
    expect(plan['rule']).toMatchObject([
      {
        rule_name: 'daily',
        copy_action: [{ destination_vault_arn: ref('aws_backup_vault', drVaultId, 'arn'), lifecycle: { delete_after: 30 } }],
      },
    ]);
  });

  it('backs up the content bucket with the S3 policies AWS Backup needs for it', () => {
    const { resources } = synthesize(testStack((scope) => build(scope)));
    expect(Object.values(resources('aws_backup_selection'))[0]!['resources']).toEqual([DB_ARN, EFS_ARN, BUCKET_ARN]);
    expect(
      Object.values(resources('aws_iam_role_policy_attachment'))
        .map((a) => a['policy_arn'])
        .sort(),
    ).toEqual([
      'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup',
      'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore',
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
    ]);
  });

  describe('rejects', () => {
    it("the tenant's own region", () => {
      expect(() =>
        synthesize(testStack((scope) => build(scope, { region: TEST_REGION, provider: drProvider(scope, TEST_REGION) }))),
      ).toThrow(/DisasterRecoveryVault acme: region eu-west-1 is the tenant's own region/);
    });
    it('a provider for another region', () => {
      expect(() => synthesize(testStack((scope) => build(scope, { provider: drProvider(scope, 'us-east-1') })))).toThrow(
        /provider is configured for us-east-1, not the DR region eu-central-1/,
      );
    });
    it('copies kept less than a week', () => {
      expect(() => synthesize(testStack((scope) => build(scope, { copyRetentionDays: 3 })))).toThrow(
        /copyRetentionDays must be a whole number of days ≥ 7, got 3/,
      );
    });
  });

  describeWithTerraform('with the real terraform', () => {
    it('validates and plans offline across two regions: DR key, alias, vault and lock beside the backup', async () => {
      const summary = await planOffline((stack) => {
        offlineAwsProvider(stack);
        build(stack);
      });
      expectOnlyCreates(summary);
      expect(
        summary.changes
          .filter((c) => c.address.startsWith('aws_kms') || c.type.startsWith('aws_backup_vault'))
          .map((c) => c.type)
          .sort(),
      ).toEqual([
        'aws_backup_vault',
        'aws_backup_vault',
        'aws_backup_vault_lock_configuration',
        'aws_backup_vault_lock_configuration',
        'aws_kms_alias',
        'aws_kms_key',
      ]);
    });
  });
});
