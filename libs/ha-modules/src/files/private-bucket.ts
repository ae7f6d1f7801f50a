import type { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { boundedName } from '../naming.js';

/**
 * Internal to `files/`: the parts every tenant bucket shares (private, versioned, encrypted,
 * public access blocked), so `LogBucket` and `ContentBucket` only add what differs.
 */

const S3_BUCKET_NAME_MAX = 63;

/**
 * `<name>-<kind>-<accountId>`, lower case, ≤ 63 characters. Bucket names are global across all
 * AWS accounts: the account id keeps a tenant's name from colliding with anyone else's.
 */
export function bucketName(name: string, kind: string, accountId: string): string {
  return boundedName(name.toLowerCase(), `${kind}-${accountId}`, S3_BUCKET_NAME_MAX);
}

export const bucketArn = (name: string): string => `arn:aws:s3:::${name}`;

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal: '*' | { readonly Service: string } | { readonly AWS: string };
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export const policyDocument = (statements: PolicyStatement[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** Refuses every request that does not come over TLS, whoever makes it. */
export function denyInsecureTransport(arn: string): PolicyStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [arn, `${arn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

export type BucketEncryption = { readonly kind: 'sse-s3' } | { readonly kind: 'sse-kms'; readonly kmsKeyArn: string };

export interface PrivateBucketOptions {
  readonly bucketName: string;
  /** `BucketOwnerEnforced` disables ACLs; `BucketOwnerPreferred` keeps them for services that need them. */
  readonly objectOwnership: 'BucketOwnerEnforced' | 'BucketOwnerPreferred';
  readonly encryption: BucketEncryption;
}

export interface PrivateBucket {
  readonly bucket: S3Bucket;
  readonly versioning: S3BucketVersioningA;
  readonly ownership: S3BucketOwnershipControls;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
}

/** A versioned, encrypted bucket no one outside the account can reach; AWS refuses to delete it while it holds objects. */
export function createPrivateBucket(scope: Construct, options: PrivateBucketOptions): PrivateBucket {
  const bucket = new S3Bucket(scope, 'bucket', {
    bucket: options.bucketName,
    // A non-empty bucket cannot be deleted: the data outlives an accidental `destroy`.
    forceDestroy: false,
    tags: { Name: options.bucketName },
  });
  const versioning = new S3BucketVersioningA(scope, 'versioning', {
    bucket: bucket.id,
    versioningConfiguration: { status: 'Enabled' },
  });
  const { encryption } = options;
  new S3BucketServerSideEncryptionConfigurationA(scope, 'encryption', {
    bucket: bucket.id,
    rule: [
      encryption.kind === 'sse-kms'
        ? {
            applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: encryption.kmsKeyArn },
            // One data key per bucket instead of per object: far fewer KMS calls, same key.
            bucketKeyEnabled: true,
          }
        : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
    ],
  });
  const publicAccessBlock = new S3BucketPublicAccessBlock(scope, 'public-access-block', {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  const ownership = new S3BucketOwnershipControls(scope, 'ownership', {
    bucket: bucket.id,
    rule: { objectOwnership: options.objectOwnership },
  });
  return { bucket, versioning, ownership, publicAccessBlock };
}
