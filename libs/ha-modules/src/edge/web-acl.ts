import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { ShieldProtection } from '@cdktf/provider-aws/lib/shield-protection';
import { Wafv2WebAcl, type Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import {
  BODY_SIZE_RULE,
  PATH_TRANSFORMATIONS,
  managedGroupRules,
  pathListProblems,
  type RateBasedStatement,
  type Statement,
} from './waf-rules.js';

export interface RegionalWebAclProps {
  /** Tenant name: prefix of the web ACL, its metrics and its log group (`aws-waf-logs-<name>`). */
  readonly name: string;
  /** The load balancer the web ACL protects. */
  readonly albArn: string;
  /**
   * Requests one client may send in any 5 minutes before it is blocked until its rate drops.
   * @default 2000
   */
  readonly rateLimitPerFiveMinutes?: number;
  /**
   * Header holding the viewer's IP, set by the CDN (it must overwrite any value the client sent).
   * Behind CloudFront the connection's source IP is an edge server shared by many viewers, so the
   * per-IP rate limit should count this header instead. Never `X-Forwarded-For`: CloudFront appends
   * to it, and WAF reads its first entry, which the client wrote.
   * @default none: the rate limit counts the connection's source IP
   */
  readonly clientIpHeader?: string;
  /**
   * URI path prefixes where bodies over 8 KB are normal (content uploads, SCORM/xAPI runtime);
   * everywhere else the core rule set's body size limit blocks them.
   * @default DEFAULT_LARGE_BODY_PATHS
   */
  readonly largeBodyPaths?: string[];
  /**
   * Authoring and runtime path prefixes where the body-inspecting managed rules (XSS, LFI/RFI,
   * SSRF, SQL injection in the body) only count: forum posts, quiz answers and activity settings
   * legitimately carry HTML, code samples and SQL-looking text. They block everywhere else.
   * @default none: they block everywhere
   */
  readonly countModePaths?: string[];
  /** The tenant's KMS key: encrypts the WAF log group (its key policy must allow CloudWatch Logs). */
  readonly kmsKeyArn: string;
  /** @default 365 */
  readonly logRetentionDays?: number;
  /**
   * Protect the load balancer with Shield Advanced; the account must already subscribe to it.
   * @default false
   */
  readonly shieldAdvanced?: boolean;
}

/** Moodle/Totara upload, web-service and SCORM runtime paths. */
export const DEFAULT_LARGE_BODY_PATHS = ['/repository/', '/webservice/', '/mod/scorm/', '/pluginfile.php', '/draftfile.php'];
/** Label the core rule set puts on requests whose body exceeds its size limit. */
export const BODY_SIZE_LABEL = 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body';
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
/** Headers that carry credentials: never written to the logs. */
const REDACTED_HEADERS = ['authorization', 'cookie'];

/**
 * The regional WAFv2 web ACL of a tenant's load balancer: AWS managed rule groups (core, known
 * bad inputs, SQL injection, IP reputation), a body size limit relaxed only on upload/runtime
 * paths, and a per-client rate limit. Every rule publishes metrics and sampled requests; full
 * logs go to a CloudWatch log group encrypted with the tenant key, with credentials redacted.
 */
export class RegionalWebAcl extends Construct {
  readonly webAclArn: string;
  readonly webAclId: string;
  /** Also its CloudWatch `WebACL` dimension (the metric name is the same). */
  readonly webAclName: string;
  readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: RegionalWebAclProps) {
    super(scope, id);
    const { name } = props;
    const rateLimit = props.rateLimitPerFiveMinutes ?? 2000;
    const largeBodyPaths = props.largeBodyPaths ?? DEFAULT_LARGE_BODY_PATHS;
    const countModePaths = props.countModePaths ?? [];
    const retentionInDays = props.logRetentionDays ?? 365;
    validate(name, rateLimit, largeBodyPaths, countModePaths, retentionInDays, props.clientIpHeader);

    const visibility = (metric: string) => ({
      cloudwatchMetricsEnabled: true,
      metricName: `${name}-${metric}`,
      sampledRequestsEnabled: true,
    });
    const managed = (priority: number, group: string, metric: string, countEverywhere: string[] = []) =>
      managedGroupRules(priority, group, metric, { metricPrefix: name, countModePaths, countEverywhere });

    // Order matters: cheap verdicts on the client first; the body-size rule must follow the core
    // rule set, because it reads the label that rule set adds.
    const rules: Wafv2WebAclRule[] = [
      ...managed(10, 'AWSManagedRulesAmazonIpReputationList', 'ip-reputation'),
      {
        name: 'rate-limit-per-client',
        priority: 20,
        action: { block: {} },
        statement: { rate_based_statement: rateStatement(rateLimit, props.clientIpHeader) } satisfies Statement,
        visibilityConfig: visibility('rate-limit'),
      },
      // Its body size rule only counts (and labels): the next rule decides where big bodies may go.
      ...managed(30, 'AWSManagedRulesCommonRuleSet', 'common', [BODY_SIZE_RULE]),
      {
        name: 'large-body-outside-upload-paths',
        priority: 40,
        action: { block: {} },
        statement: largeBodyStatement(largeBodyPaths),
        visibilityConfig: visibility('large-body'),
      },
      ...managed(50, 'AWSManagedRulesKnownBadInputsRuleSet', 'known-bad-inputs'),
      ...managed(60, 'AWSManagedRulesSQLiRuleSet', 'sqli'),
    ];

    const acl = new Wafv2WebAcl(this, 'web-acl', {
      name: `${name}-alb`,
      description: `${name}: load balancer`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility('alb'),
      tags: { Name: `${name}-alb` },
    });
    new Wafv2WebAclAssociation(this, 'association', { resourceArn: props.albArn, webAclArn: acl.arn });

    // WAF only delivers to log groups whose name starts with `aws-waf-logs-`. No log resource
    // policy here: WAF maintains its own, and accounts hold at most 10 of them per region.
    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `aws-waf-logs-${name}`,
      retentionInDays,
      kmsKeyId: props.kmsKeyArn,
      tags: { Name: `aws-waf-logs-${name}` },
    });
    new Wafv2WebAclLoggingConfiguration(this, 'logging', {
      resourceArn: acl.arn,
      logDestinationConfigs: [logGroup.arn],
      redactedFields: REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
    });

    if (props.shieldAdvanced ?? false) {
      new ShieldProtection(this, 'shield-protection', {
        name: `${name}-alb`,
        resourceArn: props.albArn,
        tags: { Name: `${name}-alb` },
      });
    }

    this.webAclArn = acl.arn;
    this.webAclId = acl.id;
    this.webAclName = acl.name;
    this.logGroupName = logGroup.name;
  }
}

