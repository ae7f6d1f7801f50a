import type { StackResource, SynthesizedStack } from '../synthesized-stack.js';
import { parseJsonencode } from './hcl-object.js';

/**
 * What several rules need to read from the synthesized JSON. Terraform JSON is loosely typed
 * (cdktf writes some booleans as "true"), so every reader here is forgiving about shape and
 * strict about meaning.
 */

export const isTrue = (value: unknown): boolean => value === true || value === 'true';
export const isFalse = (value: unknown): boolean => value === false || value === 'false';

export type Json = Readonly<Record<string, unknown>>;

/** A nested block: cdktf writes single blocks as objects and repeated ones as arrays. */
export function blocks(value: unknown): Json[] {
  if (Array.isArray(value)) return value.filter((v): v is Json => typeof v === 'object' && v !== null);
  return typeof value === 'object' && value !== null ? [value as Json] : [];
}

export const block = (value: unknown): Json | undefined => blocks(value)[0];

export function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

export const num = (value: unknown): number | undefined => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

/** Short description of a value for messages. */
export const shown = (value: unknown): string => (value === undefined ? 'unset' : JSON.stringify(value));

/**
 * Whether `value` is the tenant's own key: a reference to an `aws_kms_key` of this stack. A key
 * pasted in as an ARN could be anyone's, so it does not count.
 */
export const usesStackKey = (stack: SynthesizedStack, value: unknown): boolean =>
  typeof value === 'string' && stack.referenced(value).some((r) => r.type === 'aws_kms_key');

/** Undefined when `value` is the tenant key, else what is wrong with it (for `what`). */
export function keyProblem(stack: SynthesizedStack, value: unknown, what: string): string | undefined {
  if (usesStackKey(stack, value)) return undefined;
  if (value === undefined || value === null || value === '')
    return `${what} has no KMS key (an AWS-managed key any principal of the account can use)`;
  return `${what} uses ${shown(value)}, not the tenant's own aws_kms_key`;
}

/** Availability zones of the subnets a value refers to. */
export function zonesOfSubnets(stack: SynthesizedStack, value: unknown): Set<string> {
  return new Set(
    stack
      .referencedThrough(value, 'aws_subnet')
      .map((s) => s.values['availability_zone'])
      .filter((z): z is string => typeof z === 'string'),
  );
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/**
 * The statements of a policy document written as JSON text or as a `${jsonencode({...})}`
 * expression (references read as `${...}` strings). Undefined for any other expression.
 */
export function policyStatements(document: unknown): PolicyStatement[] | undefined {
  if (typeof document !== 'string') return undefined;
  try {
    const parsed = (document.startsWith('${') ? parseJsonencode(document) : JSON.parse(document)) as { Statement?: unknown } | undefined;
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const statements = parsed.Statement;
    if (Array.isArray(statements)) return statements as PolicyStatement[];
    return typeof statements === 'object' && statements !== null ? [statements as PolicyStatement] : [];
  } catch {
    return undefined;
  }
}

/** `"Action": [...]` / `"Action" = [...]` values of a JSON or jsonencode policy, when it cannot be parsed. */
export function actionsInText(document: string): string[] {
  const found: string[] = [];
  for (const match of document.matchAll(/"(?:Not)?Action"\s*[:=]\s*(\[[^\]]*\]|"[^"]*")/g)) {
    for (const quoted of match[1]!.matchAll(/"([^"]*)"/g)) found.push(quoted[1]!);
  }
  return found;
}

/** Whether a principal is everyone (`"*"` or `{"AWS": "*"}`). */
export function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  return strings((principal as Json)['AWS']).includes('*');
}

/** Deny statement refusing requests not made over TLS (`aws:SecureTransport` false). */
export function deniesInsecureTransport(statement: PolicyStatement): boolean {
  if (statement.Effect !== 'Deny' || !isEveryone(statement.Principal)) return false;
  const condition = statement.Condition?.['Bool'] ?? {};
  const value = Object.entries(condition).find(([key]) => key.toLowerCase() === 'aws:securetransport')?.[1];
  return strings(value).includes('false') || value === false;
}

