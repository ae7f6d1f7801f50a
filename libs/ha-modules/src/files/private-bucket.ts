import type { Construct } from 'constructs';
import { Lazy } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRuleExpiration,
} from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { assertAccountId } from '../aws-account.js';
import { boundedName } from '../naming.js';

/**
 * Internal to `files/`: what every tenant bucket shares (private, versioned, encrypted, TLS only,
 * one lifecycle rule), so `LogBucket` and `ContentBucket` only add what differs.
 */

const S3_BUCKET_NAME_MAX = 63;
/** Multipart uploads nobody finished are removed after this many days. */
const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal: '*' | { readonly Service: string } | { readonly AWS: string };
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export type BucketEncryption = { readonly kind: 'sse-s3' } | { readonly kind: 'sse-kms'; readonly kmsKeyArn: string };

export interface PrivateBucketOptions {
  /** Who asks, for error messages, e.g. `LogBucket acme`. */
  readonly owner: string;
  /** Tenant name: the bucket is `<name>-<kind>-<accountId>`. */
  readonly name: string;
  readonly kind: string;
  /** The tenant's AWS account: part of the globally unique bucket name. */
  readonly accountId: string;
  /** `BucketOwnerEnforced` disables ACLs; `BucketOwnerPreferred` keeps them for services that need them. */
  readonly objectOwnership: 'BucketOwnerEnforced' | 'BucketOwnerPreferred';
  readonly encryption: BucketEncryption;
  /**
   * The bucket policy's statements after `DenyInsecureTransport`, given the bucket ARN. Read at
   * synthesis, so statements the owner adds after construction are included.
   */
  readonly statements: (arn: string) => PolicyStatement[];
  /** The bucket's lifecycle rule; it also removes uploads left unfinished for 7 days. */
  readonly lifecycle: {
    readonly id: string;
    /**
     * Key prefixes the rule covers, one rule each (`<id>-<prefix>`), so that another prefix can
     * keep its objects longer: of two overlapping expirations S3 applies the shorter. @default the whole bucket
     */
    readonly prefixes?: readonly string[];
    /** Prefixes with an expiration of their own, e.g. flow logs kept as long as the spec says. @default none */
    readonly ownRetention?: ReadonlyArray<{ readonly id: string; readonly prefix: string; readonly days: number }>;
    /** What happens to current objects. */
    readonly expiration: S3BucketLifecycleConfigurationRuleExpiration;
    /** Days an overwritten or deleted version is kept before it is removed for good. */
    readonly noncurrentDays: number;
  };
  /** Tags besides Name. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface PrivateBucket {
  readonly bucket: S3Bucket;
  /** The bucket name, known at synthesis. */
  readonly name: string;
  /** `arn:aws:s3:::<bucket>`, known at synthesis. */
  readonly arn: string;
  readonly policy: S3BucketPolicy;
  readonly ownership: S3BucketOwnershipControls;
}

/**
 * A versioned, encrypted bucket no one outside the account can reach and nobody can use without
 * TLS; AWS refuses to delete it while it holds objects. Its resources are children of `scope`.
 */
export function createPrivateBucket(scope: Construct, options: PrivateBucketOptions): PrivateBucket {
  assertAccountId(options.owner, options.accountId);
  // Bucket names are global across all AWS accounts: the account id keeps a tenant's name from colliding with anyone else's.
  const bucketName = boundedName(options.name.toLowerCase(), `${options.kind}-${options.accountId}`, S3_BUCKET_NAME_MAX);
  const arn = `arn:aws:s3:::${bucketName}`;

  const bucket = new S3Bucket(scope, 'bucket', {
    bucket: bucketName,
    // A non-empty bucket cannot be deleted: the data outlives an accidental `destroy`.
    forceDestroy: false,
    tags: { ...options.tags, Name: bucketName },
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

  // S3 holds one policy per bucket: this resource carries every statement.
  const policy = new S3BucketPolicy(scope, 'policy', {
    bucket: bucket.id,
    policy: Lazy.stringValue({
      produce: () => JSON.stringify({ Version: '2012-10-17', Statement: [denyInsecureTransport(arn), ...options.statements(arn)] }),
    }),
    // S3 rejects concurrent configuration changes on one bucket; a policy is also best written once public access is blocked.
    dependsOn: [publicAccessBlock],
  });

  const { lifecycle } = options;
  const rule = (id: string, prefix: string, expiration: S3BucketLifecycleConfigurationRuleExpiration) => ({
    id,
    status: 'Enabled',
    filter: [{ prefix }],
    expiration: [expiration],
    noncurrentVersionExpiration: [{ noncurrentDays: lifecycle.noncurrentDays }],
    abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS }],
  });
  new S3BucketLifecycleConfiguration(scope, 'lifecycle', {
    bucket: bucket.id,
    rule: [
      ...(lifecycle.prefixes
        ? lifecycle.prefixes.map((prefix) => rule(`${lifecycle.id}-${prefix.replace(/\/$/, '')}`, prefix, lifecycle.expiration))
        : [rule(lifecycle.id, '', lifecycle.expiration)]),
      ...(lifecycle.ownRetention ?? []).map((own) => rule(own.id, own.prefix, { days: own.days })),
    ],
    // Noncurrent-version rules only mean something once versioning is on.
    dependsOn: [versioning],
  });

  return { bucket, name: bucketName, arn, policy, ownership };
}

/** Throws unless `days` (the setting `field` of `owner`) is a whole number of days ≥ 1. */
export function assertDays(owner: string, field: string, days: number): void {
  if (!Number.isInteger(days) || days < 1) throw new Error(`${owner}: ${field} must be a whole number ≥ 1, got ${days}`);
}

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
