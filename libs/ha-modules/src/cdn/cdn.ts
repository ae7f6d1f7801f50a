import { Construct } from 'constructs';
import { Token } from 'cdktf';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudfrontDistribution, type CloudfrontDistributionOrderedCacheBehavior } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontFunction } from '@cdktf/provider-aws/lib/cloudfront-function';
import { CloudfrontKeyGroup } from '@cdktf/provider-aws/lib/cloudfront-key-group';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { CloudfrontPublicKey } from '@cdktf/provider-aws/lib/cloudfront-public-key';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import { CloudwatchLogDelivery } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery';
import { CloudwatchLogDeliveryDestination } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination';
import { CloudwatchLogDeliverySource } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-source';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { ShieldProtection } from '@cdktf/provider-aws/lib/shield-protection';
import { Wafv2WebAcl, type Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { BODY_SIZE_RULE, managedGroupRules, pathListProblems } from '../edge/waf-rules.js';
import { boundedName } from '../naming.js';

export type PriceClass = 'PriceClass_100' | 'PriceClass_200' | 'PriceClass_All';

/** Content that must not be public: served only with a CloudFront signed URL or signed cookie. */
export interface SignedContent {
  /** Path patterns (on the content bucket) that need a signature, e.g. `/content/private/*`. */
  readonly pathPatterns: readonly string[];
  /** PEM public keys of the key pairs the application signs with (two during a rotation). */
  readonly publicKeys: ReadonlyArray<{ readonly name: string; readonly encodedKey: string }>;
}

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
  /**
   * The bucket holding the maintenance page under `maintenance/` (see `MaintenancePage`): shown,
   * with status 503, whenever the load balancer answers 502, 503 or 504 or cannot be reached.
   */
  readonly maintenanceBucket: { readonly bucketRegionalDomainName: string };
  /** Domain names learners use (e.g. `learn.example.edu`); the certificate must cover them. */
  readonly aliases: string[];
  /** ACM certificate in us-east-1 (CloudFront only takes certificates from there), covering `aliases`. */
  readonly certificateArn: string;
  /** Edge locations used: the tenant spec picks them from where its learners are. @default 'PriceClass_All' */
  readonly priceClass?: PriceClass;
  /** The tenant's log bucket: standard logs (v2, delivered by CloudWatch Logs, no bucket ACLs) go to it. */
  readonly logBucket: { readonly bucketArn: string };
  /**
   * AWS provider for us-east-1, created by the caller: the CloudFront web ACL, its log group, the
   * standard-log delivery and the Shield protection can only live there.
   */
  readonly webAclProvider: AwsProvider;
  /** A KMS key in us-east-1 that lets CloudWatch Logs there use it: encrypts the CloudFront web ACL's log group. */
  readonly webAclLogKmsKeyArn: string;
  /** @default 365 */
  readonly webAclLogRetentionDays?: number;
  /** Requests one viewer IP may make in any 5-minute window before it is blocked. @default 2000 */
  readonly rateLimitPerFiveMinutes?: number;
  /** Paths where the body-inspecting managed rules only count (see `RegionalWebAclProps.countModePaths`). @default none */
  readonly countModePaths?: string[];
  /** Signed URLs/cookies on these content paths. @default none: all content is public through the CDN */
  readonly signedContent?: SignedContent;
  /** Protect the distribution with Shield Advanced; the account must already subscribe. @default false */
  readonly shieldAdvanced?: boolean;
  /**
   * Seconds CloudFront waits for the load balancer's response, 1–180 (above 60 needs a CloudFront
   * quota increase for the account): the longest legitimate request. @default 60
   */
  readonly originReadTimeoutSeconds?: number;
  /** Seconds CloudFront keeps an idle connection to the load balancer, 1–180 (above 60: quota). @default 5 */
  readonly originKeepaliveTimeoutSeconds?: number;
}

