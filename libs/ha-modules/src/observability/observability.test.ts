import { describe, expect, it } from 'vitest';
import type { Construct } from 'constructs';
import { offlineAwsProvider, offlineUsEast1Provider } from '../testing/offline.js';
import { createdCounts, describeWithTerraform, expectOnlyCreates, planOffline } from '../testing/plan-offline.js';
import { policyOf } from '../testing/policy.js';
import { addOutputs, synthesize, testStack, type SynthResource } from '../testing/synth.js';
import { ACCOUNT_ID, KMS_KEY_ARN } from '../testing/values.js';
import { TenantKey } from '../keys/tenant-key.js';
import { TenantObservability, type TenantObservabilityProps, type UsEast1Placement } from './observability.js';

/** us-east-1 as the stack gives it: its provider and the tenant's key there. */
function usEast1Placement(scope: Construct): UsEast1Placement {
  const provider = offlineUsEast1Provider(scope);
  const key = new TenantKey(scope, 'us-east-1-key', { name: 'acme-us-east-1', accountId: ACCOUNT_ID, region: 'us-east-1', provider });
  return { provider, kmsKeyArn: key.keyArn };
}

const ALB = 'app/acme-alb/0123456789abcdef';
const TARGET_GROUP = 'targetgroup/acme-web/fedcba9876543210';
const GIB = 1024 ** 3;

const minimal = (overrides: Partial<TenantObservabilityProps> = {}): TenantObservabilityProps => ({
  name: 'acme',
  accountId: ACCOUNT_ID,
  region: 'eu-west-1',
  kmsKeyArn: KMS_KEY_ARN,
  alertEmails: ['ops@example.com', 'Dean@Uni.example.edu'],
  ...overrides,
});

/** Every tier watched; the database is an Aurora cluster with two readers. */
const full = (overrides: Partial<TenantObservabilityProps> = {}): TenantObservabilityProps =>
  minimal({
    loadBalancer: { arnSuffix: ALB, targetGroupArnSuffix: TARGET_GROUP },
    webAutoScalingGroup: { name: 'acme-web', minCapacity: 2, maxCapacity: 6 },
    database: { kind: 'cluster', identifier: 'acme-db', readerIdentifiers: ['acme-db-reader-1', 'acme-db-reader-2'] },
    cache: { replicationGroupId: 'acme-sessions', memberClusterIds: ['acme-sessions-001', 'acme-sessions-002', 'acme-sessions-003'] },
    fileSystem: { id: 'fs-0123456789abcdef0' },
    ...overrides,
  });

const ALB_CERTIFICATE = `arn:aws:acm:eu-west-1:${ACCOUNT_ID}:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`;
const CDN_CERTIFICATE = `arn:aws:acm:us-east-1:${ACCOUNT_ID}:certificate/1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d`;
const HEARTBEAT = { namespace: 'Hafleet/Worker', metricName: 'CronHeartbeat', dimensions: { Tenant: 'acme' }, everyMinutes: 1 };

/** Every tier and every on-call watch, with the us-east-1 provider the global alarms need. */
const onCall =
  (overrides: Partial<TenantObservabilityProps> = {}) =>
  (scope: Construct): TenantObservabilityProps =>
    full({
      database: {
        kind: 'cluster',
        identifier: 'acme-db',
        readerIdentifiers: ['acme-db-reader-1'],
        instanceIdentifiers: ['acme-db-writer', 'acme-db-reader-1'],
      },
      workerHeartbeat: HEARTBEAT,
      natGatewayIds: ['nat-0aaaaaaaaaaaaaaaa', 'nat-0bbbbbbbbbbbbbbbb'],
      certificates: [
        { id: 'alb', arn: ALB_CERTIFICATE, usedBy: 'the load balancer' },
        { id: 'cdn', arn: CDN_CERTIFICATE, usedBy: 'the CDN', global: true },
      ],
      webAcls: [
        { id: 'alb', name: 'acme-alb', scope: 'REGIONAL' },
        { id: 'cdn', name: 'acme-cdn', scope: 'CLOUDFRONT' },
      ],
      deepHealthCheck: { domain: 'learn.acme.example', path: '/hafleet-deep-health' },
      autoScalingGroupNames: { web: 'acme-web', worker: 'acme-worker' },
      // Only when the case does not replace it: the placement creates the key.
      ...('usEast1' in overrides ? {} : { usEast1: usEast1Placement(scope) }),
      ...overrides,
    });

function synthObservability(given: TenantObservabilityProps | ((scope: Construct) => TenantObservabilityProps)) {
  const { resources, outputs } = synthesize(
    testStack((scope) => {
      const props = typeof given === 'function' ? given(scope) : given;
      addOutputs(scope, new TenantObservability(scope, 'observability', props), ['topicArn', 'alarmNames', 'dashboardName']);
    }),
  );
  const [topicId, topic] = Object.entries(resources('aws_sns_topic')).find(([, t]) => t['provider'] === undefined)!;
  const topicArn = `\${aws_sns_topic.${topicId}.arn}`;
  const alarms = Object.values(resources('aws_cloudwatch_metric_alarm'));
  const alarm = (name: string): SynthResource => {
    const found = alarms.find((a) => a['alarm_name'] === name);
    if (!found) throw new Error(`no alarm ${name}; have ${alarms.map((a) => a['alarm_name']).join(', ')}`);
    return found;
  };
  const dashboards = Object.values(resources('aws_cloudwatch_dashboard'));
  expect(dashboards).toHaveLength(1);
  const dashboard = dashboards[0]!;
  const body = JSON.parse(dashboard['dashboard_body'] as string) as { widgets: { type: string; properties: Record<string, unknown> }[] };
  return { resources, outputs, topic, topicArn, alarms, alarm, dashboard, body };
}

