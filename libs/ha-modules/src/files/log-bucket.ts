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
   * Whether CloudFront standard logs come here: they are written through ACLs, so only then are
   * ACLs kept enabled (`BucketOwnerPreferred`); otherwise they are off (`BucketOwnerEnforced`).
   * @default true
   */
  readonly cloudFrontLogs?: boolean;
  /**
   * VPC flow logs come here, under `vpc-flow-logs/`, kept this many days (their own lifecycle
   * rule; the other log prefixes keep `expireAfterDays`). Needs `region` for the delivery condition.
   * @default no flow logs here
   */
  readonly flowLogs?: { readonly retentionDays: number; readonly region: string };
}

/** Key prefixes of the log sources, under which each service is allowed to write. */
export const LOG_PREFIXES = { alb: 'alb/', s3: 's3/', cloudfront: 'cloudfront/', flowLogs: 'vpc-flow-logs/' } as const;

/** Versions left behind by an overwrite or delete are kept this long, then removed. */
const NONCURRENT_LOG_DAYS = 30;

/**
 * The tenant's access-log bucket: ALB access logs under `alb/`, S3 server access logs under `s3/`,
 * CloudFront standard logs under `cloudfront/`, VPC flow logs under `vpc-flow-logs/` when asked
 * (WAF logs go to CloudWatch, not here).
 *
 * Encrypted with SSE-S3 (AES256), not the tenant KMS key: ALB access logs and S3 server access logs
 * can only be delivered to buckets whose default encryption is SSE-S3.
 *
 * CloudFront standard logging (legacy) writes through bucket ACLs, so ACLs stay enabled here when
 * `cloudFrontLogs` (`BucketOwnerPreferred`: the bucket owner still owns every object). CloudFront itself grants its
 * `awslogsdelivery` account FULL_CONTROL on the bucket ACL when a distribution's logging is switched
 * on; the ACL is not managed here because `aws_s3_bucket_acl` needs the owner's canonical user id,
 * which only a data source that calls AWS can provide.
 */
export class LogBucket extends Construct {
  /** Read through the bucket policy: an ALB or bucket that logs here waits until delivery is allowed. */
  readonly bucketName: string;
  readonly bucketArn: string;
  /**
   * `<bucket>.s3.amazonaws.com`, the form CloudFront logging wants (not the regional domain name).
   * Read through the ownership controls: a distribution that logs here waits until ACLs are enabled.
   */
  readonly bucketDomainName: string;

  constructor(scope: Construct, id: string, props: LogBucketProps) {
    super(scope, id);
    const owner = `LogBucket ${props.name}`;
    const expireAfterDays = props.expireAfterDays ?? 365;
    assertDays(owner, 'expireAfterDays', expireAfterDays);
    const { flowLogs } = props;
    if (flowLogs) assertDays(owner, 'flowLogs.retentionDays', flowLogs.retentionDays);
    const { accountId } = props;
    const { bucket, policy, ownership } = createPrivateBucket(this, {
      owner,
      name: props.name,
      kind: 'logs',
      accountId: props.accountId,
      objectOwnership: (props.cloudFrontLogs ?? true) ? 'BucketOwnerPreferred' : 'BucketOwnerEnforced',
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
      ],
      lifecycle: {
        id: 'expire-logs',
        expiration: { days: expireAfterDays },
        noncurrentDays: NONCURRENT_LOG_DAYS,
        // With flow logs, each source's prefix gets its rule: a whole-bucket rule would cut flow logs kept longer.
        ...(flowLogs
          ? {
              prefixes: [LOG_PREFIXES.alb, LOG_PREFIXES.s3, LOG_PREFIXES.cloudfront],
              ownRetention: [{ id: 'expire-flow-logs', prefix: LOG_PREFIXES.flowLogs, days: flowLogs.retentionDays }],
            }
          : {}),
      },
    });

    this.bucketName = policy.bucket;
    this.bucketArn = bucket.arn;
    this.bucketDomainName = `${ownership.bucket}.s3.amazonaws.com`;
  }
}