/**
 * Request header carrying the viewer's IP to the load balancer, set by a CloudFront function on
 * every request (overwriting whatever the client sent): the regional web ACL counts it. Not
 * `X-Forwarded-For` (CloudFront appends to the client's value; WAF reads the first, the client's)
 * nor `CloudFront-Viewer-Address` (it carries `ip:port`, so a rate key on it counts connections).
 */
export const VIEWER_IP_HEADER = 'X-Hafleet-Viewer-Ip';
/** Where the maintenance page lives, in the bucket and on the distribution. */
export const MAINTENANCE_PATH = '/maintenance/index.html';
/** Load balancer answers that show the maintenance page instead (500 stays the application's own). */
export const MAINTENANCE_ERROR_CODES = [502, 503, 504] as const;
/** HSTS for two years, the preload list's minimum; subdomains of the tenant's domain included. */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

/** AWS managed CloudFront policies (ids from the CloudFront developer guide). */
export const MANAGED_POLICY_IDS = {
  cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
  cachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
  /** Every viewer header (Host included), cookie and query string. */
  allViewerOriginRequest: '216adef6-5c7f-47e4-b989-5492eafa07d3',
} as const;

const ALB_ORIGIN_ID = 'alb';
const CONTENT_ORIGIN_ID = 'content';
const MAINTENANCE_ORIGIN_ID = 'maintenance';
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
/** Headers that carry credentials: never written to the WAF logs. */
const REDACTED_HEADERS = ['authorization', 'cookie'];
const ALL_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'];
const READ_METHODS = ['GET', 'HEAD'];

/**
 * The tenant's CloudFront distribution: the ALB as default origin (nothing cached, every request
 * forwarded with its Host header, TLS 1.2 to the origin, a secret header the ALB checks, the
 * viewer's IP in `VIEWER_IP_HEADER`), the content bucket under `contentPathPattern` (cached, origin
 * access control, signed URLs/cookies on `signedContent` paths), a maintenance page from S3 for
 * 502/503/504, HSTS and security headers on every response, viewers on HTTPS only (TLS 1.2+,
 * HTTP/2 and HTTP/3, IPv6), standard logs (v2) to the tenant log bucket, and a CLOUDFRONT web ACL
 * (AWS managed rule groups + per-IP rate limit, logged to an `aws-waf-logs-` group) created in
 * us-east-1 through `webAclProvider`.
 *
 * The Host header is forwarded (managed `AllViewer` policy, not `AllViewerExceptHostHeader`):
 * CloudFront checks the ALB's certificate against the Host header it sends, and the ALB's
 * certificate covers the tenant's domain, never `*.elb.amazonaws.com`; the application also builds
 * its URLs from the host the learner used.
 *
 * The maintenance page is a custom error response, not an origin group: origin groups fail over
 * only GET, HEAD and OPTIONS, and the default behaviour must take POST.
 */
export class ContentDelivery extends Construct {
  readonly distributionId: string;
  readonly distributionArn: string;
  /** `dxxxx.cloudfront.net`: the target of the tenant's DNS alias records. */
  readonly domainName: string;
  readonly webAclArn: string;
  /** Also its CloudWatch `WebACL` dimension (the metric name is the same). */
  readonly webAclName: string;
  /** Name of the CloudFront web ACL's log group (in us-east-1). */
  readonly webAclLogGroupName: string;

