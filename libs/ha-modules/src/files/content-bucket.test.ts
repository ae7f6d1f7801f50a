import { describe, expect, it } from 'vitest';
import { offlineAwsProvider } from '../testing/offline.js';
import { createdCounts, expectOnlyCreates, planOffline } from '../testing/plan-offline.js';
import { policyOf } from '../testing/policy.js';
import { addOutputs, synthesize, testStack } from '../testing/synth.js';
import { ACCOUNT_ID, KMS_KEY_ARN } from '../testing/values.js';
import { ContentBucket, type ContentBucketProps } from './content-bucket.js';
import { LogBucket } from './log-bucket.js';

const OUTPUTS = ['bucketName', 'bucketArn', 'bucketRegionalDomainName'] as const;
const ARN = 'arn:aws:s3:::acme-content-123456789012';
const DISTRIBUTION_A = 'arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE';
const DISTRIBUTION_B = 'arn:aws:cloudfront::123456789012:distribution/E2QWRUHEXAMPLE';

const props = (overrides: Partial<ContentBucketProps> = {}): ContentBucketProps => ({
  name: 'acme',
  accountId: ACCOUNT_ID,
  kmsKeyArn: KMS_KEY_ARN,
  logBucket: { name: 'acme-logs-123456789012' },
  ...overrides,
});

function synthContentBucket(overrides: Partial<ContentBucketProps> = {}, grants: string[] = []) {
  const synth = synthesize(
    testStack((scope) => {
      const content = new ContentBucket(scope, 'content', props(overrides));
      for (const arn of grants) content.grantCloudFrontRead(arn);
      addOutputs(scope, content, OUTPUTS);
    }),
  );
  return { ...synth, statements: () => policyOf(synth.single('aws_s3_bucket_policy')[1]).Statement };
}

describe('ContentBucket', () => {
  it('is named <name>-content-<account>, versioned and cannot be force-destroyed', () => {
    const { single } = synthContentBucket();
    expect(single('aws_s3_bucket')[1]).toMatchObject({ bucket: 'acme-content-123456789012', force_destroy: false });
    expect(single('aws_s3_bucket_versioning')[1]).toMatchObject({ versioning_configuration: { status: 'Enabled' } });
  });

  it('encrypts with the tenant key, bucket key on', () => {
    const [, sse] = synthContentBucket().single('aws_s3_bucket_server_side_encryption_configuration');
    expect(sse['rule']).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: KMS_KEY_ARN }, bucket_key_enabled: true },
    ]);
  });

  it('blocks all public access and disables ACLs', () => {
    const { single } = synthContentBucket();
    expect(single('aws_s3_bucket_public_access_block')[1]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(single('aws_s3_bucket_ownership_controls')[1]).toMatchObject({ rule: { object_ownership: 'BucketOwnerEnforced' } });
  });

  it('keeps current objects, expires old versions after 90 days by default and abandoned uploads after 7', () => {
    const [, lifecycle] = synthContentBucket().single('aws_s3_bucket_lifecycle_configuration');
    expect(lifecycle['rule']).toEqual([
      {
        id: 'expire-old-versions',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        expiration: [{ expired_object_delete_marker: true }],
        noncurrent_version_expiration: [{ noncurrent_days: 90 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
    const [, custom] = synthContentBucket({ noncurrentVersionExpirationDays: 30 }).single('aws_s3_bucket_lifecycle_configuration');
    expect((custom['rule'] as { noncurrent_version_expiration: unknown }[])[0]!.noncurrent_version_expiration).toEqual([
      { noncurrent_days: 30 },
    ]);
  });

  it('sends its access logs to the log bucket under s3/<bucket>/', () => {
    const [, logging] = synthContentBucket().single('aws_s3_bucket_logging');
    expect(logging).toMatchObject({ target_bucket: 'acme-logs-123456789012', target_prefix: 's3/acme-content-123456789012/' });
  });

  it('without a grant, its one policy only denies: non-TLS requests and uploads asking for another key', () => {
    const statements = synthContentBucket().statements();
    expect(statements.every((s) => s.Effect === 'Deny')).toBe(true);
    expect(statements).toEqual([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [ARN, `${ARN}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: 'DenyOtherEncryption',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: `${ARN}/*`,
        Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      },
      {
        Sid: 'DenyOtherKmsKeys',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: `${ARN}/*`,
        Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': KMS_KEY_ARN } },
      },
    ]);
  });

  it('lets only the granted distributions read objects, in the same single policy', () => {
    const statements = synthContentBucket({}, [DISTRIBUTION_A, DISTRIBUTION_B]).statements();
    expect(statements.map((s) => s.Sid)).toEqual([
      'DenyInsecureTransport',
      'DenyOtherEncryption',
      'DenyOtherKmsKeys',
      'AllowCloudFrontRead',
    ]);
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([
      {
        Sid: 'AllowCloudFrontRead',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: `${ARN}/*`,
        Condition: { StringEquals: { 'AWS:SourceArn': [DISTRIBUTION_A, DISTRIBUTION_B] } },
      },
    ]);
  });

  it('exposes its name, ARN and regional domain name', () => {
    const { outputs, single } = synthContentBucket();
    const [bucketId] = single('aws_s3_bucket');
    expect(outputs).toMatchObject({
      bucketName: `\${aws_s3_bucket.${bucketId}.bucket}`,
      bucketArn: `\${aws_s3_bucket.${bucketId}.arn}`,
      bucketRegionalDomainName: `\${aws_s3_bucket.${bucketId}.bucket_regional_domain_name}`,
    });
  });

  it('rejects a bad account id and a non-positive version retention', () => {
    expect(() => synthContentBucket({ accountId: 'acme' })).toThrow(/ContentBucket acme: accountId must be a 12-digit AWS account id/);
    expect(() => synthContentBucket({ noncurrentVersionExpirationDays: 1.5 })).toThrow(
      /ContentBucket acme: noncurrentVersionExpirationDays must be a whole number ≥ 1, got 1.5/,
    );
  });

  it('is accepted by the real terraform and AWS provider (offline plan), logging to a LogBucket', async () => {
    const summary = await planOffline((stack) => {
      offlineAwsProvider(stack);
      const logs = new LogBucket(stack, 'logs', { name: 'acme', accountId: ACCOUNT_ID });
      new ContentBucket(stack, 'content', props({ logBucket: { name: logs.bucketName } })).grantCloudFrontRead(DISTRIBUTION_A);
    });
    expectOnlyCreates(summary);
    expect(createdCounts(summary)).toMatchObject({
      aws_s3_bucket: 2,
      aws_s3_bucket_policy: 2,
      aws_s3_bucket_server_side_encryption_configuration: 2,
      aws_s3_bucket_logging: 1,
    });
    expect(summary.resourceCount).toBe(15);
  });
});
