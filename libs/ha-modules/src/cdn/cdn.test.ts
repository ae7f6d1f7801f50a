import { describe, expect, it } from 'vitest';
import type { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ContentBucket } from '../files/content-bucket.js';
import { LogBucket } from '../files/log-bucket.js';
import { CLOUDFRONT_CERTIFICATE_ARN, ORIGIN_VERIFY_SECRET, usEast1Provider } from '../testing/cdn-fixtures.js';
import { offlineAwsProvider } from '../testing/offline.js';
import { createdCounts, expectOnlyCreates, planOffline } from '../testing/plan-offline.js';
import { addOutputs, ref, synthesize, testStack, type SynthResource } from '../testing/synth.js';
import { ACCOUNT_ID, KMS_KEY_ARN } from '../testing/values.js';
import { ContentDelivery, MANAGED_POLICY_IDS, type ContentDeliveryProps } from './cdn.js';

const OUTPUTS = ['distributionId', 'distributionArn', 'domainName', 'webAclArn'] as const;
const ALB_DNS_NAME = 'acme-alb-1234567890.eu-west-1.elb.amazonaws.com';
const CONTENT_DOMAIN = 'acme-content-123456789012.s3.eu-west-1.amazonaws.com';
const LOG_DOMAIN = 'acme-logs-123456789012.s3.amazonaws.com';

type Overrides = Partial<Omit<ContentDeliveryProps, 'webAclProvider'>>;

const props = (stack: TerraformStack, overrides: Overrides = {}): ContentDeliveryProps => ({
  name: 'acme',
  albDnsName: ALB_DNS_NAME,
  originVerifySecret: ORIGIN_VERIFY_SECRET,
  contentBucket: { bucketRegionalDomainName: CONTENT_DOMAIN },
  aliases: ['learn.acme.example'],
  certificateArn: CLOUDFRONT_CERTIFICATE_ARN,
  logBucketDomainName: LOG_DOMAIN,
  webAclProvider: usEast1Provider(stack),
  ...overrides,
});

function synthCdn(overrides: Overrides = {}) {
  const synth = synthesize(testStack((scope) => addOutputs(scope, new ContentDelivery(scope, 'cdn', props(scope, overrides)), OUTPUTS)));
  const distribution = () => synth.single('aws_cloudfront_distribution')[1];
  const origin = (id: string) => (distribution()['origin'] as SynthResource[]).find((o) => o['origin_id'] === id)!;
  const rules = () => synth.single('aws_wafv2_web_acl')[1]['rule'] as SynthResource[];
  return { ...synth, distribution, origin, rules };
}