/**
 * Companion resources of a bucket (`aws_s3_bucket_versioning`, `…_policy`, …): those whose `bucket`
 * argument leads to it, by reference or by its literal name.
 */
export function bucketConfigs(stack: SynthesizedStack, bucket: StackResource, type: string, attribute = 'bucket'): StackResource[] {
  return stack.ofType(type).filter((config) => leadsToBucket(stack, config.values[attribute], bucket));
}

/** Whether a value names the bucket: a reference that leads to it, its name, or `<name>.s3…amazonaws.com`. */
export function leadsToBucket(stack: SynthesizedStack, value: unknown, bucket: StackResource): boolean {
  if (typeof value !== 'string') return false;
  if (stack.referencedThrough(value, 'aws_s3_bucket').some((b) => b.address === bucket.address)) return true;
  const name = bucket.values['bucket'];
  return typeof name === 'string' && (value === name || value.startsWith(`${name}.s3.`));
}

/**
 * The bucket's role as a log destination, which decides what it can support: ALB access logs and
 * S3 server access logs are only delivered to SSE-S3 buckets; CloudFront standard logs (v2) arrive
 * through a CloudWatch Logs delivery destination.
 */
export function logDestinationRoles(stack: SynthesizedStack, bucket: StackResource): { accessLogs: boolean; cloudFrontLogs: boolean } {
  const albLogs = stack
    .ofType('aws_lb')
    .some((lb) => blocks(lb.values['access_logs']).some((l) => leadsToBucket(stack, l['bucket'], bucket)));
  const serverLogs = stack.ofType('aws_s3_bucket_logging').some((l) => leadsToBucket(stack, l.values['target_bucket'], bucket));
  const cloudFrontLogs = stack
    .ofType('aws_cloudwatch_log_delivery_destination')
    .some((d) =>
      blocks(d.values['delivery_destination_configuration']).some((c) => leadsToBucket(stack, c['destination_resource_arn'], bucket)),
    );
  return { accessLogs: albLogs || serverLogs, cloudFrontLogs };
}

/** Whether a subnet's route table sends traffic to an internet gateway (a public subnet). */
export function routesToInternet(stack: SynthesizedStack, subnet: StackResource): boolean {
  const tables = stack
    .referrers(subnet.address, 'aws_route_table_association')
    .flatMap((association) => stack.referenced(association.values['route_table_id']))
    .filter((t) => t.type === 'aws_route_table');
  return tables.some((table) => {
    const inline = blocks(table.values['route']).some((route) =>
      stack.referenced(route['gateway_id']).some((g) => g.type === 'aws_internet_gateway'),
    );
    const separate = stack
      .referrers(table.address, 'aws_route')
      .some((route) => stack.referenced(route.values['gateway_id']).some((g) => g.type === 'aws_internet_gateway'));
    return inline || separate;
  });
}

/** Ingress rules in every form terraform accepts, normalised. */
export interface IngressRule {
  /** Where it is declared: the rule resource, or the group with an inline `ingress` block. */
  readonly resource: StackResource;
  /** The security group it opens (a reference or an id). */
  readonly securityGroup: unknown;
  readonly protocol: string;
  readonly fromPort: number | undefined;
  readonly toPort: number | undefined;
  readonly cidrs: string[];
}

const WORLD = /^(?:0\.0\.0\.0|::)\/0$/;
export const isWorld = (cidr: string): boolean => WORLD.test(cidr);

/** The ingress rules a resource declares (none for other resources). */
export function ingressRules(resource: StackResource): IngressRule[] {
  const v = resource.values;
  const protocolOf = (value: unknown) => String(value ?? '-1').toLowerCase();
  switch (resource.type) {
    case 'aws_vpc_security_group_ingress_rule':
      return [
        {
          resource,
          securityGroup: v['security_group_id'],
          protocol: protocolOf(v['ip_protocol']),
          fromPort: num(v['from_port']),
          toPort: num(v['to_port']),
          cidrs: [...strings(v['cidr_ipv4']), ...strings(v['cidr_ipv6'])],
        },
      ];
    case 'aws_security_group_rule':
      if (v['type'] !== 'ingress') return [];
      return [
        {
          resource,
          securityGroup: v['security_group_id'],
          protocol: protocolOf(v['protocol']),
          fromPort: num(v['from_port']),
          toPort: num(v['to_port']),
          cidrs: [...strings(v['cidr_blocks']), ...strings(v['ipv6_cidr_blocks'])],
        },
      ];
    case 'aws_security_group':
      return blocks(v['ingress']).map((rule) => ({
        resource,
        securityGroup: `\${${resource.address}.id}`,
        protocol: protocolOf(rule['protocol']),
        fromPort: num(rule['from_port']),
        toPort: num(rule['to_port']),
        cidrs: [...strings(rule['cidr_blocks']), ...strings(rule['ipv6_cidr_blocks'])],
      }));
    default:
      return [];
  }
}