  constructor(scope: Construct, id: string, props: ContentDeliveryProps) {
    super(scope, id);
    const settings = withDefaults(props);
    const { name } = props;
    const usEast1 = props.webAclProvider;

    const webAcl = new Wafv2WebAcl(this, 'web-acl', {
      provider: usEast1,
      name: `${name}-cdn`,
      description: `${name}: CloudFront web ACL`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      rule: webAclRules(name, settings.rateLimitPerFiveMinutes, settings.countModePaths),
      visibilityConfig: visibility(`${name}-cdn`),
      tags: { Name: `${name}-cdn` },
    });
    // WAF only delivers to log groups named `aws-waf-logs-…`, in the ACL's region (us-east-1 here).
    const webAclLogs = new CloudwatchLogGroup(this, 'web-acl-log-group', {
      provider: usEast1,
      name: `aws-waf-logs-${name}-cdn`,
      retentionInDays: settings.webAclLogRetentionDays,
      kmsKeyId: props.webAclLogKmsKeyArn,
      tags: { Name: `aws-waf-logs-${name}-cdn` },
    });
    new Wafv2WebAclLoggingConfiguration(this, 'web-acl-logging', {
      provider: usEast1,
      resourceArn: webAcl.arn,
      logDestinationConfigs: [webAclLogs.arn],
      redactedFields: REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
    });

    const originAccessControl = new CloudfrontOriginAccessControl(this, 'content-oac', {
      name: boundedName(name, 'content', 64),
      description: `${name}: CloudFront reads the content and maintenance buckets`,
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });
    const headers = securityHeaders(this, name);
    const viewerIp = new CloudfrontFunction(this, 'viewer-ip', {
      name: boundedName(name, 'viewer-ip', 64),
      comment: `${name}: the viewer's IP in ${VIEWER_IP_HEADER}, whatever the client sent`,
      runtime: 'cloudfront-js-2.0',
      publish: true,
      code: VIEWER_IP_FUNCTION,
    });
    const keyGroup = props.signedContent && signingKeyGroup(this, name, props.signedContent);

    // Static files from a bucket: read-only, cached, compressed; signed where a key group is trusted.
    const bucketBehaviour = (
      pathPattern: string,
      targetOriginId: string,
      trustedKeyGroups?: string[],
    ): CloudfrontDistributionOrderedCacheBehavior => ({
      pathPattern,
      targetOriginId,
      viewerProtocolPolicy: 'redirect-to-https',
      allowedMethods: READ_METHODS,
      cachedMethods: READ_METHODS,
      cachePolicyId: MANAGED_POLICY_IDS.cachingOptimized,
      responseHeadersPolicyId: headers.id,
      compress: true,
      ...(trustedKeyGroups ? { trustedKeyGroups } : {}),
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
        {
          originId: MAINTENANCE_ORIGIN_ID,
          domainName: props.maintenanceBucket.bucketRegionalDomainName,
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
        responseHeadersPolicyId: headers.id,
        functionAssociation: [{ eventType: 'viewer-request', functionArn: viewerIp.arn }],
        compress: true,
      },
      // First match wins: the signed paths before the content path that may contain them.
      orderedCacheBehavior: [
        ...(props.signedContent?.pathPatterns ?? []).map((pattern) => bucketBehaviour(pattern, CONTENT_ORIGIN_ID, [keyGroup!.id])),
        bucketBehaviour(settings.contentPathPattern, CONTENT_ORIGIN_ID),
        bucketBehaviour(`${MAINTENANCE_PATH.slice(0, MAINTENANCE_PATH.lastIndexOf('/'))}/*`, MAINTENANCE_ORIGIN_ID),
      ],
      // The load balancer down, overloaded or timing out: the maintenance page, still a 503 for
      // monitors and search engines, cached 10 s so recovery shows quickly.
      customErrorResponse: MAINTENANCE_ERROR_CODES.map((code) => ({
        errorCode: code,
        responseCode: 503,
        responsePagePath: MAINTENANCE_PATH,
        errorCachingMinTtl: 10,
      })),
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: {
        acmCertificateArn: props.certificateArn,
        sslSupportMethod: 'sni-only',
        minimumProtocolVersion: 'TLSv1.2_2021',
      },
      tags: { Name: `${name}-cdn` },
    });

    standardLogs(this, name, usEast1, distribution.arn, props.logBucket.bucketArn);
    if (props.shieldAdvanced ?? false) {
      new ShieldProtection(this, 'shield-protection', {
        provider: usEast1,
        name: `${name}-cdn`,
        resourceArn: distribution.arn,
        tags: { Name: `${name}-cdn` },
      });
    }

    this.distributionId = distribution.id;
    this.distributionArn = distribution.arn;
    this.domainName = distribution.domainName;
    this.webAclArn = webAcl.arn;
    this.webAclName = webAcl.name;
    this.webAclLogGroupName = webAclLogs.name;
  }
}

