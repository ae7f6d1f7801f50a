import { describe, expect, it } from 'vitest';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { offlineAwsProvider } from '../testing/offline.js';
import { describeWithTerraform, planOffline } from '../testing/plan-offline.js';
import { policyOf } from '../testing/policy.js';
import { addOutputs, synthesize, testStack } from '../testing/synth.js';
import { ACCOUNT_ID } from '../testing/values.js';
import { TenantKey, type TenantKeyProps } from './tenant-key.js';

const OUTPUTS = ['keyArn', 'keyId', 'aliasName', 'aliasArn'] as const;
const props = (overrides: Partial<TenantKeyProps> = {}): TenantKeyProps => ({
  name: 'acme',
  accountId: ACCOUNT_ID,
  region: 'eu-west-1',
  ...overrides,
});

function synthKey(overrides: Partial<TenantKeyProps> = {}) {
  const { resources, outputs, single } = synthesize(
    testStack((scope) => addOutputs(scope, new TenantKey(scope, 'key', props(overrides)), OUTPUTS)),
  );
  const [keyId, key] = single('aws_kms_key');
  const policy = policyOf(key);
  const statement = (sid: string) => policy.Statement.find((s) => s.Sid === sid);
  return { resources, outputs, keyId, key, policy, statement };
}

