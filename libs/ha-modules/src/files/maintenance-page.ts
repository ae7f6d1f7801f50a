import { Construct } from 'constructs';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { LOG_PREFIXES } from './log-bucket.js';
import { createPrivateBucket, type PolicyStatement } from './private-bucket.js';

export interface MaintenancePageProps {
  /** Tenant name: the bucket is `<name>-maintenance-<accountId>`. */
  readonly name: string;
  /** Shown on the page, e.g. "Northwind University". */
  readonly displayName: string;
  readonly accountId: string;
  /** The tenant's KMS key: default encryption (its policy lets CloudFront of this account decrypt). */
  readonly kmsKeyArn: string;
  /** Bucket receiving the S3 server access logs, under `s3/<this bucket>/`. */
  readonly logBucket: { readonly name: string };
  /** Key of the page in the bucket; the CDN serves it at `/<key>`. @default 'maintenance/index.html' */
  readonly pageKey?: string;
}

/**
 * Tag that declares a bucket's contents are all declared in the stack (`aws_s3_object`): an apply
 * recreates them, so the bucket holds no data to back up. The data-protection guardrail
 * (HAF-PROT-004) accepts it only when objects of the stack do fill the bucket.
 */
export const CONTENTS_TAG = { key: 'hafleet:contents', value: 'declared-in-stack' } as const;

/**
 * The tenant's maintenance page: one static HTML page in a private bucket of its own, served by
 * the CDN (origin access control) when the load balancer answers 502/503/504. Its only object
 * is declared here, so nothing else writes to the bucket and an apply restores it.
 */
export class MaintenancePage extends Construct {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly bucketRegionalDomainName: string;
  readonly pageKey: string;
  private readonly cloudFrontDistributionArns: string[] = [];

  constructor(scope: Construct, id: string, props: MaintenancePageProps) {
    super(scope, id);
    const pageKey = props.pageKey ?? 'maintenance/index.html';
    if (pageKey.startsWith('/') || !pageKey.endsWith('.html'))
      throw new Error(`MaintenancePage ${props.name}: pageKey must be a relative .html key, got "${pageKey}"`);
    const { bucket, name } = createPrivateBucket(this, {
      owner: `MaintenancePage ${props.name}`,
      name: props.name,
      kind: 'maintenance',
      accountId: props.accountId,
      objectOwnership: 'BucketOwnerEnforced',
      encryption: { kind: 'sse-kms', kmsKeyArn: props.kmsKeyArn },
      statements: (arn) => this.statements(arn),
      lifecycle: { id: 'expire-old-versions', expiration: { expiredObjectDeleteMarker: true }, noncurrentDays: 30 },
      tags: { [CONTENTS_TAG.key]: CONTENTS_TAG.value },
    });
    new S3BucketLoggingA(this, 'access-logging', {
      bucket: bucket.id,
      targetBucket: props.logBucket.name,
      targetPrefix: `${LOG_PREFIXES.s3}${name}/`,
    });
    new S3Object(this, 'page', {
      bucket: bucket.id,
      key: pageKey,
      content: maintenanceHtml(props.displayName),
      contentType: 'text/html; charset=utf-8',
      // Short: a corrected page reaches learners within a minute.
      cacheControl: 'max-age=60',
    });

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.bucketRegionalDomainName = bucket.bucketRegionalDomainName;
    this.pageKey = pageKey;
  }

  /** Lets the CloudFront distribution `distributionArn` read the page through origin access control. */
  grantCloudFrontRead(distributionArn: string): void {
    this.cloudFrontDistributionArns.push(distributionArn);
  }

  private statements(arn: string): PolicyStatement[] {
    if (this.cloudFrontDistributionArns.length === 0) return [];
    return [
      {
        Sid: 'AllowCloudFrontRead',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: `${arn}/*`,
        Condition: { StringEquals: { 'AWS:SourceArn': [...this.cloudFrontDistributionArns] } },
      },
    ];
  }
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Self-contained (no external assets: the platform is down), readable on a phone. */
export function maintenanceHtml(displayName: string): string {
  const title = escapeHtml(displayName);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="60">
<title>${title}: back shortly</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#222;line-height:1.5}h1{font-size:1.6rem}</style>
</head>
<body>
<h1>${title} will be back shortly</h1>
<p>The learning platform is unavailable for a moment, for maintenance or because of a problem we are already working on.</p>
<p>Your work is saved up to your last submission. This page reloads by itself every minute.</p>
</body>
</html>
`;
}
