import { describe, expect, it } from 'vitest';
import { offlineAwsProvider } from '../testing/offline.js';
import { expectOnlyCreates, planOffline } from '../testing/plan-offline.js';
import { policyOf } from '../testing/policy.js';
import { addOutputs, ref, synthesize, testStack } from '../testing/synth.js';
import { ACCOUNT_ID } from '../testing/values.js';
import { LogBucket, type LogBucketProps } from './log-bucket.js';

const OUTPUTS = ['bucketName', 'bucketArn'] as const;

function synthLogBucket(overrides: Partial<LogBucketProps> = {}) {
  const synth = synthesize(
    testStack((scope) => addOutputs(scope, new LogBucket(scope, 'logs', { name: 'acme', accountId: ACCOUNT_ID, ...overrides }), OUTPUTS)),
  );
  return { ...synth, policy: () => policyOf(synth.single('aws_s3_bucket_policy')[1]) };
}

describe('LogBucket', () => {
  it('is named <name>-logs-<account> and cannot be force-destroyed', () => {
    const [, bucket] = synthLogBucket().single('aws_s3_bucket');
    expect(bucket).toMatchObject({ bucket: 'acme-logs-123456789012', force_destroy: false });
  });

  it('keeps long or mixed-case tenant names within 63 lower-case characters, distinct and with the account id', () => {
    const nameOf = (name: string) => synthLogBucket({ name }).single('aws_s3_bucket')[1]['bucket'] as string;
    const a = nameOf('University-of-Somewhere-Far-Away-Sydney-Campus-Number-1');
    const b = nameOf('University-of-Somewhere-Far-Away-Sydney-Campus-Number-2');
    for (const name of [a, b]) {
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
      expect(name.endsWith('-logs-123456789012')).toBe(true);
    }
    expect(a).not.toBe(b);
  });

  it('is versioned, encrypted with SSE-S3 (the only encryption ALB access logs accept) and blocks all public access', () => {
    const { single } = synthLogBucket();
    expect(single('aws_s3_bucket_versioning')[1]).toMatchObject({ versioning_configuration: { status: 'Enabled' } });
    const [, sse] = single('aws_s3_bucket_server_side_encryption_configuration');
    expect(sse['rule']).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }]);
    expect(single('aws_s3_bucket_public_access_block')[1]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it('disables ACLs, CloudFront logs or not: standard logging v2 needs none', () => {
    for (const cloudFrontLogs of [false, true]) {
      const { single, resources } = synthLogBucket({ cloudFrontLogs });
      expect(single('aws_s3_bucket_ownership_controls')[1]).toMatchObject({ rule: { object_ownership: 'BucketOwnerEnforced' } });
      expect(Object.keys(resources('aws_s3_bucket_acl'))).toHaveLength(0);
    }
  });

  it("lets CloudWatch Logs deliver CloudFront standard logs only for this account's us-east-1 delivery sources, when asked", () => {
    const arn = 'arn:aws:s3:::acme-logs-123456789012';
    expect(
      synthLogBucket()
        .policy()
        .Statement.map((s) => s.Sid),
    ).not.toContain('AllowCloudFrontStandardLogs');
    expect(synthLogBucket({ cloudFrontLogs: true }).policy().Statement.at(-1)).toEqual({
      Sid: 'AllowCloudFrontStandardLogs',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${arn}/AWSLogs/123456789012/CloudFront/*`,
      Condition: {
        StringEquals: { 'aws:SourceAccount': '123456789012', 's3:x-amz-acl': 'bucket-owner-full-control' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:logs:us-east-1:123456789012:delivery-source:*' },
      },
    });
  });

  it('denies non-TLS requests and lets only ALB and S3 log delivery write, each under its own prefix', () => {
    const arn = 'arn:aws:s3:::acme-logs-123456789012';
    const { Statement } = synthLogBucket().policy();
    expect(Statement).toEqual([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: 'AllowAlbAccessLogs',
        Effect: 'Allow',
        Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `${arn}/alb/AWSLogs/123456789012/*`,
      },
      {
        Sid: 'AllowS3ServerAccessLogs',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `${arn}/s3/*`,
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      },
    ]);
  });

  it('expires logs after a year by default, old versions after 30 days and abandoned uploads after 7', () => {
    const [, lifecycle] = synthLogBucket().single('aws_s3_bucket_lifecycle_configuration');
    expect(lifecycle['rule']).toEqual([
      {
        id: 'expire-logs',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        expiration: [{ days: 365 }],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
  });

  it('takes the retention from expireAfterDays', () => {
    const [, lifecycle] = synthLogBucket({ expireAfterDays: 90 }).single('aws_s3_bucket_lifecycle_configuration');
    expect((lifecycle['rule'] as { expiration: unknown }[])[0]!.expiration).toEqual([{ days: 90 }]);
  });

  describe('with VPC flow logs', () => {
    const withFlowLogs = () => synthLogBucket({ flowLogs: { retentionDays: 730, region: 'ap-southeast-2' } });

    it('keeps them under vpc-flow-logs/ as long as asked, with every other log prefix on its own rule, so no rule cuts them short', () => {
      const [, lifecycle] = withFlowLogs().single('aws_s3_bucket_lifecycle_configuration');
      const rules = lifecycle['rule'] as Array<Record<string, any>>;
      expect(rules.map((r) => [r['id'], r['filter'][0].prefix, r['expiration'][0].days])).toEqual([
        ['expire-logs-alb', 'alb/', 365],
        ['expire-logs-s3', 's3/', 365],
        ['expire-logs-AWSLogs', 'AWSLogs/', 365],
        ['expire-flow-logs', 'vpc-flow-logs/', 730],
      ]);
      for (const rule of rules) expect(rule).toMatchObject({ status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 30 }] });
    });

    it("lets only the log delivery service write them, for this account's flow logs in the tenant's region, under their prefix", () => {
      const { policy, single } = withFlowLogs();
      const [bucketId] = single('aws_s3_bucket');
      const statements = policy().Statement.filter((s) => JSON.stringify(s['Principal']).includes('delivery.logs.amazonaws.com'));
      const bucketArn = `arn:aws:s3:::acme-logs-${ACCOUNT_ID}`;
      const onlyOurs = { 'aws:SourceAccount': ACCOUNT_ID };
      const sourceArn = { 'aws:SourceArn': `arn:aws:logs:ap-southeast-2:${ACCOUNT_ID}:*` };
      expect(statements).toEqual([
        {
          Sid: 'AllowFlowLogDelivery',
          Effect: 'Allow',
          Principal: { Service: 'delivery.logs.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${bucketArn}/vpc-flow-logs/AWSLogs/${ACCOUNT_ID}/*`,
          Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...onlyOurs }, ArnLike: sourceArn },
        },
        {
          Sid: 'AllowFlowLogDeliveryCheck',
          Effect: 'Allow',
          Principal: { Service: 'delivery.logs.amazonaws.com' },
          Action: ['s3:GetBucketAcl', 's3:ListBucket'],
          Resource: bucketArn,
          Condition: { StringEquals: onlyOurs, ArnLike: sourceArn },
        },
      ]);
      expect(bucketId).toBeTruthy();
    });

    it('refuses a flow-log retention below one day', () => {
      expect(() => synthLogBucket({ flowLogs: { retentionDays: 0, region: 'eu-west-1' } })).toThrow(
        /flowLogs.retentionDays must be a whole number ≥ 1, got 0/,
      );
    });
  });

  it('exposes the name through the policy', () => {
    const { outputs, single } = synthLogBucket();
    const [bucketId] = single('aws_s3_bucket');
    const [policyId] = single('aws_s3_bucket_policy');
    // An ALB that logs here waits for the policy.
    expect(outputs['bucketName']).toBe(ref('aws_s3_bucket_policy', policyId, 'bucket'));
    expect(outputs['bucketArn']).toBe(ref('aws_s3_bucket', bucketId, 'arn'));
  });

  it('rejects an account id that is not 12 digits and a retention below one day', () => {
    expect(() => synthLogBucket({ accountId: '1234' })).toThrow(/LogBucket acme: accountId must be a 12-digit AWS account id, got "1234"/);
    expect(() => synthLogBucket({ expireAfterDays: 0 })).toThrow(/LogBucket acme: expireAfterDays must be a whole number ≥ 1, got 0/);
  });

  it('is accepted by the real terraform and AWS provider (offline plan)', async () => {
    const summary = await planOffline((stack) => {
      offlineAwsProvider(stack);
      new LogBucket(stack, 'logs', { name: 'acme', accountId: ACCOUNT_ID });
    });
    const types = summary.changes.map((c) => c.type).sort();
    expect(types).toEqual([
      'aws_s3_bucket',
      'aws_s3_bucket_lifecycle_configuration',
      'aws_s3_bucket_ownership_controls',
      'aws_s3_bucket_policy',
      'aws_s3_bucket_public_access_block',
      'aws_s3_bucket_server_side_encryption_configuration',
      'aws_s3_bucket_versioning',
    ]);
    expectOnlyCreates(summary);
    expect(summary.resourceCount).toBe(7);
  });
});
