import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { TerraformProvider } from 'cdktf';
import { checkAccountAndRegion } from '../aws-account.js';

export interface TenantKeyProps {
  /** Tenant name: the alias is `alias/<name>`. Letters, digits, `/`, `_` and `-` only. */
  readonly name: string;
  /** Account that owns the key; its IAM policies govern every use of the key inside it. */
  readonly accountId: string;
  /** Region of the key (the tenant's stack, or `provider`'s): the CloudWatch Logs service grant is limited to it. */
  readonly region: string;
  /** Days a deleted key stays recoverable before AWS destroys it, 7–30. @default 30 */
  readonly deletionWindowDays?: number;
  /** Days between automatic rotations of the key material, 90–2560. @default 365 */
  readonly rotationPeriodDays?: number;
  /**
   * Provider of `region` (a second key of the tenant in another region, e.g. us-east-1 for
   * CloudFront's WAF logs and alerts). @default the stack's default provider
   */
  readonly provider?: TerraformProvider;
}

const AUTO_SCALING_SERVICE = 'autoscaling.amazonaws.com';

/**
 * The tenant's customer-managed KMS key (symmetric, single-region, rotated) and its alias. Every
 * encrypted resource of the tenant takes this key, so no other tenant's key can read its data.
 *
 * The key policy gives the account root `kms:*`, so that IAM policies in the tenant's account
 * decide who may use the key, plus the service grants that IAM cannot give: CloudWatch Logs in
 * the tenant's region (its own log groups only), CloudWatch alarms and RDS events publishing to an
 * encrypted SNS topic, CloudFront reading SSE-KMS content of this account's distributions, and the
 * Auto Scaling service-linked role launching instances with encrypted EBS volumes and publishing
 * its notifications to the encrypted alert topic (GenerateDataKey and Decrypt, as for volumes).
 *
 * The Auto Scaling role is matched by `aws:PrincipalArn`, not named as a principal: KMS refuses a
 * key policy naming a role that does not exist, and in a fresh account the service-linked role
 * only appears with the first auto scaling group, which needs this key. A condition names it
 * without requiring it to exist, so the first apply in a new account succeeds.
 */
export class TenantKey extends Construct {
  readonly keyArn: string;
  readonly keyId: string;
  readonly aliasName: string;
  readonly aliasArn: string;

  constructor(scope: Construct, id: string, props: TenantKeyProps) {
    super(scope, id);
    const { name, accountId, region } = props;
    const deletionWindowDays = props.deletionWindowDays ?? 30;
    const rotationPeriodDays = props.rotationPeriodDays ?? 365;
    validate(props, deletionWindowDays, rotationPeriodDays);

    const key = new KmsKey(this, 'key', {
      provider: props.provider,
      description: `hafleet tenant ${name}: encrypts the tenant's data, logs, backups and alerts`,
      keyUsage: 'ENCRYPT_DECRYPT',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      multiRegion: false,
      enableKeyRotation: true,
      rotationPeriodInDays: rotationPeriodDays,
      // A destroyed key only becomes pending deletion: recoverable for this long (30 days, the AWS maximum, by default).
      deletionWindowInDays: deletionWindowDays,
      policy: JSON.stringify(tenantKeyPolicy(accountId, region)),
      tags: { Name: `${name}-key` },
    });
    const alias = new KmsAlias(this, 'alias', { provider: props.provider, name: `alias/${name}`, targetKeyId: key.keyId });

    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.aliasName = alias.name;
    this.aliasArn = alias.arn;
  }
}

/** The key policy statement every tenant key starts with: the account's IAM policies decide who may use the key. */
export function accountIamGovernsUse(accountId: string) {
  return {
    Sid: 'AccountIamGovernsUse',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${accountId}:root` },
    Action: 'kms:*',
    Resource: '*',
  };
}

function tenantKeyPolicy(accountId: string, region: string) {
  const autoScalingRole = `arn:aws:iam::${accountId}:role/aws-service-role/${AUTO_SCALING_SERVICE}/AWSServiceRoleForAutoScaling`;
  return {
    Version: '2012-10-17',
    Statement: [
      accountIamGovernsUse(accountId),
      {
        Sid: 'CloudWatchLogsOwnLogGroups',
        Effect: 'Allow',
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${accountId}:log-group:*` } },
      },
      {
        Sid: 'CloudWatchAlarmsToEncryptedTopics',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: '*',
        // Only alarms of this account and region (confused-deputy protection).
        Condition: {
          StringEquals: { 'aws:SourceAccount': accountId },
          ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${region}:${accountId}:alarm:*` },
        },
      },
      {
        // RDS event subscriptions publish to the encrypted alert topic; SNS asks for the data key with
        // the topic as encryption context, so only this account's topics in this region are reachable.
        Sid: 'RdsEventsToEncryptedTopics',
        Effect: 'Allow',
        Principal: { Service: 'events.rds.amazonaws.com' },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: '*',
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:sns:topicArn': `arn:aws:sns:${region}:${accountId}:*` } },
      },
      {
        // Content bucket objects are SSE-KMS; CloudFront reads them through origin access control.
        Sid: 'CloudFrontReadsContent',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:cloudfront::${accountId}:distribution/*` } },
      },
      {
        Sid: 'AutoScalingEncryptedVolumes',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': accountId }, ArnEquals: { 'aws:PrincipalArn': autoScalingRole } },
      },
      {
        Sid: 'AutoScalingGrantsForAwsResources',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:CallerAccount': accountId },
          ArnEquals: { 'aws:PrincipalArn': autoScalingRole },
          Bool: { 'kms:GrantIsForAWSResource': 'true' },
        },
      },
    ],
  };
}

function validate(props: TenantKeyProps, deletionWindowDays: number, rotationPeriodDays: number): void {
  const fail = (message: string): never => {
    throw new Error(`TenantKey ${props.name}: ${message}`);
  };
  if (!/^[A-Za-z0-9/_-]{1,250}$/.test(props.name)) fail('name must be 1–250 letters, digits, "/", "_" or "-" (it becomes the key alias)');
  if (props.name.startsWith('aws/')) fail('name must not start with "aws/": AWS reserves those aliases');
  checkAccountAndRegion(`TenantKey ${props.name}`, props.accountId, props.region);
  if (!Number.isInteger(deletionWindowDays) || deletionWindowDays < 7 || deletionWindowDays > 30) {
    fail(`deletionWindowDays must be a whole number of days from 7 to 30, got ${deletionWindowDays}`);
  }
  if (!Number.isInteger(rotationPeriodDays) || rotationPeriodDays < 90 || rotationPeriodDays > 2560) {
    fail(`rotationPeriodDays must be a whole number of days from 90 to 2560, got ${rotationPeriodDays}`);
  }
}
