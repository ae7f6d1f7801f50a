import { fail, notApplicable, pass, verdictOf, type PolicyRule } from '../rule.js';
import { block, blocks, bucketConfigs, isFalse, isTrue, logDestinationRoles, shown, strings } from './support.js';

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
      return verdictOf([!logs.some((l) => l.values['traffic_type'] === 'ALL') && `flow logs record only ${shown(logs.map((l) => l.values['traffic_type']))}`]);
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
    description: "CloudFront delivers standard logs (v2) to a bucket of the tenant",
    resourceTypes: ['aws_cloudfront_distribution'],
    fix: 'add an aws_cloudwatch_log_delivery_source (ACCESS_LOGS of the distribution, us-east-1), a delivery destination on the tenant log bucket and an aws_cloudwatch_log_delivery joining them (ContentDelivery logBucket)',
    check(distribution, stack) {
      const sources = stack.referrers(distribution.address, 'aws_cloudwatch_log_delivery_source').filter((s) => s.values['log_type'] === 'ACCESS_LOGS');
      if (sources.length === 0) return fail('no ACCESS_LOGS delivery source for the distribution');
      const deliveries = sources.flatMap((source) => stack.referrers(source.address, 'aws_cloudwatch_log_delivery'));
      const toBucket = deliveries.some((delivery) =>
        stack
          .referenced(delivery.values['delivery_destination_arn'])
          .filter((d) => d.type === 'aws_cloudwatch_log_delivery_destination')
          .some((d) => blocks(d.values['delivery_destination_configuration']).some((c) => stack.referencedThrough(c['destination_resource_arn'], 'aws_s3_bucket').length > 0)),
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
      return stack.referrers(acl.address, 'aws_wafv2_web_acl_logging_configuration').length > 0 ? pass : fail('no aws_wafv2_web_acl_logging_configuration');
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
];
