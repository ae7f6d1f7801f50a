import { Construct } from 'constructs';
import { assertDays, createPrivateBucket, type PolicyStatement } from './private-bucket.js';

export interface LogBucketProps {
  /** Tenant name: the bucket is `<name>-logs-<accountId>` (cut with a hash past 63 characters). */
  readonly name: string;
  /** The tenant's AWS account: part of the bucket name and the only account allowed to deliver logs. */
  readonly accountId: string;
  /** Days a log file is kept. @default 365 */
  readonly expireAfterDays?: number;
  /**
   * Whether CloudFront standard logs (v2) come here: CloudWatch Logs delivers them from us-east-1
   * under `AWSLogs/<account>/CloudFront/`, allowed by a bucket policy statement (never an ACL).
   * @default false
   */
  readonly cloudFrontLogs?: boolean;
  /**
   * VPC flow logs come here, under `vpc-flow-logs/`, kept this many days (their own lifecycle
   * rule; the other log prefixes keep `expireAfterDays`). Needs `region` for the delivery condition.
   * @default no flow logs here
   */
  readonly flowLogs?: { readonly retentionDays: number; readonly region: string };
}

/** Key prefixes of the log sources, under which each service is allowed to write (CloudFront v2 logs: `AWSLogs/<account>/CloudFront/`, AWS's own). */
export const LOG_PREFIXES = { alb: 'alb/', s3: 's3/', flowLogs: 'vpc-flow-logs/' } as const;

/** Where CloudFront's standard logging v2 writes: AWS's own layout, `AWSLogs/<account>/CloudFront/`. */
const CLOUDFRONT_LOG_PREFIX = 'AWSLogs/';

/** Versions left behind by an overwrite or delete are kept this long, then removed. */
const NONCURRENT_LOG_DAYS = 30;

/**
 * The tenant's access-log bucket: ALB access logs under `alb/`, S3 server access logs under `s3/`,
 * CloudFront standard logs (v2) under `AWSLogs/<account>/CloudFront/`, VPC flow logs under
 * `vpc-flow-logs/` when asked (WAF logs go to CloudWatch, not here).
 *
 * Encrypted with SSE-S3 (AES256), not the tenant KMS key: ALB access logs and S3 server access logs
 * can only be delivered to buckets whose default encryption is SSE-S3.
 *
 * ACLs are disabled (`BucketOwnerEnforced`): CloudFront's legacy standard logging needed them,
 * logging v2 (CloudWatch Logs delivery, `ContentDelivery`) does not.
 */
export class LogBucket extends Construct {
  /** Read through the bucket policy: an ALB or bucket that logs here waits until delivery is allowed. */
  readonly bucketName: string;
  readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: LogBucketProps) {
    super(scope, id);
    const owner = `LogBucket ${props.name}`;
    const expireAfterDays = props.expireAfterDays ?? 365;
    assertDays(owner, 'expireAfterDays', expireAfterDays);
    const { flowLogs } = props;
    if (flowLogs) assertDays(owner, 'flowLogs.retentionDays', flowLogs.retentionDays);
    const { accountId } = props;
    const { bucket, policy } = createPrivateBucket(this, {
      owner,
      name: props.name,
      kind: 'logs',
      accountId: props.accountId,
      objectOwnership: 'BucketOwnerEnforced',
      encryption: { kind: 'sse-s3' },
      statements: (arn): PolicyStatement[] => [
        {
          // The ELB log-delivery service principal (not the per-region ELB account); it also writes
          // the test object `AWSLogs/<account>/ELBAccessLogTestFile` when logging is switched on.
          Sid: 'AllowAlbAccessLogs',
          Effect: 'Allow',
          Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${arn}/${LOG_PREFIXES.alb}AWSLogs/${props.accountId}/*`,
        },
        {
          Sid: 'AllowS3ServerAccessLogs',
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${arn}/${LOG_PREFIXES.s3}*`,
          Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
        },
        ...(flowLogs
          ? ([
              {
                // The log delivery service writes VPC flow logs of this account only, under their prefix.
                Sid: 'AllowFlowLogDelivery',
                Effect: 'Allow',
                Principal: { Service: 'delivery.logs.amazonaws.com' },
                Action: 's3:PutObject',
                Resource: `${arn}/${LOG_PREFIXES.flowLogs}AWSLogs/${accountId}/*`,
                Condition: {
                  StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': accountId },
                  ArnLike: { 'aws:SourceArn': `arn:aws:logs:${flowLogs.region}:${accountId}:*` },
                },
              },
              {
                Sid: 'AllowFlowLogDeliveryCheck',
                Effect: 'Allow',
                Principal: { Service: 'delivery.logs.amazonaws.com' },
                Action: ['s3:GetBucketAcl', 's3:ListBucket'],
                Resource: arn,
                Condition: {
                  StringEquals: { 'aws:SourceAccount': accountId },
                  ArnLike: { 'aws:SourceArn': `arn:aws:logs:${flowLogs.region}:${accountId}:*` },
                },
              },
            ] satisfies PolicyStatement[])
          : []),
        ...(props.cloudFrontLogs
          ? [
              <PolicyStatement>{
                // Standard logging v2: CloudWatch Logs delivers for this account's delivery sources in us-east-1 only.
                Sid: 'AllowCloudFrontStandardLogs',
                Effect: 'Allow',
                Principal: { Service: 'delivery.logs.amazonaws.com' },
                Action: 's3:PutObject',
                Resource: `${arn}/AWSLogs/${props.accountId}/CloudFront/*`,
                Condition: {
                  StringEquals: { 'aws:SourceAccount': props.accountId, 's3:x-amz-acl': 'bucket-owner-full-control' },
                  ArnLike: { 'aws:SourceArn': `arn:aws:logs:us-east-1:${props.accountId}:delivery-source:*` },
                },
              },
            ]
          : []),
      ],
      lifecycle: {
        id: 'expire-logs',
        expiration: { days: expireAfterDays },
        noncurrentDays: NONCURRENT_LOG_DAYS,
        // With flow logs, each source's prefix gets its rule: a whole-bucket rule would cut flow logs kept longer.
        ...(flowLogs
          ? {
              prefixes: [LOG_PREFIXES.alb, LOG_PREFIXES.s3, CLOUDFRONT_LOG_PREFIX],
              ownRetention: [{ id: 'expire-flow-logs', prefix: LOG_PREFIXES.flowLogs, days: flowLogs.retentionDays }],
            }
          : {}),
      },
    });

    this.bucketName = policy.bucket;
    this.bucketArn = bucket.arn;
  }
}
