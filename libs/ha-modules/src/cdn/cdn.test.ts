import { describe, expect, it } from 'vitest';
import type { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ContentBucket } from '../files/content-bucket.js';
import { LogBucket } from '../files/log-bucket.js';
import { MaintenancePage } from '../files/maintenance-page.js';
import { CLOUDFRONT_CERTIFICATE_ARN, ORIGIN_VERIFY_SECRET, SIGNING_PUBLIC_KEY, usEast1Provider } from '../testing/cdn-fixtures.js';
import { offlineAwsProvider } from '../testing/offline.js';
import { createdCounts, expectOnlyCreates, planOffline } from '../testing/plan-offline.js';
import { addOutputs, ref, synthesize, testStack, type SynthResource } from '../testing/synth.js';
import { ACCOUNT_ID, KMS_KEY_ARN } from '../testing/values.js';
import { ContentDelivery, HSTS_MAX_AGE_SECONDS, MANAGED_POLICY_IDS, VIEWER_IP_HEADER, type ContentDeliveryProps } from './cdn.js';

const EDGE_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1b2c3d4e-5f60-4a8b-9c0d-1e2f3a4b5c6d';
const PUBLIC_KEY =
  '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAshR1qz7dT1WmN+0t3nxD\n-----END PUBLIC KEY-----\n';

const OUTPUTS = ['distributionId', 'distributionArn', 'domainName', 'webAclArn', 'webAclLogGroupName'] as const;
const ALB_DNS_NAME = 'acme-alb-1234567890.eu-west-1.elb.amazonaws.com';
const CONTENT_DOMAIN = 'acme-content-123456789012.s3.eu-west-1.amazonaws.com';
const MAINTENANCE_DOMAIN = 'acme-maintenance-123456789012.s3.eu-west-1.amazonaws.com';
const LOG_BUCKET_ARN = 'arn:aws:s3:::acme-logs-123456789012';

type Overrides = Partial<Omit<ContentDeliveryProps, 'webAclProvider'>>;

