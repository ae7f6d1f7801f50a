import { applicationProfile } from '@hafleet/app-profiles';
import { fail, notApplicable, pass, verdictOf, type PolicyRule } from '../rule.js';
import {
  alarmMetrics,
  alarmsOnMetric,
  block,
  blocks,
  bucketConfigs,
  isFalse,
  isTrue,
  logDestinationRoles,
  notifiesTopic,
  num,
  policyStatements,
  resourceRegion,
  servesLoadBalancer,
  shown,
  strings,
  type PolicyStatement,
} from './support.js';

/** Observability: traffic is logged, and every alarm reaches the people the spec names. */

export const OBSERVABILITY_RULES: readonly PolicyRule[] = [
  {
    id: 'HAF-LOG-001',
    severity: 'error',
    area: 'observability',
    description: 'VPC flow logs record all traffic',
    resourceTypes: ['aws_vpc'],
    fix: 'add an aws_flow_log for the VPC with traffic_type "ALL" to the encrypted flow-log group (Network does)',
    check(vpc, stack) {
      const logs = stack.referrers(vpc.address, 'aws_flow_log');
      if (logs.length === 0) return fail('no flow log');
      return verdictOf([
        !logs.some((l) => l.values['traffic_type'] === 'ALL') &&
          `flow logs record only ${shown(logs.map((l) => l.values['traffic_type']))}`,
      ]);
    },
  },
  {
    id: 'HAF-LOG-002',
    severity: 'error',
    area: 'observability',
    description: 'The load balancer writes access logs',
    resourceTypes: ['aws_lb'],
    fix: 'set access_logs { bucket = <the tenant log bucket>, enabled = true } (WebTier accessLogs)',
    check(lb) {
      const logs = block(lb.values['access_logs']);
      return verdictOf([!(logs && isTrue(logs['enabled']) && logs['bucket']) && `access_logs is ${shown(logs)}`]);
    },
  },
  {
    id: 'HAF-LOG-003',
    severity: 'error',
    area: 'observability',
    description: 'CloudFront delivers standard logs (v2) to a bucket of the tenant',
    resourceTypes: ['aws_cloudfront_distribution'],
    fix:
      'add an aws_cloudwatch_log_delivery_source (ACCESS_LOGS of the distribution, us-east-1), ' +
      'a delivery destination on the tenant log bucket and an aws_cloudwatch_log_delivery joining them ' +
      '(ContentDelivery logBucket)',
    check(distribution, stack) {
      const sources = stack
        .referrers(distribution.address, 'aws_cloudwatch_log_delivery_source')
        .filter((s) => s.values['log_type'] === 'ACCESS_LOGS');
      if (sources.length === 0) return fail('no ACCESS_LOGS delivery source for the distribution');
      const deliveries = sources.flatMap((source) => stack.referrers(source.address, 'aws_cloudwatch_log_delivery'));
      const toBucket = deliveries.some((delivery) =>
        stack
          .referenced(delivery.values['delivery_destination_arn'])
          .filter((d) => d.type === 'aws_cloudwatch_log_delivery_destination')
          .some((d) =>
            blocks(d.values['delivery_destination_configuration']).some(
              (c) => stack.referencedThrough(c['destination_resource_arn'], 'aws_s3_bucket').length > 0,
            ),
          ),
      );
      return verdictOf([!toBucket && 'its access logs are delivered to no bucket of this stack']);
    },
  },
  {
    id: 'HAF-LOG-004',
    severity: 'error',
    area: 'observability',
    description: 'Web ACL decisions are logged to a log group (a CloudFront ACL to one in us-east-1)',
    resourceTypes: ['aws_wafv2_web_acl'],
    fix: 'add an aws_wafv2_web_acl_logging_configuration sending the ACL to an encrypted "aws-waf-logs-<tenant>" log group',
    check(acl, stack) {
      return stack.referrers(acl.address, 'aws_wafv2_web_acl_logging_configuration').length > 0
        ? pass
        : fail('no aws_wafv2_web_acl_logging_configuration');
    },
  },
  {
    id: 'HAF-LOG-005',
    severity: 'error',
    area: 'observability',
    description: 'Buckets log access to the log bucket (the log bucket itself excepted)',
    resourceTypes: ['aws_s3_bucket'],
    fix: 'add an aws_s3_bucket_logging targeting the tenant log bucket under s3/<bucket>/ (ContentBucket logBucket)',
    check(bucket, stack) {
      if (logDestinationRoles(stack, bucket).accessLogs) return notApplicable;
      return verdictOf([bucketConfigs(stack, bucket, 'aws_s3_bucket_logging').length === 0 && 'no aws_s3_bucket_logging']);
    },
  },
  {
    id: 'HAF-LOG-006',
    severity: 'error',
    area: 'observability',
    description: "Every alarm notifies the tenant's alert topic",
    resourceTypes: ['aws_cloudwatch_metric_alarm'],
    fix: 'set alarm_actions (and ok_actions) to the TenantObservability topic, and leave actions_enabled on',
    check(alarm, stack) {
      const actions = strings(alarm.values['alarm_actions']);
      const topics = actions.filter((a) => stack.referenced(a).some((r) => r.type === 'aws_sns_topic'));
      return verdictOf([
        isFalse(alarm.values['actions_enabled']) && 'actions_enabled is false',
        topics.length === 0 && `alarm_actions is ${shown(actions)}: no topic of this stack`,
      ]);
    },
  },
  {
    id: 'HAF-LOG-007',
    severity: 'error',
    area: 'observability',
    description: 'Every alert address in the spec is subscribed to the alert topic',
    resourceTypes: ['aws_sns_topic'],
    fix: 'subscribe each address of spec alerts.emails to the topic (protocol "email")',
    check(topic, stack, { spec }) {
      const alarmed = stack.referrers(topic.address, 'aws_cloudwatch_metric_alarm').length > 0;
      if (!alarmed) return notApplicable;
      const subscribed = new Set(
        stack
          .referrers(topic.address, 'aws_sns_topic_subscription')
          .filter((s) => s.values['protocol'] === 'email')
          .map((s) => s.values['endpoint']),
      );
      const missing = spec.alerts.emails.filter((email) => !subscribed.has(email));
      return verdictOf([missing.length > 0 && `${missing.join(', ')} not subscribed`]);
    },
  },
  {
    id: 'HAF-LOG-008',
    severity: 'error',
    area: 'observability',
    description: 'Databases export their logs to CloudWatch and record Performance Insights',
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster', 'aws_rds_cluster_instance'],
    fix: 'set enabled_cloudwatch_logs_exports (error/slow-query or postgresql logs) and performance_insights_enabled = true',
    check(db) {
      const v = db.values;
      return verdictOf([
        db.type !== 'aws_rds_cluster_instance' && strings(v['enabled_cloudwatch_logs_exports']).length === 0 && 'exports no logs',
        db.type !== 'aws_rds_cluster' && !isTrue(v['performance_insights_enabled']) && 'Performance Insights is off',
      ]);
    },
  },
  {
    id: 'HAF-LOG-009',
    severity: 'error',
    area: 'observability',
    description: "The database's RDS events (failover, failure, maintenance; low storage for an instance) reach the alert topic",
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
    fix: 'add an aws_db_event_subscription for the database (source_type db-instance or db-cluster) with those categories, to the TenantObservability topic',
    check(db, stack) {
      const sourceType = db.type === 'aws_db_instance' ? 'db-instance' : 'db-cluster';
      const wanted =
        sourceType === 'db-instance' ? ['failover', 'failure', 'maintenance', 'low storage'] : ['failover', 'failure', 'maintenance'];
      const subscriptions = stack.referrers(db.address, 'aws_db_event_subscription').filter((s) => s.values['source_type'] === sourceType);
      if (subscriptions.length === 0) return fail(`no ${sourceType} event subscription names it`);
      const categories = new Set(subscriptions.flatMap((s) => strings(s.values['event_categories'])));
      const missing = wanted.filter((c) => !categories.has(c));
      return verdictOf([
        missing.length > 0 && `event categories miss ${missing.join(', ')}`,
        !subscriptions.some((s) => stack.referenced(s.values['sns_topic']).some((r) => r.type === 'aws_sns_topic')) &&
          'no subscription publishes to a topic of this stack',
        subscriptions.some((s) => isFalse(s.values['enabled'])) && 'a subscription is disabled',
      ]);
    },
  },
  {
    id: 'HAF-LOG-010',
    severity: 'error',
    area: 'observability',
    description: 'Every auto scaling group notifies failed launches and terminations to the alert topic',
    resourceTypes: ['aws_autoscaling_group'],
    fix: 'add an aws_autoscaling_notification for the group with autoscaling:EC2_INSTANCE_LAUNCH_ERROR and _TERMINATE_ERROR to the TenantObservability topic',
    check(group, stack) {
      const notifications = stack.referrers(group.address, 'aws_autoscaling_notification');
      if (notifications.length === 0) return fail('no aws_autoscaling_notification names it');
      const kinds = new Set(notifications.flatMap((n) => strings(n.values['notifications'])));
      const missing = ['autoscaling:EC2_INSTANCE_LAUNCH_ERROR', 'autoscaling:EC2_INSTANCE_TERMINATE_ERROR'].filter((k) => !kinds.has(k));
      return verdictOf([
        missing.length > 0 && `not notified: ${missing.join(', ')}`,
        !notifications.some((n) => stack.referenced(n.values['topic_arn']).some((r) => r.type === 'aws_sns_topic')) &&
          'no notification goes to a topic of this stack',
      ]);
    },
  },
  {
    id: 'HAF-LOG-011',
    severity: 'error',
    area: 'observability',
    description:
      "An encrypted alert topic's key lets every publisher of the topic use it (CloudWatch alarms, RDS events, the Auto Scaling service-linked role)",
    resourceTypes: ['aws_sns_topic'],
    fix:
      'add key policy statements allowing kms:GenerateDataKey* and kms:Decrypt to ' +
      'cloudwatch.amazonaws.com, events.rds.amazonaws.com and the AWSServiceRoleForAutoScaling role ' +
      '(TenantKey does)',
    check(topic, stack) {
      const key = stack.referenced(topic.values['kms_master_key_id']).find((r) => r.type === 'aws_kms_key');
      if (!key) return notApplicable;
      const statements = policyStatements(key.values['policy']);
      if (!statements) return fail('the key policy cannot be read');
      const publishers: Array<[string, boolean, (s: PolicyStatement) => boolean]> = [
        [
          'CloudWatch alarms',
          stack.referrers(topic.address, 'aws_cloudwatch_metric_alarm').length > 0,
          (s) => namesService(s, 'cloudwatch.amazonaws.com'),
        ],
        [
          'RDS events',
          stack.referrers(topic.address, 'aws_db_event_subscription').length > 0,
          (s) => namesService(s, 'events.rds.amazonaws.com'),
        ],
        [
          'Auto Scaling notifications',
          stack.referrers(topic.address, 'aws_autoscaling_notification').length > 0,
          (s) => JSON.stringify(s).includes('AWSServiceRoleForAutoScaling'),
        ],
      ];
      return verdictOf(
        publishers.map(
          ([who, publishes, names]) =>
            publishes &&
            !statements.some((s) => s.Effect === 'Allow' && names(s) && allowsTopicKeyUse(s)) &&
            `${who} publish to it, but the key policy does not let them use the key`,
        ),
      );
    },
  },
  {
    id: 'HAF-LOG-012',
    severity: 'error',
    area: 'observability',
    description: 'The web group pages when it stays at its maximum size (the spike headroom is spent)',
    resourceTypes: ['aws_autoscaling_group'],
    fix:
      'add an alarm on AWS/AutoScaling GroupDesiredCapacity >= max_size for 15 minutes, to the alert topic ' +
      '(TenantObservability webAutoScalingGroup.maxCapacity)',
    check(group, stack) {
      const max = num(group.values['max_size']);
      if (!servesLoadBalancer(group) || max === undefined || max === num(group.values['min_size'])) return notApplicable;
      const alarms = alarmsOnMetric(stack, group.address, 'GroupDesiredCapacity').filter((a) => notifiesTopic(stack, a));
      if (alarms.length === 0) return fail('no alarm on GroupDesiredCapacity notifies the alert topic');
      const atMax = alarms.some(
        (a) => a.values['comparison_operator'] === 'GreaterThanOrEqualToThreshold' && num(a.values['threshold']) === max,
      );
      return verdictOf([!atMax && `no alarm fires at GroupDesiredCapacity >= ${max} (max_size)`]);
    },
  },
  {
    id: 'HAF-LOG-013',
    severity: 'error',
    area: 'observability',
    description: 'A heartbeat the instances may put is alarmed, and its silence pages',
    resourceTypes: ['aws_iam_role_policy'],
    fix: 'add an alarm on the heartbeat namespace with treat_missing_data = "breaching", to the alert topic (TenantObservability workerHeartbeat)',
    check(policy, stack) {
      const namespaces = (policyStatements(policy.values['policy']) ?? [])
        .filter((s) => s.Effect !== 'Deny' && strings(s.Action).includes('cloudwatch:PutMetricData'))
        .flatMap((s) => strings(s.Condition?.['StringEquals']?.['cloudwatch:namespace']));
      if (namespaces.length === 0) return notApplicable;
      const alarms = stack.ofType('aws_cloudwatch_metric_alarm');
      return verdictOf(
        namespaces.map((ns) => {
          const watching = alarms.filter((a) => alarmMetrics(a).some((m) => m.namespace === ns) && notifiesTopic(stack, a));
          if (watching.length === 0) return `nothing alarms on ${ns} (the heartbeat is put, but nobody hears it stop)`;
          return (
            !watching.some((a) => a.values['treat_missing_data'] === 'breaching') &&
            `the ${ns} alarm does not treat missing data as breaching: a stopped heartbeat never pages`
          );
        }),
      );
    },
  },
  {
    id: 'HAF-LOG-014',
    severity: 'error',
    area: 'observability',
    description: 'Every NAT gateway alarms on port allocation errors and dropped packets',
    resourceTypes: ['aws_nat_gateway'],
    fix: 'add alarms on AWS/NATGateway ErrorPortAllocation and PacketsDropCount for the gateway, to the alert topic (TenantObservability natGatewayIds)',
    check(nat, stack) {
      return verdictOf(
        ['ErrorPortAllocation', 'PacketsDropCount'].map(
          (metric) =>
            !alarmsOnMetric(stack, nat.address, metric).some((a) => notifiesTopic(stack, a)) &&
            `no alarm on ${metric} notifies the alert topic`,
        ),
      );
    },
  },
  {
    id: 'HAF-LOG-015',
    severity: 'error',
    area: 'observability',
    description: "Every certificate served (the load balancer's, CloudFront's in us-east-1) alarms on ACM days to expiry",
    resourceTypes: ['aws_lb_listener', 'aws_cloudfront_distribution'],
    fix:
      'add an alarm on AWS/CertificateManager DaysToExpiry for the certificate ARN, ' +
      "in the certificate's region, to the alert topic (TenantObservability certificates)",
    check(resource, stack) {
      const arn =
        resource.type === 'aws_lb_listener'
          ? resource.values['certificate_arn']
          : block(resource.values['viewer_certificate'])?.['acm_certificate_arn'];
      if (typeof arn !== 'string' || arn === '') return notApplicable;
      const region = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):/.exec(arn)?.[1];
      const alarms = stack
        .ofType('aws_cloudwatch_metric_alarm')
        .filter(
          (a) =>
            alarmMetrics(a).some((m) => m.metricName === 'DaysToExpiry' && m.dimensions['CertificateArn'] === arn) &&
            notifiesTopic(stack, a),
        );
      if (alarms.length === 0) return fail(`no alarm on DaysToExpiry of ${arn} notifies an alert topic`);
      return verdictOf([
        region !== undefined &&
          !alarms.some((a) => resourceRegion(stack, a) === region) &&
          `the expiry alarm is not in ${region}, where ACM publishes the certificate's metric`,
      ]);
    },
  },
  {
    id: 'HAF-LOG-016',
    severity: 'error',
    area: 'observability',
    description: 'Every web ACL alarms on a surge of blocked requests (regional ACLs in their region, CloudFront ACLs in us-east-1)',
    resourceTypes: ['aws_wafv2_web_acl'],
    fix: 'add an anomaly-detection alarm on AWS/WAFV2 BlockedRequests (WebACL = the ACL name, Rule = ALL), to the alert topic (TenantObservability webAcls)',
    check(acl, stack) {
      const alarms = alarmsOnMetric(stack, acl.address, 'BlockedRequests').filter((a) => notifiesTopic(stack, a));
      if (alarms.length === 0) return fail('no alarm on BlockedRequests notifies the alert topic');
      const region = acl.values['scope'] === 'CLOUDFRONT' ? 'us-east-1' : resourceRegion(stack, acl);
      return verdictOf([
        !alarms.some((a) => resourceRegion(stack, a) === region) &&
          `its BlockedRequests alarm is not in ${shown(region)}, where the metric is published`,
      ]);
    },
  },
  {
    id: 'HAF-LOG-017',
    severity: 'error',
    area: 'observability',
    description: "The site's deep health page is checked over HTTPS on the tenant's domain by Route 53, and a failure pages from us-east-1",
    resourceTypes: ['aws_lb'],
    fix:
      'add an aws_route53_health_check (HTTPS, fqdn = spec domain, ' +
      'resource_path = profile health.deepPath) and an alarm on its HealthCheckStatus in us-east-1 ' +
      '(TenantObservability deepHealthCheck)',
    check(lb, stack, { spec }) {
      if (isTrue(lb.values['internal'])) return notApplicable;
      const deepPath = applicationProfile(spec.app.profile).health.deepPath;
      const checks = stack.ofType('aws_route53_health_check').filter((c) => c.values['fqdn'] === spec.domain);
      if (checks.length === 0) return fail(`no Route 53 health check on ${spec.domain}`);
      const deep = checks.filter((c) => c.values['type'] === 'HTTPS' && c.values['resource_path'] === deepPath);
      if (deep.length === 0) return fail(`no HTTPS health check on ${spec.domain}${deepPath} (the profile's deep path)`);
      const paged = deep.some((c) =>
        alarmsOnMetric(stack, c.address, 'HealthCheckStatus').some(
          (a) => notifiesTopic(stack, a) && resourceRegion(stack, a) === 'us-east-1',
        ),
      );
      return verdictOf([!paged && 'no alarm in us-east-1 on its HealthCheckStatus notifies an alert topic']);
    },
  },
  {
    id: 'HAF-LOG-018',
    severity: 'error',
    area: 'observability',
    description:
      'VPC flow logs go where the spec says and are kept exactly as long (S3 by a lifecycle rule of their prefix, CloudWatch by the group retention)',
    resourceTypes: ['aws_flow_log'],
    fix:
      'follow spec observability.flowLogs: ' +
      'S3 with an expiration rule of retentionDays on the flow-log prefix (LogBucket flowLogs), ' +
      'or a log group retaining retentionDays',
    check(flowLog, stack, { spec }) {
      const { destination, retentionDays } = spec.observability.flowLogs;
      const type = flowLog.values['log_destination_type'] ?? 'cloud-watch-logs';
      if (destination === 'cloudwatch') {
        if (type !== 'cloud-watch-logs') return fail(`log_destination_type is ${shown(type)}, the spec says cloudwatch`);
        const group = stack.referenced(flowLog.values['log_destination']).find((r) => r.type === 'aws_cloudwatch_log_group');
        const kept = num(group?.values['retention_in_days']);
        return verdictOf([kept !== retentionDays && `the log group keeps them ${shown(kept)} days, the spec says ${retentionDays}`]);
      }
      if (type !== 's3') return fail(`log_destination_type is ${shown(type)}, the spec says s3`);
      const destinationText = String(flowLog.values['log_destination'] ?? '');
      const bucket = stack.referenced(destinationText).find((r) => r.type === 'aws_s3_bucket');
      if (!bucket) return fail('log_destination is not a bucket of this stack');
      const prefix = `${destinationText.split('/').slice(1).join('/')}/`;
      const rules = bucketConfigs(stack, bucket, 'aws_s3_bucket_lifecycle_configuration').flatMap((c) => blocks(c.values['rule']));
      const covering = rules.filter((r) => r['status'] === 'Enabled' && prefix.startsWith(String(block(r['filter'])?.['prefix'] ?? '')));
      const days = covering.map((r) => num(block(r['expiration'])?.['days'])).filter((d): d is number => d !== undefined);
      const kept = days.length > 0 ? Math.min(...days) : undefined;
      return verdictOf([
        kept !== retentionDays && `objects under ${prefix} expire after ${shown(kept)} days, the spec says ${retentionDays}`,
      ]);
    },
  },
  {
    id: 'HAF-LOG-019',
    severity: 'error',
    area: 'observability',
    description:
      'Every Shield Advanced protection alarms when Shield detects a DDoS on its resource (in the resource region; us-east-1 for CloudFront)',
    resourceTypes: ['aws_shield_protection'],
    fix: 'add an alarm on AWS/DDoSProtection DDoSDetected (ResourceArn = the protected ARN) to the alert topic (TenantObservability shieldProtections)',
    check(protection, stack) {
      const arn = protection.values['resource_arn'];
      if (typeof arn !== 'string' || arn === '') return notApplicable;
      const alarms = stack
        .ofType('aws_cloudwatch_metric_alarm')
        .filter(
          (a) =>
            alarmMetrics(a).some((m) => m.metricName === 'DDoSDetected' && m.dimensions['ResourceArn'] === arn) && notifiesTopic(stack, a),
        );
      if (alarms.length === 0) return fail(`no alarm on DDoSDetected of ${arn} notifies an alert topic`);
      const global = stack.referenced(arn).some((r) => r.type === 'aws_cloudfront_distribution') || /^arn:aws[a-z-]*:cloudfront:/.test(arn);
      const region = global ? 'us-east-1' : resourceRegion(stack, protection);
      return verdictOf([
        !alarms.some((a) => resourceRegion(stack, a) === region) &&
          `the DDoS alarm is not in ${shown(region)}, where Shield publishes the metric`,
      ]);
    },
  },
];

const namesService = (statement: PolicyStatement, service: string): boolean => {
  const principal = statement.Principal;
  return (
    typeof principal === 'object' && principal !== null && strings((principal as Record<string, unknown>)['Service']).includes(service)
  );
};

/** SNS asks for a data key to encrypt and decrypts to deliver: both actions must be allowed. */
function allowsTopicKeyUse(statement: PolicyStatement): boolean {
  const actions = strings(statement.Action);
  const allows = (action: string) =>
    actions.some((a) => a === action || a === 'kms:*' || (a.endsWith('*') && action.startsWith(a.slice(0, -1))));
  return allows('kms:GenerateDataKey') && allows('kms:Decrypt');
}
