import { Construct } from 'constructs';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { LOG_PREFIXES } from './log-bucket.js';
import { assertDays, createPrivateBucket, type PolicyStatement } from './private-bucket.js';

export interface ContentBucketProps {
  /** Tenant name: the bucket is `<name>-content-<accountId>` (cut with a hash past 63 characters). */
  readonly name: string;
  /** The tenant's AWS account: part of the globally unique bucket name. */
  readonly accountId: string;
  /** The tenant's KMS key: default encryption of every object, and the only key uploads may name. */
  readonly kmsKeyArn: string;
  /** Bucket receiving the S3 server access logs, under `s3/<this bucket>/` (see `LogBucket`). */
  readonly logBucket: { readonly name: string };
  /** Days an overwritten or deleted version is kept before it is removed for good. @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
}

/**
 * The tenant's course-content bucket (SCORM/xAPI packages, media), served to learners through
 * CloudFront with origin access control; never public. Versioned, encrypted with the tenant key
 * (bucket key on), ACLs disabled, TLS only, access-logged to the tenant's log bucket.
 *
 * Call `grantCloudFrontRead` with the distribution's ARN. Because objects are SSE-KMS encrypted,
 * the tenant key's policy must also let `cloudfront.amazonaws.com` use `kms:Decrypt` for that
 * distribution (condition `AWS:SourceArn`); the key's owner has to add that statement.
 */
export class ContentBucket extends Construct {
  readonly bucketName: string;
  readonly bucketArn: string;
  /** `<bucket>.s3.<region>.amazonaws.com`: the origin domain CloudFront's origin access control signs for. */
  readonly bucketRegionalDomainName: string;

  private readonly cloudFrontDistributionArns: string[] = [];

  constructor(scope: Construct, id: string, props: ContentBucketProps) {
    super(scope, id);
    const owner = `ContentBucket ${props.name}`;
    const noncurrentDays = props.noncurrentVersionExpirationDays ?? 90;
    assertDays(owner, 'noncurrentVersionExpirationDays', noncurrentDays);
    const { bucket, name } = createPrivateBucket(this, {
      owner,
      name: props.name,
      kind: 'content',
      accountId: props.accountId,
      objectOwnership: 'BucketOwnerEnforced',
      encryption: { kind: 'sse-kms', kmsKeyArn: props.kmsKeyArn },
      // Read at synthesis: the CloudFront grant is included once `grantCloudFrontRead` has been called.
      statements: (arn) => this.statements(arn, props.kmsKeyArn),
      // Current objects are course content: kept until someone deletes them.
      lifecycle: { id: 'expire-old-versions', expiration: { expiredObjectDeleteMarker: true }, noncurrentDays },
    });

    new S3BucketLoggingA(this, 'access-logging', {
      bucket: bucket.id,
      targetBucket: props.logBucket.name,
      targetPrefix: `${LOG_PREFIXES.s3}${name}/`,
    });

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.bucketRegionalDomainName = bucket.bucketRegionalDomainName;
  }

  /**
   * Lets the CloudFront distribution `distributionArn` read objects through origin access control
   * (service principal `cloudfront.amazonaws.com`, condition `AWS:SourceArn`). Nothing else may read.
   */
  grantCloudFrontRead(distributionArn: string): void {
    this.cloudFrontDistributionArns.push(distributionArn);
  }

  private statements(arn: string, kmsKeyArn: string): PolicyStatement[] {
    const objects = `${arn}/*`;
    const statements: PolicyStatement[] = [
      // Default encryption already uses the tenant key; these two stop an upload that asks for another.
      {
        Sid: 'DenyOtherEncryption',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: objects,
        Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      },
      {
        Sid: 'DenyOtherKmsKeys',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: objects,
        Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': kmsKeyArn } },
      },
    ];
    if (this.cloudFrontDistributionArns.length > 0) {
      statements.push({
        Sid: 'AllowCloudFrontRead',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: objects,
        Condition: { StringEquals: { 'AWS:SourceArn': [...this.cloudFrontDistributionArns] } },
      });
    }
    return statements;
  }
}