function rateStatement(limit: number, clientIpHeader: string | undefined): RateBasedStatement {
  const base = { limit, evaluation_window_sec: 300 };
  if (clientIpHeader === undefined) return { ...base, aggregate_key_type: 'IP' };
  // MATCH would block every request without a valid header: a CDN misconfiguration would then
  // take the whole site down. Such requests did not come through the CDN and get the origin 403.
  return {
    ...base,
    aggregate_key_type: 'FORWARDED_IP',
    forwarded_ip_config: { header_name: clientIpHeader, fallback_behavior: 'NO_MATCH' },
  };
}

/** AWS's documented pattern: block the core rule set's body-size label except on the given paths. */
function largeBodyStatement(paths: readonly string[]): Statement {
  const labelled: Statement = { label_match_statement: { scope: 'LABEL', key: BODY_SIZE_LABEL } };
  if (paths.length === 0) return labelled;
  const onPath = paths.map((path): Statement => ({
    byte_match_statement: {
      field_to_match: { uri_path: {} },
      positional_constraint: 'STARTS_WITH',
      search_string: path,
      text_transformation: PATH_TRANSFORMATIONS,
    },
  }));
  const allowed: Statement = onPath.length === 1 ? onPath[0]! : { or_statement: { statement: onPath } };
  return { and_statement: { statement: [labelled, { not_statement: { statement: [allowed] } }] } };
}

function validate(
  name: string,
  rateLimit: number,
  paths: readonly string[],
  countModePaths: readonly string[],
  retentionDays: number,
  clientIpHeader: string | undefined,
): void {
  const fail = (message: string) => {
    throw new Error(`RegionalWebAcl ${name}: ${message}`);
  };
  // Web ACL names and metric names allow letters, digits, hyphens and underscores.
  if (!/^[\w-]{1,100}$/.test(name)) fail('name must be 1-100 letters, digits, hyphens or underscores');
  if (!Number.isInteger(rateLimit) || rateLimit < 10 || rateLimit > 2_000_000_000) {
    fail(`rateLimitPerFiveMinutes must be a whole number in [10, 2000000000], got ${rateLimit}`);
  }
  for (const problem of [...pathListProblems('largeBodyPaths', paths), ...pathListProblems('countModePaths', countModePaths)])
    fail(problem);
  if (!LOG_RETENTION_DAYS.includes(retentionDays))
    fail(`logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}, got ${retentionDays}`);
  if (clientIpHeader !== undefined && !Token.isUnresolved(clientIpHeader) && !/^[A-Za-z0-9-]{1,255}$/.test(clientIpHeader)) {
    fail(`clientIpHeader must be a header name (letters, digits, hyphens), got "${clientIpHeader}"`);
  }
  if (clientIpHeader?.toLowerCase() === 'x-forwarded-for') {
    fail(
      'clientIpHeader must not be X-Forwarded-For: its first entry is whatever the client sent (CloudFront appends to it); use a header the CDN overwrites',
    );
  }
}
