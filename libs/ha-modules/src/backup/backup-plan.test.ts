import { describe, expect, it } from 'vitest';
import { offlineAwsProvider } from '../testing/offline.js';
import { describeWithTerraform, expectOnlyCreates, planOffline } from '../testing/plan-offline.js';
import { policyOf, serviceTrust } from '../testing/policy.js';
import { addOutputs, ref, synthesize, testStack } from '../testing/synth.js';
import { KMS_KEY_ARN } from '../testing/values.js';
import { TenantBackup, type TenantBackupProps } from './backup-plan.js';

const DB_ARN = 'arn:aws:rds:eu-west-1:123456789012:cluster:acme-db';
const EFS_ARN = 'arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123456789abcdef0';
const OUTPUTS = ['vaultName', 'vaultArn', 'planId', 'roleArn'] as const;

const props = (overrides: Partial<TenantBackupProps> = {}): TenantBackupProps => ({
  name: 'acme',
  kmsKeyArn: KMS_KEY_ARN,
  resourceArns: [DB_ARN, EFS_ARN],
  ...overrides,
});

const synthBackup = (overrides: Partial<TenantBackupProps> = {}) =>
  synthesize(testStack((scope) => addOutputs(scope, new TenantBackup(scope, 'backup', props(overrides)), OUTPUTS)));

describe('TenantBackup', () => {
  it("keeps recovery points in a vault encrypted with the tenant's key, that AWS will not delete while it holds any", () => {
    const [, vault] = synthBackup().single('aws_backup_vault');
    expect(vault).toMatchObject({ name: 'acme-backup', kms_key_arn: KMS_KEY_ARN, force_destroy: false });
  });

  it('locks the vault in governance mode so no recovery point goes before its retention', () => {
    const { single } = synthBackup({ retentionDays: 14 });
    const [vaultId] = single('aws_backup_vault');
    const [, lock] = single('aws_backup_vault_lock_configuration');
    expect(lock).toEqual({ backup_vault_name: ref('aws_backup_vault', vaultId, 'name'), min_retention_days: 14 });
    // Compliance mode (changeable_for_days) would make the lock permanent even for intended operations.
    expect(lock['changeable_for_days']).toBeUndefined();
  });

  it('backs up daily at 03:00 UTC into the vault and keeps each recovery point 35 days', () => {
    const { single } = synthBackup();
    const [vaultId] = single('aws_backup_vault');
    const [, plan] = single('aws_backup_plan');
    expect(plan['name']).toBe('acme-backup');
    expect(plan['rule']).toEqual([
      {
        rule_name: 'daily',
        target_vault_name: ref('aws_backup_vault', vaultId, 'name'),
        schedule: 'cron(0 3 * * ? *)',
        start_window: 60,
        completion_window: 1440,
        lifecycle: { delete_after: 35 },
      },
    ]);
  });

  it('takes another schedule and retention', () => {
    const { single } = synthBackup({ retentionDays: 90, scheduleExpression: 'cron(30 1 * * ? *)' });
    const [, plan] = single('aws_backup_plan');
    expect(plan['rule']).toMatchObject([{ schedule: 'cron(30 1 * * ? *)', lifecycle: { delete_after: 90 } }]);
    expect(single('aws_backup_vault_lock_configuration')[1]['min_retention_days']).toBe(90);
  });

  it('uses a role that only AWS Backup can assume, with the AWS managed backup and restore policies and nothing else', () => {
    const { single, resources } = synthBackup();
    const [roleId, role] = single('aws_iam_role');
    expect(role['name']).toBe('acme-backup');
    expect(policyOf(role, 'assume_role_policy')).toEqual(serviceTrust('backup.amazonaws.com'));
    const attachments = Object.values(resources('aws_iam_role_policy_attachment'));
    expect(attachments.every((a) => a['role'] === ref('aws_iam_role', roleId, 'name'))).toBe(true);
    expect(attachments.map((a) => a['policy_arn']).sort()).toEqual([
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
    ]);
    expect(resources('aws_iam_role_policy')).toEqual({});
  });

  it('selects exactly the given resources, by ARN, with no tag-based selection', () => {
    const { single } = synthBackup();
    const [planId] = single('aws_backup_plan');
    const [roleId] = single('aws_iam_role');
    const [, selection] = single('aws_backup_selection');
    expect(selection).toEqual({
      name: 'acme-data',
      plan_id: ref('aws_backup_plan', planId, 'id'),
      iam_role_arn: ref('aws_iam_role', roleId, 'arn'),
      resources: [DB_ARN, EFS_ARN],
    });
  });

  it('exposes the vault, plan and role', () => {
    const { outputs, single } = synthBackup();
    const [vaultId] = single('aws_backup_vault');
    const [planId] = single('aws_backup_plan');
    const [roleId] = single('aws_iam_role');
    expect(outputs).toEqual({
      vaultName: ref('aws_backup_vault', vaultId, 'name'),
      vaultArn: ref('aws_backup_vault', vaultId, 'arn'),
      planId: ref('aws_backup_plan', planId, 'id'),
      roleArn: ref('aws_iam_role', roleId, 'arn'),
    });
  });

  it('keeps AWS Backup names within 50 characters for long tenant names', () => {
    const name = 'a-very-long-tenant-name-of-forty-eight-characters';
    const { single } = synthBackup({ name });
    for (const type of ['aws_backup_vault', 'aws_backup_plan', 'aws_backup_selection']) {
      const resourceName = single(type)[1]['name'] as string;
      expect(resourceName.length, type).toBeLessThanOrEqual(50);
      expect(resourceName).toMatch(/^[A-Za-z0-9-]+$/);
    }
  });

  describe('rejects', () => {
    it.each([
      [{ resourceArns: [] }, /TenantBackup acme: resourceArns must list the database and file system ARNs to back up; it is empty/],
      [{ resourceArns: ['fs-0123'] }, /resourceArns must hold ARNs \("arn:aws:\.\.\."\), got "fs-0123"/],
      [{ resourceArns: [DB_ARN, DB_ARN] }, /resourceArns lists the same ARN twice/],
      [{ retentionDays: 0 }, /retentionDays must be a whole number of days ≥ 1, got 0/],
      [{ scheduleExpression: 'rate(1 day)' }, /scheduleExpression must be an AWS cron expression/],
      [{ scheduleExpression: 'cron(0 3 * * *)' }, /six fields/],
    ] as [Partial<TenantBackupProps>, RegExp][])('%j', (overrides, message) => {
      expect(() => synthBackup(overrides)).toThrow(message);
    });
  });

  describeWithTerraform('with the real terraform', () => {
    it('validates and plans offline: vault, lock, plan, role with two policies, selection', async () => {
      const summary = await planOffline((stack) => {
        offlineAwsProvider(stack);
        new TenantBackup(stack, 'backup', props());
      });
      expectOnlyCreates(summary);
      expect(summary).toMatchObject({ add: 7, resourceCount: 7 });
      expect(summary.changes.map((c) => c.type).sort()).toEqual([
        'aws_backup_plan',
        'aws_backup_selection',
        'aws_backup_vault',
        'aws_backup_vault_lock_configuration',
        'aws_iam_role',
        'aws_iam_role_policy_attachment',
        'aws_iam_role_policy_attachment',
      ]);
    });
  });
});