describe('ContentDelivery', () => {
  describe('distribution', () => {
    it('serves the aliases over TLS 1.2+ with the us-east-1 certificate (SNI), HTTP/2 and 3, IPv6', () => {
      const distribution = synthCdn().distribution();
      expect(distribution).toMatchObject({
        enabled: true,
        aliases: ['learn.acme.example'],
        http_version: 'http2and3',
        is_ipv6_enabled: true,
        price_class: 'PriceClass_100',
        viewer_certificate: {
          acm_certificate_arn: CLOUDFRONT_CERTIFICATE_ARN,
          ssl_support_method: 'sni-only',
          minimum_protocol_version: 'TLSv1.2_2021',
        },
        restrictions: { geo_restriction: { restriction_type: 'none' } },
      });
      expect(distribution['viewer_certificate']).not.toHaveProperty('cloudfront_default_certificate');
      expect(synthCdn({ priceClass: 'PriceClass_All' }).distribution()['price_class']).toBe('PriceClass_All');
    });

    it('writes standard logs to the log bucket under cloudfront/, without cookies', () => {
      expect(synthCdn().distribution()['logging_config']).toEqual({ bucket: LOG_DOMAIN, prefix: 'cloudfront/', include_cookies: false });
    });
  });

  describe('load balancer origin', () => {
    it('is reached over HTTPS only with TLS 1.2, carrying the origin-verify secret', () => {
      expect(synthCdn().origin('alb')).toEqual({
        origin_id: 'alb',
        domain_name: ALB_DNS_NAME,
        custom_origin_config: {
          http_port: 80,
          https_port: 443,
          origin_protocol_policy: 'https-only',
          origin_ssl_protocols: ['TLSv1.2'],
          origin_read_timeout: 60,
          origin_keepalive_timeout: 5,
        },
        custom_header: [{ name: 'X-Origin-Verify', value: ORIGIN_VERIFY_SECRET }],
      });
      expect(synthCdn({ originVerifyHeaderName: 'X-Acme-Edge' }).origin('alb')['custom_header']).toEqual([
        { name: 'X-Acme-Edge', value: ORIGIN_VERIFY_SECRET },
      ]);
    });

    it('is the default behaviour: viewers redirected to HTTPS, nothing cached, every method and the Host header forwarded', () => {
      const behaviour = synthCdn().distribution()['default_cache_behavior'];
      expect(behaviour).toEqual({
        target_origin_id: 'alb',
        viewer_protocol_policy: 'redirect-to-https',
        allowed_methods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'],
        cached_methods: ['GET', 'HEAD'],
        cache_policy_id: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
        origin_request_policy_id: '216adef6-5c7f-47e4-b989-5492eafa07d3',
        compress: true,
      });
      expect(MANAGED_POLICY_IDS.cachingDisabled).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    });
  });

  describe('content origin', () => {
    it('reads the bucket through a SigV4-signing origin access control', () => {
      const { single, origin } = synthCdn();
      const [oacId, oac] = single('aws_cloudfront_origin_access_control');
      expect(oac).toMatchObject({
        name: 'acme-content',
        origin_access_control_origin_type: 's3',
        signing_behavior: 'always',
        signing_protocol: 'sigv4',
      });
      expect(origin('content')).toEqual({
        origin_id: 'content',
        domain_name: CONTENT_DOMAIN,
        origin_access_control_id: ref('aws_cloudfront_origin_access_control', oacId),
      });
    });

    it('serves /content/* from the bucket, cached, read-only and on HTTPS', () => {
      const behaviours = synthCdn().distribution()['ordered_cache_behavior'];
      expect(behaviours).toEqual([
        {
          path_pattern: '/content/*',
          target_origin_id: 'content',
          viewer_protocol_policy: 'redirect-to-https',
          allowed_methods: ['GET', 'HEAD'],
          cached_methods: ['GET', 'HEAD'],
          cache_policy_id: '658327ea-f89d-4fab-a63d-7e88639e58f6',
          compress: true,
        },
      ]);
      const custom = synthCdn({ contentPathPattern: '/pluginfile-cache/*' }).distribution()['ordered_cache_behavior'] as SynthResource[];
      expect(custom[0]!['path_pattern']).toBe('/pluginfile-cache/*');
    });
  });

  describe('web ACL', () => {
    it('is a CLOUDFRONT web ACL created in us-east-1, allowing by default, attached by ARN', () => {
      const { single, distribution } = synthCdn();
      const [aclId, acl] = single('aws_wafv2_web_acl');
      expect(acl).toMatchObject({
        provider: 'aws.us_east_1',
        scope: 'CLOUDFRONT',
        name: 'acme-cdn',
        default_action: { allow: {} },
        visibility_config: { cloudwatch_metrics_enabled: true, metric_name: 'acme-cdn', sampled_requests_enabled: true },
      });
      expect(distribution()['web_acl_id']).toBe(ref('aws_wafv2_web_acl', aclId, 'arn'));
    });

    it('runs the AWS IP reputation, common and known-bad-inputs rule groups, each with metrics', () => {
      const groups = synthCdn()
        .rules()
        .filter((r) => (r['statement'] as SynthResource)['managed_rule_group_statement']);
      expect(groups.map((r) => (r['statement'] as { managed_rule_group_statement: { vendor_name: string; name: string } }).managed_rule_group_statement))
        .toMatchObject([
          { vendor_name: 'AWS', name: 'AWSManagedRulesAmazonIpReputationList' },
          { vendor_name: 'AWS', name: 'AWSManagedRulesCommonRuleSet' },
          { vendor_name: 'AWS', name: 'AWSManagedRulesKnownBadInputsRuleSet' },
        ]);
      for (const group of groups) expect(group['override_action']).toEqual({ none: {} });
    });

    it('only counts the common rule set\'s 8 KB body limit, so uploads pass while the rest of the group blocks', () => {
      const common = synthCdn()
        .rules()
        .find((r) => r['name'] === 'aws-common')!;
      expect((common['statement'] as { managed_rule_group_statement: unknown }).managed_rule_group_statement).toMatchObject({
        rule_action_override: [{ name: 'SizeRestrictions_BODY', action_to_use: { count: {} } }],
      });
    });

    it('blocks a client IP past 2000 requests in 5 minutes by default, or the given limit', () => {
      const rateRule = (overrides: Overrides = {}) => synthCdn(overrides).rules().find((r) => r['name'] === 'rate-limit-per-ip')!;
      expect(rateRule()).toMatchObject({
        action: { block: {} },
        statement: { rate_based_statement: { limit: 2000, aggregate_key_type: 'IP', evaluation_window_sec: 300 } },
      });
      expect(rateRule({ rateLimitPerFiveMinutes: 500 })['statement']).toMatchObject({ rate_based_statement: { limit: 500 } });
    });

    it('gives every rule a unique priority and its own CloudWatch metrics and samples', () => {
      const rules = synthCdn().rules();
      expect(rules).toHaveLength(4);
      expect(new Set(rules.map((r) => r['priority'])).size).toBe(4);
      for (const rule of rules) {
        expect(rule['visibility_config']).toEqual({
          cloudwatch_metrics_enabled: true,
          metric_name: `acme-cdn-${rule['name'] as string}`,
          sampled_requests_enabled: true,
        });
      }
    });
  });

  it('exposes the distribution and the web ACL', () => {
    const { outputs, single } = synthCdn();
    const [distributionId] = single('aws_cloudfront_distribution');
    const [aclId] = single('aws_wafv2_web_acl');
    expect(outputs).toEqual({
      distributionId: ref('aws_cloudfront_distribution', distributionId),
      distributionArn: ref('aws_cloudfront_distribution', distributionId, 'arn'),
      domainName: ref('aws_cloudfront_distribution', distributionId, 'domain_name'),
      webAclArn: ref('aws_wafv2_web_acl', aclId, 'arn'),
    });
  });

  describe('rejects', () => {
    it('a certificate outside us-east-1 and no aliases', () => {
      expect(() => synthCdn({ certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/x' })).toThrow(
        /ContentDelivery acme: certificateArn must be an ACM certificate in us-east-1/,
      );
      expect(() => synthCdn({ aliases: [] })).toThrow(/ContentDelivery acme: aliases is empty/);
    });

    it('a web ACL provider in another region', () => {
      expect(() =>
        testStack((scope) => {
          const euProvider = new AwsProvider(scope, 'aws-eu', { alias: 'eu', region: 'eu-west-1' });
          new ContentDelivery(scope, 'cdn', { ...props(scope), webAclProvider: euProvider });
        }),
      ).toThrow(/webAclProvider must be configured for us-east-1 .* got "eu-west-1"/);
    });

    it('a rate limit outside WAF bounds, a catch-all content path and a short secret', () => {
      expect(() => synthCdn({ rateLimitPerFiveMinutes: 5 })).toThrow(/rateLimitPerFiveMinutes must be a whole number in \[10, 2000000000\], got 5/);
      expect(() => synthCdn({ contentPathPattern: '/*' })).toThrow(/contentPathPattern must start with "\/" and not cover every path/);
      expect(() => synthCdn({ contentPathPattern: 'content/*' })).toThrow(/contentPathPattern must start with "\/"/);
      expect(() => synthCdn({ originVerifySecret: 'short' })).toThrow(/originVerifySecret must be at least 16 characters/);
    });
  });

  it('is accepted by the real terraform and AWS provider (offline plan) with the log and content buckets, in eu-west-1 and us-east-1', async () => {
    const summary = await planOffline((stack) => {
      offlineAwsProvider(stack, 'eu-west-1');
      const logs = new LogBucket(stack, 'logs', { name: 'acme', accountId: ACCOUNT_ID });
      const content = new ContentBucket(stack, 'content', {
        name: 'acme',
        accountId: ACCOUNT_ID,
        kmsKeyArn: KMS_KEY_ARN,
        logBucket: { name: logs.bucketName },
      });
      const cdn = new ContentDelivery(stack, 'cdn', {
        ...props(stack),
        contentBucket: content,
        logBucketDomainName: logs.bucketDomainName,
      });
      content.grantCloudFrontRead(cdn.distributionArn);
    });
    expectOnlyCreates(summary);
    expect(createdCounts(summary)).toMatchObject({
      aws_cloudfront_distribution: 1,
      aws_cloudfront_origin_access_control: 1,
      aws_wafv2_web_acl: 1,
      aws_s3_bucket: 2,
      aws_s3_bucket_policy: 2,
    });
    expect(summary.resourceCount).toBe(18);
  });
});
