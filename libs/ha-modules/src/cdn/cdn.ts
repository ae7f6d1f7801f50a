import { Construct } from 'constructs';
import { Token } from 'cdktf';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { Wafv2WebAcl, type Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { LOG_PREFIXES } from '../files/log-bucket.js';
import { boundedName } from '../naming.js';

export type PriceClass = 'PriceClass_100' | 'PriceClass_200' | 'PriceClass_All';

export interface ContentDeliveryProps {
  /** Tenant name: prefix of the web ACL, origin access control, metrics and Name tags. */
  readonly name: string;
  /** DNS name of the application load balancer, the default origin (reached over HTTPS only). */
  readonly albDnsName: string;
  /** Header carrying the origin-verify secret to the load balancer. @default 'X-Origin-Verify' */
  readonly originVerifyHeaderName?: string;
  /** Secret the load balancer requires in `originVerifyHeaderName`, so only this distribution reaches it. */
  readonly originVerifySecret: string;
  /** The content bucket, read through origin access control (SigV4-signed requests, bucket never public). */
  readonly contentBucket: { readonly bucketRegionalDomainName: string };
  /** Paths served from the content bucket; the key in the bucket is the full path (e.g. `content/…`). @default '/content/*' */
  readonly contentPathPattern?: string;
  /** Domain names learners use (e.g. `learn.example.edu`); the certificate must cover them. */
  readonly aliases: string[];
  /** ACM certificate in us-east-1 (CloudFront only takes certificates from there), covering `aliases`. */
  readonly certificateArn: string;
  /** Edge locations used. @default 'PriceClass_100' (North America and Europe) */
  readonly priceClass?: PriceClass;
  /** `<log bucket>.s3.amazonaws.com` (`LogBucket.bucketDomainName`): standard logs go under `cloudfront/`. */
  readonly logBucketDomainName: string;
  /** AWS provider for us-east-1, created by the caller: a CloudFront web ACL can only live there. */
  readonly webAclProvider: AwsProvider;
  /** Requests one client IP may make in any 5-minute window before it is blocked. @default 2000 */
  readonly rateLimitPerFiveMinutes?: number;
  /**
   * Seconds CloudFront waits for the load balancer's response, 1–180 (above 60 needs a CloudFront
   * quota increase for the account): the longest legitimate request. @default 60
   */
  readonly originReadTimeoutSeconds?: number;
  /** Seconds CloudFront keeps an idle connection to the load balancer, 1–180 (above 60: quota). @default 5 */
  readonly originKeepaliveTimeoutSeconds?: number;
}

/** AWS managed CloudFront policies (ids from the CloudFront developer guide). */
export const MANAGED_POLICY_IDS = {
  cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
  cachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
  /** Every viewer header (Host included), cookie and query string. */
  allViewerOriginRequest: '216adef6-5c7f-47e4-b989-5492eafa07d3',
} as const;

const ALB_ORIGIN_ID = 'alb';
const CONTENT_ORIGIN_ID = 'content';
const ALL_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'];
const READ_METHODS = ['GET', 'HEAD'];

/**
 * The tenant's CloudFront distribution: the ALB as default origin (nothing cached, every request
 * forwarded with its Host header, TLS 1.2 to the origin, a secret header the ALB checks), the
 * content bucket under `contentPathPattern` (cached, origin access control), viewers on HTTPS only
 * (TLS 1.2+, HTTP/2 and HTTP/3, IPv6), standard logs to the tenant log bucket, and a CLOUDFRONT
 * web ACL (AWS managed rule groups + per-IP rate limit) created in us-east-1 through `webAclProvider`.
 *
 * The Host header is forwarded (managed `AllViewer` policy, not `AllViewerExceptHostHeader`):
 * CloudFront checks the ALB's certificate against the Host header it sends, and the ALB's
 * certificate covers the tenant's domain, never `*.elb.amazonaws.com`; the application also builds
 * its URLs from the host the learner used.
 */
export class ContentDelivery extends Construct {
  readonly distributionId: string;
  readonly distributionArn: string;
  /** `dxxxx.cloudfront.net`: the target of the tenant's DNS alias records. */
  readonly domainName: string;
  readonly webAclArn: string;
  /** Also its CloudWatch `WebACL` dimension (the metric name is the same). */
  readonly webAclName: string;

  constructor(scope: Construct, id: string, props: ContentDeliveryProps) {
    super(scope, id);
    const settings = withDefaults(props);
    const { name } = props;

    const webAcl = new Wafv2WebAcl(this, 'web-acl', {
      provider: props.webAclProvider,
      name: `${name}-cdn`,
      description: `${name}: CloudFront web ACL`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      rule: webAclRules(name, settings.rateLimitPerFiveMinutes),
      visibilityConfig: visibility(`${name}-cdn`),
      tags: { Name: `${name}-cdn` },
    });

    const originAccessControl = new CloudfrontOriginAccessControl(this, 'content-oac', {
      name: boundedName(name, 'content', 64),
      description: `${name}: CloudFront reads the content bucket`,
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });

    const distribution = new CloudfrontDistribution(this, 'distribution', {
      enabled: true,
      comment: `${name} learning platform`,
      aliases: props.aliases,
      priceClass: settings.priceClass,
      httpVersion: 'http2and3',
      isIpv6Enabled: true,
      // A WAFv2 web ACL is referenced by its ARN (a WAF Classic one would be by id).
      webAclId: webAcl.arn,
      origin: [
        {
          originId: ALB_ORIGIN_ID,
          domainName: props.albDnsName,
          customOriginConfig: {
            httpPort: 80,
            httpsPort: 443,
            originProtocolPolicy: 'https-only',
            originSslProtocols: ['TLSv1.2'],
            // The longest CloudFront allows without a quota increase: slow report and backup pages still finish.
            originReadTimeout: props.originReadTimeoutSeconds ?? 60,
            originKeepaliveTimeout: props.originKeepaliveTimeoutSeconds ?? 5,
          },
          customHeader: [{ name: settings.originVerifyHeaderName, value: props.originVerifySecret }],
        },
        {
          originId: CONTENT_ORIGIN_ID,
          domainName: props.contentBucket.bucketRegionalDomainName,
          originAccessControlId: originAccessControl.id,
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: ALB_ORIGIN_ID,
        viewerProtocolPolicy: 'redirect-to-https',
        allowedMethods: ALL_METHODS,
        cachedMethods: READ_METHODS,
        cachePolicyId: MANAGED_POLICY_IDS.cachingDisabled,
        originRequestPolicyId: MANAGED_POLICY_IDS.allViewerOriginRequest,
        compress: true,
      },
      orderedCacheBehavior: [
        {
          pathPattern: settings.contentPathPattern,
          targetOriginId: CONTENT_ORIGIN_ID,
          viewerProtocolPolicy: 'redirect-to-https',
          allowedMethods: READ_METHODS,
          cachedMethods: READ_METHODS,
          cachePolicyId: MANAGED_POLICY_IDS.cachingOptimized,
          compress: true,
        },
      ],
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: {
        acmCertificateArn: props.certificateArn,
        sslSupportMethod: 'sni-only',
        minimumProtocolVersion: 'TLSv1.2_2021',
      },
      loggingConfig: { bucket: props.logBucketDomainName, prefix: LOG_PREFIXES.cloudfront, includeCookies: false },
      tags: { Name: `${name}-cdn` },
    });

    this.distributionId = distribution.id;
    this.distributionArn = distribution.arn;
    this.domainName = distribution.domainName;
    this.webAclArn = webAcl.arn;
    this.webAclName = webAcl.name;
  }
}

const visibility = (metricName: string) => ({
  cloudwatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

const managedRuleGroup = (name: string, ruleActionOverride?: object[]) => ({
  managed_rule_group_statement: {
    vendor_name: 'AWS',
    name,
    ...(ruleActionOverride ? { rule_action_override: ruleActionOverride } : {}),
  },
});

/** Cheapest verdicts first: known-bad IPs, then floods, then request inspection. */
function webAclRules(name: string, rateLimit: number): Wafv2WebAclRule[] {
  const group = (priority: number, ruleName: string, statement: object): Wafv2WebAclRule => ({
    name: ruleName,
    priority,
    overrideAction: { none: {} },
    statement,
    visibilityConfig: visibility(`${name}-cdn-${ruleName}`),
  });
  return [
    group(0, 'aws-ip-reputation', managedRuleGroup('AWSManagedRulesAmazonIpReputationList')),
    {
      name: 'rate-limit-per-ip',
      priority: 1,
      action: { block: {} },
      statement: { rate_based_statement: { limit: rateLimit, aggregate_key_type: 'IP', evaluation_window_sec: 300 } },
      visibilityConfig: visibility(`${name}-cdn-rate-limit-per-ip`),
    },
    // The common rule set blocks request bodies over 8 KB; course uploads and long forms are bigger,
    // so that one rule only counts (the rest of the group still blocks).
    group(
      2,
      'aws-common',
      managedRuleGroup('AWSManagedRulesCommonRuleSet', [{ name: 'SizeRestrictions_BODY', action_to_use: { count: {} } }]),
    ),
    group(3, 'aws-known-bad-inputs', managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet')),
  ];
}

interface Settings {
  readonly originVerifyHeaderName: string;
  readonly contentPathPattern: string;
  readonly priceClass: PriceClass;
  readonly rateLimitPerFiveMinutes: number;
}

function withDefaults(props: ContentDeliveryProps): Settings {
  const settings: Settings = {
    originVerifyHeaderName: props.originVerifyHeaderName ?? 'X-Origin-Verify',
    contentPathPattern: props.contentPathPattern ?? '/content/*',
    priceClass: props.priceClass ?? 'PriceClass_100',
    rateLimitPerFiveMinutes: props.rateLimitPerFiveMinutes ?? 2000,
  };
  const fail = (message: string) => {
    throw new Error(`ContentDelivery ${props.name}: ${message}`);
  };
  const known = (value: string) => !Token.isUnresolved(value);
  if (!Token.isUnresolved(props.aliases) && props.aliases.length === 0) fail('aliases is empty: the certificate must serve at least one domain');
  if (known(props.certificateArn) && !props.certificateArn.startsWith('arn:aws:acm:us-east-1:')) {
    fail(`certificateArn must be an ACM certificate in us-east-1 (CloudFront takes no other), got "${props.certificateArn}"`);
  }
  const region = props.webAclProvider.region;
  if (region !== undefined && known(region) && region !== 'us-east-1') {
    fail(`webAclProvider must be configured for us-east-1 (CLOUDFRONT web ACLs live there), got "${region}"`);
  }
  if (!/^[A-Za-z0-9-]+$/.test(settings.originVerifyHeaderName)) fail(`originVerifyHeaderName is not a header name: "${settings.originVerifyHeaderName}"`);
  if (known(props.originVerifySecret) && props.originVerifySecret.length < 16) fail('originVerifySecret must be at least 16 characters');
  const pattern = settings.contentPathPattern;
  if (!pattern.startsWith('/') || pattern === '/*') fail(`contentPathPattern must start with "/" and not cover every path, got "${pattern}"`);
  const rate = settings.rateLimitPerFiveMinutes;
  if (!Number.isInteger(rate) || rate < 10 || rate > 2_000_000_000) fail(`rateLimitPerFiveMinutes must be a whole number in [10, 2000000000], got ${rate}`);
  return settings;
}