const props = (stack: TerraformStack, overrides: Overrides = {}): ContentDeliveryProps => ({
  name: 'acme',
  albDnsName: ALB_DNS_NAME,
  originVerifySecret: ORIGIN_VERIFY_SECRET,
  contentBucket: { bucketRegionalDomainName: CONTENT_DOMAIN },
  aliases: ['learn.acme.example'],
  certificateArn: CLOUDFRONT_CERTIFICATE_ARN,
  maintenanceBucket: { bucketRegionalDomainName: MAINTENANCE_DOMAIN },
  logBucket: { bucketArn: LOG_BUCKET_ARN },
  webAclProvider: usEast1Provider(stack),
  webAclLogKmsKeyArn: EDGE_KEY_ARN,
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
        price_class: 'PriceClass_All',
        viewer_certificate: {
          acm_certificate_arn: CLOUDFRONT_CERTIFICATE_ARN,
          ssl_support_method: 'sni-only',
          minimum_protocol_version: 'TLSv1.2_2021',
        },
        restrictions: { geo_restriction: { restriction_type: 'none' } },
      });
      expect(distribution['viewer_certificate']).not.toHaveProperty('cloudfront_default_certificate');
      expect(synthCdn({ priceClass: 'PriceClass_100' }).distribution()['price_class']).toBe('PriceClass_100');
    });

    it('delivers standard logs (v2) from us-east-1 to the log bucket, with no legacy ACL-based logging', () => {
      const { single, distribution } = synthCdn();
      const [distributionId] = single('aws_cloudfront_distribution');
      expect(distribution()).not.toHaveProperty('logging_config');
      const [sourceId, source] = single('aws_cloudwatch_log_delivery_source');
      expect(source).toEqual({
        provider: 'aws.us_east_1',
        name: 'acme-cdn-access-logs',
        log_type: 'ACCESS_LOGS',
        resource_arn: ref('aws_cloudfront_distribution', distributionId, 'arn'),
      });
      const [destinationId, destination] = single('aws_cloudwatch_log_delivery_destination');
      expect(destination).toMatchObject({
        provider: 'aws.us_east_1',
        output_format: 'json',
        delivery_destination_configuration: [{ destination_resource_arn: LOG_BUCKET_ARN }],
      });
      expect(single('aws_cloudwatch_log_delivery')[1]).toEqual({
        provider: 'aws.us_east_1',
        delivery_source_name: ref('aws_cloudwatch_log_delivery_source', sourceId, 'name'),
        delivery_destination_arn: ref('aws_cloudwatch_log_delivery_destination', destinationId, 'arn'),
      });
    });

    it('sends HSTS for two years, nosniff, same-origin framing and a referrer policy on every behaviour', () => {
      const { single, distribution } = synthCdn({
        signedContent: { pathPatterns: ['/content/private/*'], publicKeys: [{ name: 'k1', encodedKey: PUBLIC_KEY }] },
      });
      const [policyId, policy] = single('aws_cloudfront_response_headers_policy');
      expect(policy['security_headers_config']).toEqual({
        strict_transport_security: {
          access_control_max_age_sec: HSTS_MAX_AGE_SECONDS,
          include_subdomains: true,
          preload: false,
          override: true,
        },
        content_type_options: { override: true },
        frame_options: { frame_option: 'SAMEORIGIN', override: true },
        referrer_policy: { referrer_policy: 'strict-origin-when-cross-origin', override: true },
      });
      const behaviours = [
        distribution()['default_cache_behavior'],
        ...(distribution()['ordered_cache_behavior'] as SynthResource[]),
      ] as SynthResource[];
      expect(behaviours).toHaveLength(4);
      for (const b of behaviours) expect(b['response_headers_policy_id']).toBe(ref('aws_cloudfront_response_headers_policy', policyId));
    });

    it('shows the maintenance page from its bucket, as a 503, when the load balancer answers 502, 503 or 504', () => {
      const { distribution, origin, single } = synthCdn();
      const [oacId] = single('aws_cloudfront_origin_access_control');
      expect(origin('maintenance')).toEqual({
        origin_id: 'maintenance',
        domain_name: MAINTENANCE_DOMAIN,
        origin_access_control_id: ref('aws_cloudfront_origin_access_control', oacId),
      });
      expect(distribution()['custom_error_response']).toEqual(
        [502, 503, 504].map((code) => ({
          error_code: code,
          response_code: 503,
          response_page_path: '/maintenance/index.html',
          error_caching_min_ttl: 10,
        })),
      );
      const maintenance = (distribution()['ordered_cache_behavior'] as SynthResource[]).find(
        (b) => b['target_origin_id'] === 'maintenance',
      );
      expect(maintenance).toMatchObject({ path_pattern: '/maintenance/*', allowed_methods: ['GET', 'HEAD'] });
    });

    it('protects the distribution with Shield Advanced only when asked', () => {
      expect(synthCdn().resources('aws_shield_protection')).toEqual({});
      const { single } = synthCdn({ shieldAdvanced: true });
      const [distributionId] = single('aws_cloudfront_distribution');
      expect(single('aws_shield_protection')[1]).toMatchObject({
        provider: 'aws.us_east_1',
        name: 'acme-cdn',
        resource_arn: ref('aws_cloudfront_distribution', distributionId, 'arn'),
      });
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
        response_headers_policy_id: expect.stringMatching(/^\$\{aws_cloudfront_response_headers_policy\./),
        function_association: [
          { event_type: 'viewer-request', function_arn: expect.stringMatching(/^\$\{aws_cloudfront_function\..*\.arn\}$/) },
        ],
        compress: true,
      });
      expect(MANAGED_POLICY_IDS.cachingDisabled).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    });

    it("writes the viewer's IP into the viewer-IP header on every request, over whatever the client sent", () => {
      const [, fn] = synthCdn().single('aws_cloudfront_function');
      expect(fn).toMatchObject({ runtime: 'cloudfront-js-2.0', publish: true });
      const code = String(fn['code']);
      expect(code).toContain(`request.headers['${VIEWER_IP_HEADER.toLowerCase()}'] = { value: event.viewer.ip };`);
      // It runs: the header is overwritten with the connection's address.
      const handler = new Function(`${code}; return handler;`)() as (event: unknown) => { headers: Record<string, { value: string }> };
      const out = handler({
        viewer: { ip: '203.0.113.9' },
        request: { headers: { [VIEWER_IP_HEADER.toLowerCase()]: { value: '10.0.0.1' } } },
      });
      expect(out.headers[VIEWER_IP_HEADER.toLowerCase()]).toEqual({ value: '203.0.113.9' });
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
      const behaviours = synthCdn().distribution()['ordered_cache_behavior'] as SynthResource[];
      expect(behaviours[0]).toEqual({
        path_pattern: '/content/*',
        target_origin_id: 'content',
        viewer_protocol_policy: 'redirect-to-https',
        allowed_methods: ['GET', 'HEAD'],
        cached_methods: ['GET', 'HEAD'],
        cache_policy_id: '658327ea-f89d-4fab-a63d-7e88639e58f6',
        response_headers_policy_id: expect.any(String),
        compress: true,
      });
      const custom = synthCdn({ contentPathPattern: '/pluginfile-cache/*' }).distribution()['ordered_cache_behavior'] as SynthResource[];
      expect(custom[0]!['path_pattern']).toBe('/pluginfile-cache/*');
    });

    it('serves the signed-content paths first, only to viewers with a signature from a key of its key group', () => {
      const signedContent = {
        pathPatterns: ['/content/private/*', '/content/exams/*'],
        publicKeys: [
          { name: 'k2026', encodedKey: PUBLIC_KEY },
          { name: 'k2027', encodedKey: PUBLIC_KEY },
        ],
      };
      const { distribution, single, resources } = synthCdn({ signedContent });
      const keys = Object.entries(resources('aws_cloudfront_public_key'));
      expect(keys.map(([, k]) => k['name'])).toEqual(['acme-k2026', 'acme-k2027']);
      const [groupId, group] = single('aws_cloudfront_key_group');
      expect(group['items']).toEqual(keys.map(([id]) => ref('aws_cloudfront_public_key', id)));
      const behaviours = distribution()['ordered_cache_behavior'] as SynthResource[];
      expect(behaviours.map((b) => [b['path_pattern'], b['trusted_key_groups']])).toEqual([
        ['/content/private/*', [ref('aws_cloudfront_key_group', groupId)]],
        ['/content/exams/*', [ref('aws_cloudfront_key_group', groupId)]],
        ['/content/*', undefined],
        ['/maintenance/*', undefined],
      ]);
      expect(synthCdn().resources('aws_cloudfront_key_group')).toEqual({});
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
      expect(
        groups.map(
          (r) => (r['statement'] as { managed_rule_group_statement: { vendor_name: string; name: string } }).managed_rule_group_statement,
        ),
      ).toMatchObject([
        { vendor_name: 'AWS', name: 'AWSManagedRulesAmazonIpReputationList' },
        { vendor_name: 'AWS', name: 'AWSManagedRulesCommonRuleSet' },
        { vendor_name: 'AWS', name: 'AWSManagedRulesKnownBadInputsRuleSet' },
      ]);
      for (const group of groups) expect(group['override_action']).toEqual({ none: {} });
    });

    it("only counts the common rule set's 8 KB body limit, so uploads pass while the rest of the group blocks", () => {
      const common = synthCdn()
        .rules()
        .find((r) => r['name'] === 'AWSManagedRulesCommonRuleSet')!;
      expect((common['statement'] as { managed_rule_group_statement: unknown }).managed_rule_group_statement).toEqual({
        vendor_name: 'AWS',
        name: 'AWSManagedRulesCommonRuleSet',
        rule_action_override: [{ name: 'SizeRestrictions_BODY', action_to_use: { count: {} } }],
      });
    });

    it('runs the common rule set twice with count-mode paths: as published elsewhere, its body rules counting on them', () => {
      const rules = synthCdn({ countModePaths: ['/mod/forum/post.php', '/mod/quiz/'] }).rules();
      const onPaths = {
        regex_match_statement: {
          field_to_match: { uri_path: {} },
          regex_string: '^(?:/mod/forum/post\\.php|/mod/quiz/)',
          text_transformation: [
            { priority: 0, type: 'URL_DECODE' },
            { priority: 1, type: 'NORMALIZE_PATH' },
          ],
        },
      };
      const statement = (name: string) =>
        (rules.find((r) => r['name'] === name)!['statement'] as { managed_rule_group_statement: SynthResource })
          .managed_rule_group_statement;
      expect(statement('AWSManagedRulesCommonRuleSet')).toMatchObject({
        rule_action_override: [{ name: 'SizeRestrictions_BODY', action_to_use: { count: {} } }],
        scope_down_statement: { not_statement: { statement: [onPaths] } },
      });
      expect(statement('AWSManagedRulesCommonRuleSet-count-mode-paths')).toEqual({
        vendor_name: 'AWS',
        name: 'AWSManagedRulesCommonRuleSet',
        rule_action_override: [
          'SizeRestrictions_BODY',
          'CrossSiteScripting_BODY',
          'GenericLFI_BODY',
          'GenericRFI_BODY',
          'EC2MetaDataSSRF_BODY',
        ].map((name) => ({ name, action_to_use: { count: {} } })),
        scope_down_statement: onPaths,
      });
      // Known bad inputs has no body rule that legitimate content trips: one instance, everywhere.
      expect(rules.filter((r) => r['name'] === 'AWSManagedRulesKnownBadInputsRuleSet')).toHaveLength(1);
    });

    it("logs to an aws-waf-logs- group in us-east-1 with the tenant's key there, without credentials", () => {
      const { single } = synthCdn();
      const [groupId, group] = single('aws_cloudwatch_log_group');
      const [aclId] = single('aws_wafv2_web_acl');
      expect(group).toMatchObject({
        provider: 'aws.us_east_1',
        name: 'aws-waf-logs-acme-cdn',
        kms_key_id: EDGE_KEY_ARN,
        retention_in_days: 365,
      });
      expect(single('aws_wafv2_web_acl_logging_configuration')[1]).toEqual({
        provider: 'aws.us_east_1',
        resource_arn: ref('aws_wafv2_web_acl', aclId, 'arn'),
        log_destination_configs: [ref('aws_cloudwatch_log_group', groupId, 'arn')],
        redacted_fields: [{ single_header: { name: 'authorization' } }, { single_header: { name: 'cookie' } }],
      });
    });

    it('blocks a client IP past 2000 requests in 5 minutes by default, or the given limit', () => {
      const rateRule = (overrides: Overrides = {}) =>
        synthCdn(overrides)
          .rules()
          .find((r) => r['name'] === 'rate-limit-per-ip')!;
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
      const metrics = rules.map((r) => (r['visibility_config'] as SynthResource)['metric_name']);
      expect(metrics).toEqual([
        'acme-cdn-aws-ip-reputation',
        'acme-cdn-rate-limit-per-ip',
        'acme-cdn-aws-common',
        'acme-cdn-aws-known-bad-inputs',
      ]);
      for (const rule of rules)
        expect(rule['visibility_config']).toMatchObject({ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true });
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
      webAclLogGroupName: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\..*\.name\}$/),
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
      expect(() => synthCdn({ rateLimitPerFiveMinutes: 5 })).toThrow(
        /rateLimitPerFiveMinutes must be a whole number in \[10, 2000000000\], got 5/,
      );
      expect(() => synthCdn({ contentPathPattern: '/*' })).toThrow(/contentPathPattern must start with "\/" and not cover every path/);
      expect(() => synthCdn({ contentPathPattern: 'content/*' })).toThrow(/contentPathPattern must start with "\/"/);
      expect(() => synthCdn({ originVerifySecret: 'short' })).toThrow(/originVerifySecret must be at least 16 characters/);
    });

    it('signed content that signs everything or has no key, and bad count-mode paths', () => {
      expect(() => synthCdn({ signedContent: { pathPatterns: ['/*'], publicKeys: [{ name: 'k', encodedKey: PUBLIC_KEY }] } })).toThrow(
        /signedContent.pathPatterns must start with "\/" and not cover every path/,
      );
      expect(() => synthCdn({ signedContent: { pathPatterns: ['/content/private/*'], publicKeys: [] } })).toThrow(
        /at least one path pattern and one public key/,
      );
      expect(() => synthCdn({ countModePaths: ['mod/quiz/'] })).toThrow(/countModePaths must start with "\/"/);
    });
  });

  it('passes a real offline plan with the log, content and maintenance buckets, signed content and count-mode paths (eu-west-1, us-east-1)', async () => {
    const summary = await planOffline((stack) => {
      offlineAwsProvider(stack, 'eu-west-1');
      const logs = new LogBucket(stack, 'logs', { name: 'acme', accountId: ACCOUNT_ID, cloudFrontLogs: true });
      const maintenance = new MaintenancePage(stack, 'maintenance', {
        name: 'acme',
        displayName: 'Acme <Learning>',
        accountId: ACCOUNT_ID,
        kmsKeyArn: KMS_KEY_ARN,
        logBucket: { name: logs.bucketName },
      });
      const content = new ContentBucket(stack, 'content', {
        name: 'acme',
        accountId: ACCOUNT_ID,
        kmsKeyArn: KMS_KEY_ARN,
        logBucket: { name: logs.bucketName },
      });
      const cdn = new ContentDelivery(stack, 'cdn', {
        ...props(stack),
        contentBucket: content,
        maintenanceBucket: maintenance,
        logBucket: logs,
        countModePaths: ['/mod/quiz/', '/lib/ajax/service.php'],
        signedContent: { pathPatterns: ['/content/private/*'], publicKeys: [{ name: 'k2026', encodedKey: SIGNING_PUBLIC_KEY }] },
        shieldAdvanced: true,
      });
      content.grantCloudFrontRead(cdn.distributionArn);
      maintenance.grantCloudFrontRead(cdn.distributionArn);
    });
    expectOnlyCreates(summary);
    expect(createdCounts(summary)).toMatchObject({
      aws_cloudfront_distribution: 1,
      aws_cloudfront_origin_access_control: 1,
      aws_cloudfront_function: 1,
      aws_cloudfront_response_headers_policy: 1,
      aws_cloudfront_public_key: 1,
      aws_cloudfront_key_group: 1,
      aws_cloudwatch_log_delivery_source: 1,
      aws_cloudwatch_log_delivery_destination: 1,
      aws_cloudwatch_log_delivery: 1,
      aws_cloudwatch_log_group: 1,
      aws_wafv2_web_acl: 1,
      aws_wafv2_web_acl_logging_configuration: 1,
      aws_shield_protection: 1,
      aws_s3_object: 1,
      aws_s3_bucket: 3,
      aws_s3_bucket_policy: 3,
    });
    expect(summary.resourceCount).toBe(37);
  });
});