const SLR = `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;

describe('TenantKey', () => {
  it('is a symmetric, single-region key rotated yearly and recoverable for 30 days after deletion', () => {
    const { key } = synthKey();
    expect(key).toMatchObject({
      key_usage: 'ENCRYPT_DECRYPT',
      customer_master_key_spec: 'SYMMETRIC_DEFAULT',
      multi_region: false,
      enable_key_rotation: true,
      rotation_period_in_days: 365,
      deletion_window_in_days: 30,
    });
    expect(key['description']).toContain('tenant acme');
    expect(key['bypass_policy_lockout_safety_check']).toBeUndefined();
  });

  it('takes a shorter deletion window and another rotation period when asked', () => {
    const { key } = synthKey({ deletionWindowDays: 7, rotationPeriodDays: 90 });
    expect(key).toMatchObject({ deletion_window_in_days: 7, rotation_period_in_days: 90, enable_key_rotation: true });
  });

  it('is reachable as alias/<tenant>', () => {
    const { resources, keyId } = synthKey();
    expect(Object.values(resources('aws_kms_alias'))).toEqual([{ name: 'alias/acme', target_key_id: `\${aws_kms_key.${keyId}.key_id}` }]);
  });

  it('exposes the key and alias identifiers', () => {
    const { outputs, keyId, resources } = synthKey();
    const aliasId = Object.keys(resources('aws_kms_alias'))[0]!;
    expect(outputs).toEqual({
      keyArn: `\${aws_kms_key.${keyId}.arn}`,
      keyId: `\${aws_kms_key.${keyId}.key_id}`,
      aliasName: `\${aws_kms_alias.${aliasId}.name}`,
      aliasArn: `\${aws_kms_alias.${aliasId}.arn}`,
    });
  });

  describe('key policy', () => {
    it('lets the account root, and so IAM in the tenant account, govern the key', () => {
      const { statement, policy } = synthKey();
      expect(policy.Version).toBe('2012-10-17');
      expect(statement('AccountIamGovernsUse')).toEqual({
        Sid: 'AccountIamGovernsUse',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
        Action: 'kms:*',
        Resource: '*',
      });
    });

    it("lets CloudWatch Logs in the tenant's region use it for the account's log groups only", () => {
      const { statement } = synthKey({ region: 'ap-southeast-2' });
      expect(statement('CloudWatchLogsOwnLogGroups')).toEqual({
        Sid: 'CloudWatchLogsOwnLogGroups',
        Effect: 'Allow',
        Principal: { Service: 'logs.ap-southeast-2.amazonaws.com' },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:ap-southeast-2:${ACCOUNT_ID}:log-group:*` } },
      });
    });

    it('lets CloudWatch alarms of the account publish to a topic encrypted with it, and nothing more', () => {
      const { statement } = synthKey();
      expect(statement('CloudWatchAlarmsToEncryptedTopics')).toEqual({
        Sid: 'CloudWatchAlarmsToEncryptedTopics',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:eu-west-1:${ACCOUNT_ID}:alarm:*` },
        },
      });
    });

    it("lets RDS event subscriptions publish to this account's encrypted topics in the tenant's region, and nothing more", () => {
      const { statement } = synthKey({ region: 'ap-southeast-2' });
      expect(statement('RdsEventsToEncryptedTopics')).toEqual({
        Sid: 'RdsEventsToEncryptedTopics',
        Effect: 'Allow',
        Principal: { Service: 'events.rds.amazonaws.com' },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: '*',
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:sns:topicArn': `arn:aws:sns:ap-southeast-2:${ACCOUNT_ID}:*` } },
      });
    });

    it('lets the Auto Scaling service-linked role publish notifications to an encrypted topic: SNS needs GenerateDataKey and Decrypt', () => {
      const { policy } = synthKey();
      const forTheRole = policy.Statement.filter((s) => JSON.stringify(s['Condition'] ?? {}).includes(SLR));
      const actions = forTheRole.flatMap((s) => s['Action'] as string[] | string);
      expect(actions).toEqual(expect.arrayContaining(['kms:GenerateDataKey*', 'kms:Decrypt']));
    });

    it('lives in the region of the provider it is given (a second key of the tenant, e.g. in us-east-1)', () => {
      const { resources } = synthesize(
        testStack((scope) => {
          const usEast1 = new AwsProvider(scope, 'us-east-1', { alias: 'us_east_1', region: 'us-east-1' });
          new TenantKey(scope, 'key', props({ name: 'acme-us-east-1', region: 'us-east-1', provider: usEast1 }));
        }),
      );
      const [key] = Object.values(resources('aws_kms_key'));
      const [alias] = Object.values(resources('aws_kms_alias'));
      expect(key!['provider']).toBe('aws.us_east_1');
      expect(alias).toMatchObject({ provider: 'aws.us_east_1', name: 'alias/acme-us-east-1' });
      expect(policyOf(key!).Statement.find((s) => s.Sid === 'CloudWatchAlarmsToEncryptedTopics')!['Condition']).toMatchObject({
        ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:us-east-1:${ACCOUNT_ID}:alarm:*` },
      });
    });

    it('lets the Auto Scaling service-linked role use it for volumes, grants for AWS resources only, unnamed (a fresh account lacks the role)', () => {
      const { statement } = synthKey();
      const onlyTheRole = { StringEquals: { 'kms:CallerAccount': ACCOUNT_ID }, ArnEquals: { 'aws:PrincipalArn': SLR } };
      expect(statement('AutoScalingEncryptedVolumes')).toEqual({
        Sid: 'AutoScalingEncryptedVolumes',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: '*',
        Condition: onlyTheRole,
      });
      expect(statement('AutoScalingGrantsForAwsResources')).toEqual({
        Sid: 'AutoScalingGrantsForAwsResources',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: { ...onlyTheRole, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      });
    });

    it("lets CloudFront decrypt content only for this account's distributions", () => {
      const { statement } = synthKey();
      expect(statement('CloudFrontReadsContent')).toEqual({
        Sid: 'CloudFrontReadsContent',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:cloudfront::${ACCOUNT_ID}:distribution/*` } },
      });
    });

    it('has no other statement, no deny, and a wildcard principal only where a condition names the one principal', () => {
      const { policy } = synthKey();
      expect(policy.Statement.map((s) => s['Sid'])).toEqual([
        'AccountIamGovernsUse',
        'CloudWatchLogsOwnLogGroups',
        'CloudWatchAlarmsToEncryptedTopics',
        'RdsEventsToEncryptedTopics',
        'CloudFrontReadsContent',
        'AutoScalingEncryptedVolumes',
        'AutoScalingGrantsForAwsResources',
      ]);
      for (const s of policy.Statement) {
        expect(s['Effect']).toBe('Allow');
        if (JSON.stringify(s['Principal']).includes('"*"')) {
          expect((s['Condition'] as Record<string, Record<string, string>>)['ArnEquals']?.['aws:PrincipalArn'], String(s['Sid'])).toBe(SLR);
        }
      }
    });

    it("names no account but the tenant's own, so two tenants' keys never open each other's data", () => {
      const other = '210987654321';
      const { key: keyA } = synthKey();
      const { key: keyB } = synthKey({ name: 'globex', accountId: other });
      expect(keyA['policy']).not.toContain(other);
      expect(keyB['policy']).not.toContain(ACCOUNT_ID);
      const accounts = (policy: string) => new Set(policy.match(/\d{12}/g));
      expect(accounts(keyA['policy'] as string)).toEqual(new Set([ACCOUNT_ID]));
      expect(accounts(keyB['policy'] as string)).toEqual(new Set([other]));
    });
  });

  describe('rejects', () => {
    it.each([
      [{ accountId: '12345' }, /TenantKey acme: accountId must be a 12-digit AWS account id, got "12345"/],
      [{ region: 'Europe' }, /TenantKey acme: region must be an AWS region/],
      [{ deletionWindowDays: 31 }, /deletionWindowDays must be a whole number of days from 7 to 30, got 31/],
      [{ deletionWindowDays: 6 }, /deletionWindowDays .* got 6/],
      [{ rotationPeriodDays: 30 }, /rotationPeriodDays must be a whole number of days from 90 to 2560, got 30/],
      [{ name: 'aws/acme' }, /must not start with "aws\/"/],
      [{ name: 'acme corp' }, /TenantKey acme corp: name must be/],
    ] as [Partial<TenantKeyProps>, RegExp][])('%j', (overrides, message) => {
      expect(() => synthKey(overrides)).toThrow(message);
    });
  });

  describeWithTerraform('with the real terraform', () => {
    it('validates and plans offline: one key and its alias', async () => {
      const summary = await planOffline((stack) => {
        offlineAwsProvider(stack);
        new TenantKey(stack, 'key', props());
      });
      expect(summary).toMatchObject({ add: 2, change: 0, destroy: 0, resourceCount: 2 });
      expect(summary.changes.map((c) => `${c.type}:${c.action}`).sort()).toEqual(['aws_kms_alias:create', 'aws_kms_key:create']);
    });
  });
});