const names = (alarms: SynthResource[]) => alarms.map((a) => a['alarm_name'] as string).sort();

describe('TenantObservability', () => {
  describe('alert topic', () => {
    it("is encrypted with the tenant's key", () => {
      const { topic } = synthObservability(minimal());
      expect(topic).toMatchObject({ name: 'acme-alerts', kms_master_key_id: KMS_KEY_ARN });
    });

    it("lets only the tenant's own CloudWatch alarms publish, and the account manage it", () => {
      const { resources, topicArn } = synthObservability(minimal());
      const policies = Object.values(resources('aws_sns_topic_policy'));
      expect(policies).toHaveLength(1);
      expect(policies[0]!['arn']).toBe(topicArn);
      const policy = policyOf(policies[0]!);
      expect(policy.Statement).toEqual([
        {
          Sid: 'AccountManagesTopic',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
          Action: [
            'sns:GetTopicAttributes',
            'sns:SetTopicAttributes',
            'sns:AddPermission',
            'sns:RemovePermission',
            'sns:DeleteTopic',
            'sns:Subscribe',
            'sns:ListSubscriptionsByTopic',
          ],
          Resource: topicArn,
        },
        {
          Sid: 'TenantAlarmsPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: topicArn,
          Condition: {
            StringEquals: { 'aws:SourceAccount': ACCOUNT_ID },
            ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:eu-west-1:${ACCOUNT_ID}:alarm:acme-*` },
          },
        },
      ]);
    });

    it('subscribes every owner address by email', () => {
      const { resources, topicArn } = synthObservability(minimal());
      const subscriptions = Object.values(resources('aws_sns_topic_subscription'));
      expect(subscriptions).toHaveLength(2);
      expect(subscriptions).toEqual(
        expect.arrayContaining([
          { topic_arn: topicArn, protocol: 'email', endpoint: 'ops@example.com' },
          { topic_arn: topicArn, protocol: 'email', endpoint: 'Dean@Uni.example.edu' },
        ]),
      );
    });
  });

  describe('alarms', () => {
    it('watches nothing until a tier is given', () => {
      const { alarms, body, outputs } = synthObservability(minimal());
      expect(alarms).toEqual([]);
      expect(body.widgets).toEqual([]);
      expect(outputs['alarmNames']).toEqual([]);
    });

    it('covers every tier, each alarm named after the tenant', () => {
      const { alarms } = synthObservability(full());
      expect(names(alarms)).toEqual(
        [
          'alb-5xx-rate',
          'alb-response-time',
          'alb-unhealthy-hosts',
          'web-in-service',
          'web-at-maximum',
          'db-writer-cpu',
          'db-writer-connections',
          'db-writer-free-local-storage',
          'db-reader-1-cpu',
          'db-reader-1-connections',
          'db-reader-1-free-local-storage',
          'db-reader-1-replica-lag',
          'db-reader-2-cpu',
          'db-reader-2-connections',
          'db-reader-2-free-local-storage',
          'db-reader-2-replica-lag',
          'cache-node-1-memory',
          'cache-node-1-evictions',
          'cache-node-2-memory',
          'cache-node-2-evictions',
          'cache-node-3-memory',
          'cache-node-3-evictions',
          'efs-io-limit',
        ]
          .map((suffix) => `acme-${suffix}`)
          .sort(),
      );
    });

    it('notifies the topic of every alarm and every recovery, and needs every evaluated period to breach', () => {
      const { alarms, topicArn } = synthObservability(full());
      for (const alarm of alarms) {
        expect(alarm, alarm['alarm_name'] as string).toMatchObject({
          actions_enabled: true,
          alarm_actions: [topicArn],
          ok_actions: [topicArn],
        });
        expect(alarm['datapoints_to_alarm']).toBe(alarm['evaluation_periods']);
        expect(alarm['insufficient_data_actions']).toBeUndefined();
        expect(alarm['alarm_description']).toBeTruthy();
      }
    });

    it('treats missing data by what silence means for each metric', () => {
      const { alarms } = synthObservability(full());
      const treatment = Object.fromEntries(alarms.map((a) => [a['alarm_name'], a['treat_missing_data']]));
      expect(treatment).toMatchObject({
        'acme-alb-5xx-rate': 'notBreaching',
        'acme-alb-unhealthy-hosts': 'notBreaching',
        'acme-alb-response-time': 'notBreaching',
        'acme-web-in-service': 'breaching',
        'acme-web-at-maximum': 'notBreaching',
        'acme-db-writer-cpu': 'missing',
        'acme-db-writer-connections': 'missing',
        'acme-db-writer-free-local-storage': 'missing',
        'acme-db-reader-1-replica-lag': 'missing',
        'acme-cache-node-1-memory': 'missing',
        'acme-cache-node-1-evictions': 'notBreaching',
        'acme-efs-io-limit': 'notBreaching',
      });
    });

    describe('load balancer', () => {
      it('alarms when more than 5 % of requests get a 5xx, counting the ones the load balancer answers itself', () => {
        const alarm = synthObservability(full()).alarm('acme-alb-5xx-rate');
        expect(alarm).toMatchObject({ comparison_operator: 'GreaterThanThreshold', threshold: 5, evaluation_periods: 5 });
        expect(alarm['metric_name']).toBeUndefined();
        const queries = alarm['metric_query'] as SynthResource[];
        const metric = (id: string) => queries.find((q) => q['id'] === id)!;
        for (const [id, metricName] of [
          ['requests', 'RequestCount'],
          ['elb5xx', 'HTTPCode_ELB_5XX_Count'],
          ['target5xx', 'HTTPCode_Target_5XX_Count'],
        ]) {
          expect(metric(id!)).toEqual({
            id,
            return_data: false,
            metric: {
              namespace: 'AWS/ApplicationELB',
              metric_name: metricName,
              dimensions: { LoadBalancer: ALB },
              stat: 'Sum',
              period: 60,
            },
          });
        }
        const result = queries.filter((q) => q['return_data'] === true);
        expect(result).toHaveLength(1);
        expect(result[0]!['expression']).toBe(
          'IF((FILL(requests, 0) + FILL(elb5xx, 0)) > 0, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / (FILL(requests, 0) + FILL(elb5xx, 0)), 0)',
        );
      });

      it('alarms on unhealthy instances in the target group', () => {
        expect(synthObservability(full()).alarm('acme-alb-unhealthy-hosts')).toMatchObject({
          namespace: 'AWS/ApplicationELB',
          metric_name: 'UnHealthyHostCount',
          dimensions: { LoadBalancer: ALB, TargetGroup: TARGET_GROUP },
          statistic: 'Maximum',
          comparison_operator: 'GreaterThanThreshold',
          threshold: 0,
        });
      });

      it('alarms on the p95 target response time, 2 s unless told otherwise', () => {
        const expected = {
          metric_name: 'TargetResponseTime',
          dimensions: { LoadBalancer: ALB, TargetGroup: TARGET_GROUP },
          extended_statistic: 'p95',
          comparison_operator: 'GreaterThanThreshold',
          period: 60,
        };
        const byDefault = synthObservability(full()).alarm('acme-alb-response-time');
        expect(byDefault).toMatchObject({ ...expected, threshold: 2 });
        expect(byDefault['statistic']).toBeUndefined();
        const custom = full({ loadBalancer: { arnSuffix: ALB, targetGroupArnSuffix: TARGET_GROUP, targetResponseTimeSeconds: 0.8 } });
        expect(synthObservability(custom).alarm('acme-alb-response-time')).toMatchObject({ ...expected, threshold: 0.8 });
      });
    });

    it('alarms when the web tier runs fewer instances than its minimum for 10 minutes', () => {
      expect(synthObservability(full()).alarm('acme-web-in-service')).toMatchObject({
        namespace: 'AWS/AutoScaling',
        metric_name: 'GroupInServiceInstances',
        dimensions: { AutoScalingGroupName: 'acme-web' },
        statistic: 'Minimum',
        comparison_operator: 'LessThanThreshold',
        threshold: 2,
        period: 60,
        evaluation_periods: 10,
      });
    });

    describe('database', () => {
      it('watches the Aurora writer through its role, so the alarms follow it across failovers', () => {
        const { alarm } = synthObservability(full());
        const writer = { DBClusterIdentifier: 'acme-db', Role: 'WRITER' };
        expect(alarm('acme-db-writer-cpu')).toMatchObject({
          namespace: 'AWS/RDS',
          metric_name: 'CPUUtilization',
          dimensions: writer,
          statistic: 'Average',
          comparison_operator: 'GreaterThanThreshold',
          threshold: 80,
          period: 300,
          evaluation_periods: 3,
        });
        expect(alarm('acme-db-writer-free-local-storage')).toMatchObject({
          metric_name: 'FreeLocalStorage',
          dimensions: writer,
          statistic: 'Minimum',
          comparison_operator: 'LessThanThreshold',
          threshold: 2 * GIB,
        });
      });

      it('watches each Aurora reader, including its replica lag', () => {
        const { alarm } = synthObservability(full());
        for (const [index, reader] of [
          [1, 'acme-db-reader-1'],
          [2, 'acme-db-reader-2'],
        ] as const) {
          const dimensions = { DBInstanceIdentifier: reader };
          expect(alarm(`acme-db-reader-${index}-cpu`)).toMatchObject({ metric_name: 'CPUUtilization', dimensions, threshold: 80 });
          expect(alarm(`acme-db-reader-${index}-free-local-storage`)).toMatchObject({ metric_name: 'FreeLocalStorage', dimensions });
          expect(alarm(`acme-db-reader-${index}-replica-lag`)).toMatchObject({
            metric_name: 'AuroraReplicaLag',
            dimensions,
            statistic: 'Average',
            comparison_operator: 'GreaterThanThreshold',
            threshold: 1000,
          });
        }
      });

      it('alarms on connections above the band anomaly detection learns, as max_connections depends on the class', () => {
        const alarm = synthObservability(full()).alarm('acme-db-writer-connections');
        expect(alarm).toMatchObject({ comparison_operator: 'GreaterThanUpperThreshold', threshold_metric_id: 'band' });
        expect(alarm['threshold']).toBeUndefined();
        expect(alarm['metric_query']).toEqual([
          {
            id: 'value',
            return_data: true,
            metric: {
              namespace: 'AWS/RDS',
              metric_name: 'DatabaseConnections',
              dimensions: { DBClusterIdentifier: 'acme-db', Role: 'WRITER' },
              stat: 'Average',
              period: 300,
            },
          },
          { id: 'band', expression: 'ANOMALY_DETECTION_BAND(value, 3)', label: 'expected', return_data: true },
        ]);
      });

      it('watches a Multi-AZ instance by its identifier, with free storage under 10 % of what is allocated', () => {
        const { alarms, alarm } = synthObservability(
          minimal({ database: { kind: 'instance', identifier: 'acme-db', allocatedStorageGiB: 100, readerIdentifiers: [] } }),
        );
        expect(names(alarms)).toEqual(['acme-db-connections', 'acme-db-cpu', 'acme-db-free-storage']);
        const dimensions = { DBInstanceIdentifier: 'acme-db' };
        expect(alarm('acme-db-cpu')).toMatchObject({ metric_name: 'CPUUtilization', dimensions, threshold: 80 });
        expect(alarm('acme-db-free-storage')).toMatchObject({
          metric_name: 'FreeStorageSpace',
          dimensions,
          statistic: 'Minimum',
          comparison_operator: 'LessThanThreshold',
          threshold: 10 * GIB,
        });
        expect((alarm('acme-db-connections')['metric_query'] as SynthResource[])[0]).toMatchObject({
          metric: { metric_name: 'DatabaseConnections', dimensions },
        });
      });
    });

    describe('cache', () => {
      it('watches memory and sustained evictions on every member node', () => {
        const { alarm } = synthObservability(full());
        for (const index of [1, 2, 3]) {
          const dimensions = { CacheClusterId: `acme-sessions-00${index}` };
          expect(alarm(`acme-cache-node-${index}-memory`)).toMatchObject({
            namespace: 'AWS/ElastiCache',
            metric_name: 'DatabaseMemoryUsagePercentage',
            dimensions,
            comparison_operator: 'GreaterThanThreshold',
            threshold: 80,
          });
          expect(alarm(`acme-cache-node-${index}-evictions`)).toMatchObject({
            metric_name: 'Evictions',
            dimensions,
            statistic: 'Sum',
            comparison_operator: 'GreaterThanThreshold',
            threshold: 0,
            period: 300,
            evaluation_periods: 3,
          });
        }
      });

      it('defaults to the primary and first replica ElastiCache names', () => {
        const { alarms } = synthObservability(minimal({ cache: { replicationGroupId: 'acme-sessions' } }));
        expect(alarms.map((a) => (a['dimensions'] as Record<string, string>)['CacheClusterId']).sort()).toEqual([
          'acme-sessions-001',
          'acme-sessions-001',
          'acme-sessions-002',
          'acme-sessions-002',
        ]);
      });
    });

    it('alarms when the file system nears the General Purpose I/O limit (no burst credits with Elastic throughput)', () => {
      const { alarms, alarm } = synthObservability(minimal({ fileSystem: { id: 'fs-0123456789abcdef0' } }));
      expect(alarms).toHaveLength(1);
      expect(alarm('acme-efs-io-limit')).toMatchObject({
        namespace: 'AWS/EFS',
        metric_name: 'PercentIOLimit',
        dimensions: { FileSystemId: 'fs-0123456789abcdef0' },
        comparison_operator: 'GreaterThanThreshold',
        threshold: 90,
      });
      expect(JSON.stringify(alarms)).not.toContain('BurstCreditBalance');
    });
  });

  describe('events', () => {
    it('lets RDS events of the account and region publish to the topic once a database is watched', () => {
      const { resources, topicArn } = synthObservability(full());
      const policy = policyOf(Object.values(resources('aws_sns_topic_policy'))[0]!);
      expect(policy.Statement.find((s) => s.Sid === 'DatabaseEventsPublish')).toEqual({
        Sid: 'DatabaseEventsPublish',
        Effect: 'Allow',
        Principal: { Service: 'events.rds.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: {
          StringEquals: { 'aws:SourceAccount': ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:aws:rds:eu-west-1:${ACCOUNT_ID}:*` },
        },
      });
    });

    it('subscribes a Multi-AZ instance to failover, failure, maintenance, low storage and availability events', () => {
      const { resources, topicArn } = synthObservability(
        minimal({ database: { kind: 'instance', identifier: 'acme-db', allocatedStorageGiB: 50 } }),
      );
      expect(Object.values(resources('aws_db_event_subscription'))).toEqual([
        expect.objectContaining({
          name: 'acme-db-events',
          sns_topic: topicArn,
          source_type: 'db-instance',
          source_ids: ['acme-db'],
          event_categories: ['availability', 'failover', 'failure', 'low storage', 'maintenance', 'notification'],
          enabled: true,
        }),
      ]);
    });

    it('subscribes an Aurora cluster to its cluster events, and its instances to the instance events a cluster does not have (low storage)', () => {
      const { resources, topicArn } = synthObservability(onCall());
      const subscriptions = Object.values(resources('aws_db_event_subscription'));
      expect(subscriptions).toEqual([
        expect.objectContaining({
          source_type: 'db-cluster',
          source_ids: ['acme-db'],
          event_categories: ['failover', 'failure', 'maintenance', 'notification'],
          sns_topic: topicArn,
        }),
        expect.objectContaining({
          source_type: 'db-instance',
          source_ids: ['acme-db-writer', 'acme-db-reader-1'],
          event_categories: ['availability', 'failure', 'low storage', 'maintenance'],
          sns_topic: topicArn,
        }),
      ]);
    });

    it('notifies failed launches and terminations of every group given, to the topic', () => {
      const { resources, topicArn } = synthObservability(onCall());
      const notifications = Object.values(resources('aws_autoscaling_notification'));
      expect(notifications.map((n) => n['group_names'])).toEqual([['acme-web'], ['acme-worker']]);
      for (const n of notifications) {
        expect(n).toMatchObject({
          topic_arn: topicArn,
          notifications: ['autoscaling:EC2_INSTANCE_LAUNCH_ERROR', 'autoscaling:EC2_INSTANCE_TERMINATE_ERROR'],
        });
      }
    });
  });

  describe('on-call alarms', () => {
    it('pages when the web group wanted its maximum for 15 minutes, and not for a group fixed at one size', () => {
      const { alarm } = synthObservability(full());
      expect(alarm('acme-web-at-maximum')).toMatchObject({
        namespace: 'AWS/AutoScaling',
        metric_name: 'GroupDesiredCapacity',
        dimensions: { AutoScalingGroupName: 'acme-web' },
        statistic: 'Minimum',
        comparison_operator: 'GreaterThanOrEqualToThreshold',
        threshold: 6,
        period: 60,
        evaluation_periods: 15,
      });
      const fixed = synthObservability(minimal({ webAutoScalingGroup: { name: 'acme-web', minCapacity: 2, maxCapacity: 2 } }));
      expect(names(fixed.alarms)).toEqual(['acme-web-in-service']);
    });

    it('pages when the worker heartbeat falls silent: missing data is breaching, at least 15 minutes, longer for a slower cron', () => {
      const { alarm } = synthObservability(minimal({ workerHeartbeat: HEARTBEAT }));
      expect(alarm('acme-worker-heartbeat')).toMatchObject({
        namespace: 'Hafleet/Worker',
        metric_name: 'CronHeartbeat',
        dimensions: { Tenant: 'acme' },
        statistic: 'Sum',
        comparison_operator: 'LessThanThreshold',
        threshold: 1,
        period: 300,
        evaluation_periods: 3,
        treat_missing_data: 'breaching',
      });
      const slow = synthObservability(minimal({ workerHeartbeat: { ...HEARTBEAT, everyMinutes: 10 } }));
      expect(slow.alarm('acme-worker-heartbeat')).toMatchObject({ period: 600, evaluation_periods: 3 });
    });

    it('watches each NAT gateway for port allocation errors and for more than 0.01 % of packets dropped', () => {
      const { alarm, alarms } = synthObservability(onCall());
      expect(names(alarms).filter((n) => n.includes('-nat-'))).toEqual([
        'acme-nat-1-packets-dropped',
        'acme-nat-1-port-allocation',
        'acme-nat-2-packets-dropped',
        'acme-nat-2-port-allocation',
      ]);
      expect(alarm('acme-nat-2-port-allocation')).toMatchObject({
        namespace: 'AWS/NATGateway',
        metric_name: 'ErrorPortAllocation',
        dimensions: { NatGatewayId: 'nat-0bbbbbbbbbbbbbbbb' },
        comparison_operator: 'GreaterThanThreshold',
        threshold: 0,
        evaluation_periods: 5,
      });
      const dropped = alarm('acme-nat-1-packets-dropped');
      expect(dropped).toMatchObject({ comparison_operator: 'GreaterThanThreshold', threshold: 0.01 });
      const queries = dropped['metric_query'] as Array<Record<string, any>>;
      expect(queries.filter((q) => q['metric']).map((q) => q['metric'].metric_name)).toEqual([
        'PacketsDropCount',
        'PacketsInFromSource',
        'PacketsInFromDestination',
      ]);
      expect(queries.at(-1)!['expression']).toContain('100 * FILL(dropped, 0)');
    });

    it("alarms under 45 days to certificate expiry: the load balancer's in the tenant's region, CloudFront's in us-east-1", () => {
      const { alarm } = synthObservability(onCall());
      const expiry = {
        namespace: 'AWS/CertificateManager',
        metric_name: 'DaysToExpiry',
        statistic: 'Minimum',
        comparison_operator: 'LessThanThreshold',
        threshold: 45,
        period: 86400,
      };
      expect(alarm('acme-certificate-alb-expiry')).toMatchObject({ ...expiry, dimensions: { CertificateArn: ALB_CERTIFICATE } });
      expect(alarm('acme-certificate-alb-expiry')['provider']).toBeUndefined();
      expect(alarm('acme-certificate-cdn-expiry')).toMatchObject({
        ...expiry,
        dimensions: { CertificateArn: CDN_CERTIFICATE },
        provider: 'aws.us_east_1',
      });
    });

    it("alarms at once when Shield Advanced detects a DDoS: the load balancer's in the tenant's region, CloudFront's in us-east-1", () => {
      const ALB_ARN = `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT_ID}:loadbalancer/app/acme/0123456789abcdef`;
      const DISTRIBUTION_ARN = `arn:aws:cloudfront::${ACCOUNT_ID}:distribution/E2QWRUHAPOMQZL`;
      const { alarm, alarms } = synthObservability(
        onCall({
          shieldProtections: [
            { id: 'alb', resourceArn: ALB_ARN, usedBy: 'the load balancer' },
            { id: 'cdn', resourceArn: DISTRIBUTION_ARN, usedBy: 'the CDN', global: true },
          ],
        }),
      );
      const detected = {
        namespace: 'AWS/DDoSProtection',
        metric_name: 'DDoSDetected',
        statistic: 'Maximum',
        comparison_operator: 'GreaterThanOrEqualToThreshold',
        threshold: 1,
        period: 60,
        evaluation_periods: 1,
        treat_missing_data: 'notBreaching',
      };
      expect(alarm('acme-ddos-alb-detected')).toMatchObject({ ...detected, dimensions: { ResourceArn: ALB_ARN } });
      expect(alarm('acme-ddos-alb-detected')['provider']).toBeUndefined();
      expect(alarm('acme-ddos-cdn-detected')).toMatchObject({
        ...detected,
        dimensions: { ResourceArn: DISTRIBUTION_ARN },
        provider: 'aws.us_east_1',
      });
      // Without Shield Advanced there is nothing to detect with: no alarm.
      expect(names(alarms).filter((n) => n.includes('ddos'))).toHaveLength(2);
      expect(names(synthObservability(onCall()).alarms).filter((n) => n.includes('ddos'))).toEqual([]);
    });

    it('alarms on a surge of blocked requests above the learned band, per web ACL, with the dimensions WAF publishes per scope', () => {
      const { alarm } = synthObservability(onCall());
      const metricOf = (a: SynthResource) => (a['metric_query'] as Array<Record<string, any>>)[0]!['metric'];
      const regional = alarm('acme-waf-alb-blocked-surge');
      expect(regional).toMatchObject({ comparison_operator: 'GreaterThanUpperThreshold', threshold_metric_id: 'band' });
      expect(metricOf(regional)).toMatchObject({
        namespace: 'AWS/WAFV2',
        metric_name: 'BlockedRequests',
        dimensions: { WebACL: 'acme-alb', Region: 'eu-west-1', Rule: 'ALL' },
        stat: 'Sum',
      });
      const cloudFront = alarm('acme-waf-cdn-blocked-surge');
      expect(cloudFront['provider']).toBe('aws.us_east_1');
      expect(metricOf(cloudFront).dimensions).toEqual({ WebACL: 'acme-cdn', Rule: 'ALL' });
    });

    it('checks the deep health page over HTTPS on the public name from Route 53, and pages from us-east-1 where its status is published', () => {
      const { resources, alarm } = synthObservability(onCall());
      const [[checkId, check]] = Object.entries(resources('aws_route53_health_check')) as [[string, SynthResource]];
      expect(check).toMatchObject({
        type: 'HTTPS',
        fqdn: 'learn.acme.example',
        port: 443,
        resource_path: '/hafleet-deep-health',
        enable_sni: true,
        failure_threshold: 3,
        request_interval: 30,
      });
      expect(alarm('acme-deep-health-check')).toMatchObject({
        provider: 'aws.us_east_1',
        namespace: 'AWS/Route53',
        metric_name: 'HealthCheckStatus',
        dimensions: { HealthCheckId: `\${aws_route53_health_check.${checkId}.id}` },
        comparison_operator: 'LessThanThreshold',
        threshold: 1,
        treat_missing_data: 'breaching',
      });
    });

    it('sends the us-east-1 alarms to a topic there, encrypted with a tenant key there, with the same owners subscribed', () => {
      const { resources, alarm } = synthObservability(onCall());
      const [globalTopicId, globalTopic] = Object.entries(resources('aws_sns_topic')).find(([, t]) => t['provider'] === 'aws.us_east_1')!;
      const [keyId, key] = Object.entries(resources('aws_kms_key'))[0]!;
      expect(key['provider']).toBe('aws.us_east_1');
      expect(globalTopic).toMatchObject({ name: 'acme-alerts', kms_master_key_id: `\${aws_kms_key.${keyId}.arn}` });
      const globalArn = `\${aws_sns_topic.${globalTopicId}.arn}`;
      expect(alarm('acme-deep-health-check')).toMatchObject({ alarm_actions: [globalArn], ok_actions: [globalArn] });
      const subscribed = Object.values(resources('aws_sns_topic_subscription')).filter((s) => s['topic_arn'] === globalArn);
      expect(subscribed.map((s) => s['endpoint']).sort()).toEqual(['Dean@Uni.example.edu', 'ops@example.com']);
      const policy = policyOf(Object.values(resources('aws_sns_topic_policy')).find((p) => p['provider'] === 'aws.us_east_1')!);
      expect(policy.Statement.find((s) => s.Sid === 'TenantAlarmsPublish')!['Condition']).toMatchObject({
        ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:us-east-1:${ACCOUNT_ID}:alarm:acme-*` },
      });
    });

    it('needs no second topic or key when the stack itself is in us-east-1', () => {
      const { resources, alarm, topicArn } = synthObservability((scope) => ({
        ...onCall({ usEast1: undefined })(scope),
        region: 'us-east-1',
      }));
      expect(Object.keys(resources('aws_sns_topic'))).toHaveLength(1);
      expect(resources('aws_kms_key')).toEqual({});
      expect(alarm('acme-deep-health-check')).toMatchObject({ alarm_actions: [topicArn] });
      expect(alarm('acme-deep-health-check')['provider']).toBeUndefined();
    });
  });

  describe('dashboard', () => {
    it("is named after the tenant and shows every alarm's state, then one graph per alarm", () => {
      const { resources, dashboard, body, alarms } = synthObservability(full());
      expect(dashboard['dashboard_name']).toBe('acme');
      const alarmArns = Object.keys(resources('aws_cloudwatch_metric_alarm')).map((id) => `\${aws_cloudwatch_metric_alarm.${id}.arn}`);
      const status = body.widgets.filter((w) => w.type === 'alarm');
      expect(status).toHaveLength(1);
      expect([...(status[0]!.properties['alarms'] as string[])].sort()).toEqual(alarmArns.sort());
      const graphs = body.widgets.filter((w) => w.type === 'metric');
      expect(graphs).toHaveLength(alarms.length);
      for (const graph of graphs) expect(graph.properties).toMatchObject({ region: 'eu-west-1', view: 'timeSeries' });
    });

    it('lists only the alarms of its own region in the status widget, and graphs the us-east-1 metrics in us-east-1', () => {
      const { resources, body } = synthObservability(onCall());
      const regional = Object.entries(resources('aws_cloudwatch_metric_alarm')).filter(([, a]) => a['provider'] === undefined);
      const status = body.widgets.find((w) => w.type === 'alarm')!;
      expect([...(status.properties['alarms'] as string[])].sort()).toEqual(
        regional.map(([id]) => `\${aws_cloudwatch_metric_alarm.${id}.arn}`).sort(),
      );
      const graph = (title: string) => body.widgets.find((w) => w.properties['title'] === title)!.properties;
      expect(graph('Site: deep health check (1 = healthy)')['region']).toBe('us-east-1');
      expect(graph('Web ACL acme-alb: blocked requests')['region']).toBe('eu-west-1');
    });

    it('graphs the same metrics, dimensions and thresholds as the alarms', () => {
      const { body } = synthObservability(full());
      const graph = (title: string) => body.widgets.find((w) => w.properties['title'] === title)!.properties;
      expect(graph('Load balancer: target response time p95 (s)')).toMatchObject({
        metrics: [['AWS/ApplicationELB', 'TargetResponseTime', 'LoadBalancer', ALB, 'TargetGroup', TARGET_GROUP, { stat: 'p95' }]],
        annotations: { horizontal: [{ value: 2 }] },
      });
      expect(graph('Web tier: instances in service')).toMatchObject({
        metrics: [['AWS/AutoScaling', 'GroupInServiceInstances', 'AutoScalingGroupName', 'acme-web', { stat: 'Minimum' }]],
        annotations: { horizontal: [{ value: 2 }] },
      });
      const errors = graph('Load balancer: 5xx responses (% of requests)')['metrics'] as unknown[][];
      expect(errors.at(-1)).toEqual([
        {
          id: 'result',
          label: '5xx %',
          expression:
            'IF((FILL(requests, 0) + FILL(elb5xx, 0)) > 0, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / (FILL(requests, 0) + FILL(elb5xx, 0)), 0)',
        },
      ]);
      expect(graph('Database db-writer: connections')['metrics']).toEqual([
        [
          'AWS/RDS',
          'DatabaseConnections',
          'DBClusterIdentifier',
          'acme-db',
          'Role',
          'WRITER',
          { stat: 'Average', id: 'value', label: 'DatabaseConnections' },
        ],
        [{ id: 'band', expression: 'ANOMALY_DETECTION_BAND(value, 3)', label: 'expected' }],
      ]);
      const body_ = JSON.stringify(body);
      for (const metric of ['UnHealthyHostCount', 'AuroraReplicaLag', 'DatabaseMemoryUsagePercentage', 'Evictions', 'PercentIOLimit']) {
        expect(body_).toContain(`"${metric}"`);
      }
    });
  });

  it('exposes the topic, the alarm names and the dashboard name', () => {
    const { outputs, resources, topicArn } = synthObservability(minimal({ fileSystem: { id: 'fs-1' } }));
    const [alarmId] = Object.keys(resources('aws_cloudwatch_metric_alarm'));
    const [dashboardId] = Object.keys(resources('aws_cloudwatch_dashboard'));
    expect(outputs).toEqual({
      topicArn,
      alarmNames: [`\${aws_cloudwatch_metric_alarm.${alarmId}.alarm_name}`],
      dashboardName: `\${aws_cloudwatch_dashboard.${dashboardId}.dashboard_name}`,
    });
  });

  describe('rejects', () => {
    it.each([
      [{ alertEmails: [] }, /TenantObservability acme: alertEmails must list at least one owner address to receive the alarms/],
      [{ alertEmails: ['ops.example.com'] }, /alertEmails: "ops.example.com" is not an email address/],
      [{ alertEmails: ['ops@example.com', 'OPS@example.com'] }, /alertEmails lists "OPS@example.com" twice/],
      [{ accountId: 'acme' }, /accountId must be a 12-digit AWS account id/],
      [{ name: 'acme tenant' }, /TenantObservability acme tenant: name must be/],
      [
        { webAutoScalingGroup: { name: 'acme-web', minCapacity: 0, maxCapacity: 2 } },
        /webAutoScalingGroup.minCapacity must be a whole number ≥ 1, got 0/,
      ],
      [
        { webAutoScalingGroup: { name: 'acme-web', minCapacity: 3, maxCapacity: 2 } },
        /webAutoScalingGroup.maxCapacity must be a whole number ≥ minCapacity, got 2/,
      ],
      [
        { workerHeartbeat: { ...HEARTBEAT, everyMinutes: 0 } },
        /workerHeartbeat.everyMinutes must be a whole number of minutes from 1 to 60, got 0/,
      ],
      [{ deepHealthCheck: { domain: 'learn.acme.example', path: 'health' } }, /deepHealthCheck.path must start with "\/"/],
      [
        { deepHealthCheck: { domain: 'learn.acme.example', path: '/health' } },
        /usEast1 is required: the deep health check, CloudFront's certificate and web ACL are alarmed in us-east-1/,
      ],
      [{ natGatewayIds: ['nat-1', 'nat-1'] }, /natGatewayIds lists the same node twice/],
      [{ certificates: [{ id: 'ALB', arn: ALB_CERTIFICATE, usedBy: 'x' }] }, /certificates: id "ALB" must be 1–20 lowercase letters/],
      [
        {
          webAcls: [
            { id: 'alb', name: 'a', scope: 'REGIONAL' },
            { id: 'alb', name: 'b', scope: 'REGIONAL' },
          ],
        },
        /webAcls uses the id "alb" twice/,
      ],
      [
        { loadBalancer: { arnSuffix: ALB, targetGroupArnSuffix: TARGET_GROUP, targetResponseTimeSeconds: 0 } },
        /targetResponseTimeSeconds must be > 0/,
      ],
      [{ database: { kind: 'instance', identifier: 'acme-db' } }, /database.allocatedStorageGiB must be given \(> 0\) for an RDS instance/],
      [
        { database: { kind: 'instance', identifier: 'acme-db', allocatedStorageGiB: 50, readerIdentifiers: ['acme-db-replica'] } },
        /database.readerIdentifiers is for Aurora clusters/,
      ],
      [
        { database: { kind: 'cluster', identifier: 'acme-db', readerIdentifiers: ['r', 'r'] } },
        /database.readerIdentifiers lists the same node twice/,
      ],
      [{ cache: { replicationGroupId: 'acme-sessions', memberClusterIds: [] } }, /cache.memberClusterIds is empty/],
    ] as [Partial<TenantObservabilityProps>, RegExp][])('%j', (overrides, message) => {
      expect(() => synthObservability(minimal(overrides))).toThrow(message);
    });
  });

  describeWithTerraform('with the real terraform', () => {
    it('validates and plans offline: topic, policy, subscriptions, every alarm and the dashboard', async () => {
      const summary = await planOffline((stack) => {
        offlineAwsProvider(stack);
        new TenantObservability(stack, 'observability', full());
      });
      expectOnlyCreates(summary);
      expect(createdCounts(summary)).toMatchObject({
        aws_sns_topic: 1,
        aws_sns_topic_policy: 1,
        aws_sns_topic_subscription: 2,
        aws_cloudwatch_metric_alarm: 23,
        aws_cloudwatch_dashboard: 1,
        aws_db_event_subscription: 1,
      });
      expect(summary.add).toBe(29);
    });

    it('plans every on-call watch with the real provider: events, notifications, the health check and the us-east-1 alarms, key and topic', async () => {
      const summary = await planOffline((stack) => {
        offlineAwsProvider(stack);
        new TenantObservability(stack, 'observability', onCall()(stack));
      });
      expectOnlyCreates(summary);
      expect(createdCounts(summary)).toMatchObject({
        // The tenant region's topic and the us-east-1 one, each with both owners subscribed.
        aws_sns_topic: 2,
        aws_sns_topic_policy: 2,
        aws_sns_topic_subscription: 4,
        aws_kms_key: 1,
        aws_kms_alias: 1,
        aws_db_event_subscription: 2,
        aws_autoscaling_notification: 2,
        aws_route53_health_check: 1,
        // 19 for the tiers + heartbeat + 2 × 2 NAT + 2 certificates + 2 web ACLs + the health check.
        aws_cloudwatch_metric_alarm: 29,
      });
    });
  });
});