/** Runs on every viewer request to the load balancer (cloudfront-js-2.0): one header, no network. */
const VIEWER_IP_FUNCTION = `function handler(event) {
  var request = event.request;
  request.headers['${VIEWER_IP_HEADER.toLowerCase()}'] = { value: event.viewer.ip };
  return request;
}
`;

/** HSTS, nosniff, same-origin framing (SCORM players frame the platform's own pages) and a referrer policy, on every response. */
function securityHeaders(scope: Construct, name: string): CloudfrontResponseHeadersPolicy {
  return new CloudfrontResponseHeadersPolicy(scope, 'security-headers', {
    name: boundedName(name, 'security-headers', 128),
    comment: `${name}: HSTS and security headers`,
    securityHeadersConfig: {
      strictTransportSecurity: { accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS, includeSubdomains: true, preload: false, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: 'SAMEORIGIN', override: true },
      referrerPolicy: { referrerPolicy: 'strict-origin-when-cross-origin', override: true },
    },
  });
}

/** The public keys of the signing key pairs and the key group behaviours trust. */
function signingKeyGroup(scope: Construct, name: string, signed: SignedContent): CloudfrontKeyGroup {
  const keys = signed.publicKeys.map(
    (key) =>
      new CloudfrontPublicKey(scope, `public-key-${key.name}`, {
        name: boundedName(name, key.name, 128),
        comment: `${name}: signs private content`,
        encodedKey: key.encodedKey,
      }),
  );
  return new CloudfrontKeyGroup(scope, 'key-group', {
    name: boundedName(name, 'signed-content', 128),
    comment: `${name}: signed URLs and cookies`,
    items: keys.map((k) => k.id),
  });
}

/**
 * Standard logging v2: CloudWatch Logs delivers the access logs to the log bucket under
 * `AWSLogs/<account>/CloudFront/` through a bucket policy grant (no ACLs). The delivery source
 * of a CloudFront distribution lives in us-east-1, and so do its destination and delivery.
 */
function standardLogs(scope: Construct, name: string, provider: AwsProvider, distributionArn: string, bucketArn: string): void {
  const source = new CloudwatchLogDeliverySource(scope, 'access-log-source', {
    provider,
    name: boundedName(name, 'cdn-access-logs', 60),
    logType: 'ACCESS_LOGS',
    resourceArn: distributionArn,
  });
  const destination = new CloudwatchLogDeliveryDestination(scope, 'access-log-destination', {
    provider,
    name: boundedName(name, 'cdn-access-logs', 60),
    outputFormat: 'json',
    deliveryDestinationConfiguration: [{ destinationResourceArn: bucketArn }],
  });
  new CloudwatchLogDelivery(scope, 'access-log-delivery', {
    provider,
    deliverySourceName: source.name,
    deliveryDestinationArn: destination.arn,
  });
}

