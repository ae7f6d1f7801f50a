import { describe, expect, it } from 'vitest';
import { addOutputs, ref, synthesize, testStack } from '../testing/synth.js';
import { ACCOUNT_ID, KMS_KEY_ARN } from '../testing/values.js';
import { CONTENTS_TAG, MaintenancePage, maintenanceHtml, type MaintenancePageProps } from './maintenance-page.js';

const DISTRIBUTION_ARN = 'arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE';

function synthPage(overrides: Partial<MaintenancePageProps> = {}, distributionArn?: string) {
  return synthesize(
    testStack((scope) => {
      const page = new MaintenancePage(scope, 'maintenance', {
        name: 'acme',
        displayName: 'Acme Learning',
        accountId: ACCOUNT_ID,
        kmsKeyArn: KMS_KEY_ARN,
        logBucket: { name: 'acme-logs' },
        ...overrides,
      });
      if (distributionArn) page.grantCloudFrontRead(distributionArn);
      addOutputs(scope, page, ['bucketName', 'bucketRegionalDomainName', 'pageKey']);
    }),
  );
}

describe('MaintenancePage', () => {
  it('is a private, versioned bucket encrypted with the tenant key that says its contents are declared in the stack', () => {
    const { single } = synthPage();
    expect(single('aws_s3_bucket')[1]).toMatchObject({
      bucket: 'acme-maintenance-123456789012',
      force_destroy: false,
      tags: { [CONTENTS_TAG.key]: CONTENTS_TAG.value },
    });
    expect(single('aws_s3_bucket_public_access_block')[1]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(single('aws_s3_bucket_ownership_controls')[1]).toMatchObject({ rule: { object_ownership: 'BucketOwnerEnforced' } });
    expect(JSON.stringify(single('aws_s3_bucket_server_side_encryption_configuration')[1])).toContain(KMS_KEY_ARN);
    expect(single('aws_s3_bucket_logging')[1]).toMatchObject({
      target_bucket: 'acme-logs',
      target_prefix: 's3/acme-maintenance-123456789012/',
    });
  });

  it('declares its one page as an object, HTML, cached a minute', () => {
    const { single } = synthPage();
    const [bucketId] = single('aws_s3_bucket');
    expect(single('aws_s3_object')[1]).toEqual({
      bucket: ref('aws_s3_bucket', bucketId),
      key: 'maintenance/index.html',
      content: maintenanceHtml('Acme Learning'),
      content_type: 'text/html; charset=utf-8',
      cache_control: 'max-age=60',
    });
  });

  it('lets only the given distribution read, through origin access control', () => {
    const policy = (arn?: string) =>
      JSON.parse(String(synthPage({}, arn).single('aws_s3_bucket_policy')[1]['policy'])) as { Statement: Array<Record<string, unknown>> };
    expect(policy().Statement.map((s) => s['Sid'])).toEqual(['DenyInsecureTransport']);
    expect(policy(DISTRIBUTION_ARN).Statement.at(-1)).toEqual({
      Sid: 'AllowCloudFrontRead',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::acme-maintenance-123456789012/*',
      Condition: { StringEquals: { 'AWS:SourceArn': [DISTRIBUTION_ARN] } },
    });
  });

  it('writes a self-contained page with the escaped tenant name that reloads itself', () => {
    const html = maintenanceHtml('Smith & <Jones>');
    expect(html).toContain('<h1>Smith &#38; &#60;Jones&#62; will be back shortly</h1>');
    expect(html).toContain('<meta http-equiv="refresh" content="60">');
    expect(html).not.toMatch(/(?:src|href)=/);
    expect(() => synthPage({ pageKey: '/maintenance/index.html' })).toThrow(/pageKey must be a relative .html key/);
  });
});