export const INGRESS_TYPES = ['aws_vpc_security_group_ingress_rule', 'aws_security_group_rule', 'aws_security_group'] as const;

/** Whether an ingress rule's port range includes `port` (all traffic includes every port). */
export function opensPort(rule: IngressRule, port: number): boolean {
  if (rule.protocol === '-1' || rule.protocol === 'all') return true;
  if (rule.protocol !== 'tcp' && rule.protocol !== '6') return false;
  const from = rule.fromPort ?? 0;
  const to = rule.toPort ?? 65535;
  return from <= port && port <= to;
}

/** Auto scaling groups that serve the load balancer (the web tier), as opposed to workers. */
export const servesLoadBalancer = (group: StackResource): boolean => strings(group.values['target_group_arns']).length > 0;

/** The metrics an alarm reads: its own metric, or every metric of its metric queries. */
export function alarmMetrics(alarm: StackResource): Array<{ namespace: unknown; metricName: unknown; dimensions: Json }> {
  const v = alarm.values;
  if (v['metric_name'] !== undefined)
    return [{ namespace: v['namespace'], metricName: v['metric_name'], dimensions: block(v['dimensions']) ?? {} }];
  return blocks(v['metric_query']).flatMap((query) => {
    const metric = block(query['metric']);
    return metric
      ? [{ namespace: metric['namespace'], metricName: metric['metric_name'], dimensions: block(metric['dimensions']) ?? {} }]
      : [];
  });
}

/** The region a resource is created in: its provider's (`provider = "aws.us_east_1"`), else the default provider's. */
export function resourceRegion(stack: SynthesizedStack, resource: StackResource): unknown {
  const chosen = resource.values['provider'];
  const providers = stack.providers('aws');
  const provider =
    typeof chosen === 'string' ? providers.find((p) => p.address === `provider.${chosen}`) : providers.find((p) => p.alias === undefined);
  return provider?.values['region'];
}

/** The alarms that refer to `address` and read `metricName`. */
export const alarmsOnMetric = (stack: SynthesizedStack, address: string, metricName: string): StackResource[] =>
  stack.referrers(address, 'aws_cloudwatch_metric_alarm').filter((alarm) => alarmMetrics(alarm).some((m) => m.metricName === metricName));

/** Whether an alarm notifies an SNS topic of this stack, with actions on. */
export const notifiesTopic = (stack: SynthesizedStack, alarm: StackResource): boolean =>
  !isFalse(alarm.values['actions_enabled']) &&
  strings(alarm.values['alarm_actions']).some((a) => stack.referenced(a).some((r) => r.type === 'aws_sns_topic'));

/** A bucket whose objects are all declared in the stack (MaintenancePage's tag). */
export const CONTENTS_TAG = { key: 'hafleet:contents', value: 'declared-in-stack' } as const;

/** The stack's objects in a bucket tagged CONTENTS_TAG (possibly none), or undefined for any other bucket. */
export function declaredObjects(stack: SynthesizedStack, bucket: StackResource): StackResource[] | undefined {
  if ((bucket.values['tags'] as Record<string, unknown> | undefined)?.[CONTENTS_TAG.key] !== CONTENTS_TAG.value) return undefined;
  return stack
    .ofType('aws_s3_object')
    .filter((o) => stack.referencedThrough(o.values['bucket'], 'aws_s3_bucket').some((b) => b.address === bucket.address));
}
