import { Construct } from 'constructs';
import { Lazy } from 'cdktf';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { assertAccountId } from '../aws-account.js';
import { LOG_PREFIXES } from './log-bucket.js';
import { bucketArn, bucketName, createPrivateBucket, denyInsecureTransport, policyDocument, type PolicyStatement } from './private-bucket.js';

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

  private readonly arn: string;
  private readonly cloudFrontDistributionArns: string[] = [];

  constructor(scope: Construct, id: string, props: ContentBucketProps) {
    super(scope, id);
    const noncurrentDays = props.noncurrentVersionExpirationDays ?? 90;
    if (!Number.isInteger(noncurrentDays) || noncurrentDays < 1) {
      throw new Error(`ContentBucket ${props.name}: noncurrentVersionExpirationDays must be a whole number ≥ 1, got ${noncurrentDays}`);
    }
    assertAccountId(`ContentBucket ${props.name}`, props.accountId);
    const name = bucketName(props.name, 'content', props.accountId);
    this.arn = bucketArn(name);
    const { bucket, versioning, publicAccessBlock } = createPrivateBucket(this, {
      bucketName: name,
      objectOwnership: 'BucketOwnerEnforced',
      encryption: { kind: 'sse-kms', kmsKeyArn: props.kmsKeyArn },
    });

    // S3 holds one policy per bucket: this resource carries every statement, the CloudFront grant
    // included, resolved at synthesis once `grantCloudFrontRead` has been called.
    new S3BucketPolicy(this, 'policy', {
      bucket: bucket.id,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements(props.kmsKeyArn)) }),
      dependsOn: [publicAccessBlock],
    });

    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: bucket.id,
      rule: [
        {
          id: 'expire-old-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          // Current objects are course content: kept until someone deletes them.
          expiration: [{ expiredObjectDeleteMarker: true }],
          noncurrentVersionExpiration: [{ noncurrentDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      dependsOn: [versioning],
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

  private statements(kmsKeyArn: string): PolicyStatement[] {
    const objects = `${this.arn}/*`;
    const statements: PolicyStatement[] = [
      denyInsecureTransport(this.arn),
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