const visibility = (metricName: string) => ({
  cloudwatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

/** Cheapest verdicts first: known-bad IPs, then floods, then request inspection. */
function webAclRules(name: string, rateLimit: number, countModePaths: readonly string[]): Wafv2WebAclRule[] {
  const managed = (priority: number, group: string, metric: string, countEverywhere: string[] = []) =>
    managedGroupRules(priority, group, `cdn-${metric}`, { metricPrefix: name, countModePaths, countEverywhere });
  return [
    ...managed(0, 'AWSManagedRulesAmazonIpReputationList', 'aws-ip-reputation'),
    {
      name: 'rate-limit-per-ip',
      priority: 1,
      action: { block: {} },
      // CloudFront's own connection: the viewer's real address, which no header can change.
      statement: { rate_based_statement: { limit: rateLimit, aggregate_key_type: 'IP', evaluation_window_sec: 300 } },
      visibilityConfig: visibility(`${name}-cdn-rate-limit-per-ip`),
    },
    // The common rule set blocks request bodies over 8 KB; the regional web ACL decides where large
    // bodies may go (the profile's upload paths), so here that one rule only counts.
    ...managed(2, 'AWSManagedRulesCommonRuleSet', 'aws-common', [BODY_SIZE_RULE]),
    ...managed(4, 'AWSManagedRulesKnownBadInputsRuleSet', 'aws-known-bad-inputs'),
  ];
}

interface Settings {
  readonly originVerifyHeaderName: string;
  readonly contentPathPattern: string;
  readonly priceClass: PriceClass;
  readonly rateLimitPerFiveMinutes: number;
  readonly countModePaths: readonly string[];
  readonly webAclLogRetentionDays: number;
}

function withDefaults(props: ContentDeliveryProps): Settings {
  const settings: Settings = {
    originVerifyHeaderName: props.originVerifyHeaderName ?? 'X-Origin-Verify',
    contentPathPattern: props.contentPathPattern ?? '/content/*',
    priceClass: props.priceClass ?? 'PriceClass_All',
    rateLimitPerFiveMinutes: props.rateLimitPerFiveMinutes ?? 2000,
    countModePaths: props.countModePaths ?? [],
    webAclLogRetentionDays: props.webAclLogRetentionDays ?? 365,
  };
  const fail = (message: string) => {
    throw new Error(`ContentDelivery ${props.name}: ${message}`);
  };
  const known = (value: string) => !Token.isUnresolved(value);
  if (!Token.isUnresolved(props.aliases) && props.aliases.length === 0)
    fail('aliases is empty: the certificate must serve at least one domain');
  if (known(props.certificateArn) && !props.certificateArn.startsWith('arn:aws:acm:us-east-1:')) {
    fail(`certificateArn must be an ACM certificate in us-east-1 (CloudFront takes no other), got "${props.certificateArn}"`);
  }
  const region = props.webAclProvider.region;
  if (region !== undefined && known(region) && region !== 'us-east-1') {
    fail(`webAclProvider must be configured for us-east-1 (CLOUDFRONT web ACLs live there), got "${region}"`);
  }
  if (!/^[A-Za-z0-9-]+$/.test(settings.originVerifyHeaderName))
    fail(`originVerifyHeaderName is not a header name: "${settings.originVerifyHeaderName}"`);
  if (known(props.originVerifySecret) && props.originVerifySecret.length < 16) fail('originVerifySecret must be at least 16 characters');
  const pattern = settings.contentPathPattern;
  if (!pattern.startsWith('/') || pattern === '/*')
    fail(`contentPathPattern must start with "/" and not cover every path, got "${pattern}"`);
  const rate = settings.rateLimitPerFiveMinutes;
  if (!Number.isInteger(rate) || rate < 10 || rate > 2_000_000_000)
    fail(`rateLimitPerFiveMinutes must be a whole number in [10, 2000000000], got ${rate}`);
  for (const problem of pathListProblems('countModePaths', settings.countModePaths)) fail(problem);
  if (!LOG_RETENTION_DAYS.includes(settings.webAclLogRetentionDays))
    fail(`webAclLogRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}, got ${settings.webAclLogRetentionDays}`);
  const signed = props.signedContent;
  if (signed) {
    if (signed.pathPatterns.length === 0 || signed.publicKeys.length === 0)
      fail('signedContent needs at least one path pattern and one public key');
    if (signed.publicKeys.length > 5) fail('signedContent.publicKeys: a key group holds at most 5 keys');
    for (const p of signed.pathPatterns)
      if (!p.startsWith('/') || p === '/*') fail(`signedContent.pathPatterns must start with "/" and not cover every path, got "${p}"`);
    if (new Set(signed.publicKeys.map((k) => k.name)).size !== signed.publicKeys.length)
      fail('signedContent.publicKeys: names must be unique');
  }
  return settings;
}
