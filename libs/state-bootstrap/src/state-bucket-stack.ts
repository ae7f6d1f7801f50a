import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { denyInsecureTransport } from '@hafleet/ha-modules';
import type { FleetConfig } from '@hafleet/tenant-spec';
import type { StackMode } from '@hafleet/tenant-stack';
import { OFFLINE_AWS_PROVIDER_SETTINGS } from '@hafleet/terraform';
import { LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';

export interface StateBucketStackProps {
  /** The bucket, its region and key prefix come from `fleet.json` (stateBackend). */
  readonly fleet: FleetConfig;
  /** Default offline: placeholder credentials, so it plans with no account. */
  readonly mode?: StackMode;
  /** This stack's own state, relative to its folder. It cannot live in the bucket it creates. */
  readonly localStatePath: string;
  /** Overwritten state versions kept, for rolling a tenant's state back. Default 365 days. */
  readonly noncurrentVersionDays?: number;
}

/**
 * The bucket every tenant's state lives in: versioned (every state write can be rolled back),
 * encrypted, unreachable from the public internet, usable only over TLS 1.2+, and protected from
 * `terraform destroy` (prevent_destroy). Applied once per fleet, by hand, before the first remote plan.
 */
export class StateBucketStack extends TerraformStack {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: StateBucketStackProps) {
    super(scope, id);
    const { bucket: bucketName, region } = props.fleet.stateBackend;
    const offline = (props.mode ?? 'offline') === 'offline' ? OFFLINE_AWS_PROVIDER_SETTINGS : {};
    new AwsProvider(this, 'aws', { region, defaultTags: [{ tags: { 'managed-by': 'hafleet', purpose: 'terraform-state' } }], ...offline });
    new LocalBackend(this, { path: props.localStatePath });

    this.bucket = new S3Bucket(this, 'state', { bucket: bucketName, lifecycle: { preventDestroy: true } });
    const bucket = this.bucket.id;
    new S3BucketVersioningA(this, 'versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' }, bucketKeyEnabled: true }],
    });
    new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket,
      rule: [
        {
          id: 'state-history',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 365 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    const arn = `arn:aws:s3:::${bucketName}`;
    new S3BucketPolicy(this, 'tls-only', {
      bucket,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          denyInsecureTransport(arn),
          {
            Sid: 'DenyOldTls',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [arn, `${arn}/*`],
            Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
          },
        ],
      }),
    });
    new TerraformOutput(this, 'state_bucket', { value: this.bucket.bucket });
  }
}
