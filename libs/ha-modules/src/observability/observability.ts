import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmConfig,
  type CloudwatchMetricAlarmMetricQuery,
} from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { checkAccountAndRegion } from '../aws-account.js';

/** The tenant's application load balancer and its target group (e.g. `WebTier.albArnSuffix`). */
export interface WatchedLoadBalancer {
  /** `app/<name>/<id>`: the load balancer's CloudWatch dimension. */
  readonly arnSuffix: string;
  /** `targetgroup/<name>/<id>`: the target group's CloudWatch dimension. */
  readonly targetGroupArnSuffix: string;
  /** 95th-percentile target response time that raises the alarm, in seconds. @default 2 */
  readonly targetResponseTimeSeconds?: number;
}

/** The web/app auto scaling group; it must publish group metrics (WebTier enables them). */
export interface WatchedAutoScalingGroup {
  readonly name: string;
  /** Instances that must be in service; fewer for 10 minutes raises the alarm. At least 1. */
  readonly minCapacity: number;
}

/** The tenant database (e.g. `Database.kind`, `.identifier`, `.readerIdentifiers`). */
export interface WatchedDatabase {
  /** `instance`: RDS (Multi-AZ) DB instance. `cluster`: Aurora cluster. */
  readonly kind: 'instance' | 'cluster';
  /** DB instance identifier or DB cluster identifier. */
  readonly identifier: string;
  /** Aurora reader instance identifiers: each gets CPU, connection, storage and replica-lag alarms. @default none */
  readonly readerIdentifiers?: string[];
  /** Allocated storage of an RDS instance: the free-storage alarm fires under 10 % of it. Required for `instance`. */
  readonly allocatedStorageGiB?: number;
}

/** The tenant's ElastiCache (Valkey/Redis OSS, cluster mode disabled) replication group. */
export interface WatchedCache {
  readonly replicationGroupId: string;
  /**
   * Member cache clusters (nodes); ElastiCache publishes its metrics per node, not per group.
   * @default `<replicationGroupId>-001` and `-002`, the primary and first replica ElastiCache names
   */
  readonly memberClusterIds?: string[];
}

/** The tenant's EFS file system (General Purpose performance mode). */
export interface WatchedFileSystem {
  readonly id: string;
}

export interface TenantObservabilityProps {
  /** Tenant name: prefix of every alarm name, name of the topic (`<name>-alerts`) and of the dashboard. */
  readonly name: string;
  /** The tenant's account: only its CloudWatch alarms may publish to the topic. */
  readonly accountId: string;
  /** Region of the tenant's stack, where the alarms and dashboard live. */
  readonly region: string;
  /** The tenant's KMS key: encrypts the alert topic. Its policy must let CloudWatch use it (TenantKey does). */
  readonly kmsKeyArn: string;
  /** Owners who receive every alarm and recovery by email (each must confirm the subscription). At least one. */
  readonly alertEmails: string[];
  /** @default not watched */
  readonly loadBalancer?: WatchedLoadBalancer;
  /** @default not watched */
  readonly webAutoScalingGroup?: WatchedAutoScalingGroup;
  /** @default not watched */
  readonly database?: WatchedDatabase;
  /** @default not watched */
  readonly cache?: WatchedCache;
  /** @default not watched */
  readonly fileSystem?: WatchedFileSystem;
}

/** What CloudWatch does with a period that has no data point. */
type MissingData = 'missing' | 'notBreaching' | 'breaching';

interface Metric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  /** A statistic (`Average`, `Sum`...) or a percentile (`p95`). */
  readonly stat: string;
}

/** One alarm, described once; the alarm resource and its dashboard widget are both built from it. */
interface AlarmSpec {
  /** Construct id and alarm name suffix: unique, constant across applies. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly period: number;
  /** Consecutive periods looked at, all of which must breach (M of M). */
  readonly periods: number;
  readonly missingData: MissingData;
  readonly condition:
    | { readonly kind: 'threshold'; readonly metric: Metric; readonly above: boolean; readonly threshold: number }
    | {
        readonly kind: 'expression';
        readonly metrics: Record<string, Metric>;
        readonly expression: string;
        readonly label: string;
        readonly above: boolean;
        readonly threshold: number;
      }
    /** Above the band CloudWatch anomaly detection learns for the metric: no fixed threshold needed. */
    | { readonly kind: 'anomaly'; readonly metric: Metric; readonly bandWidth: number };
}

const GIB = 1024 ** 3;
const MINUTE = 60;
/** Aurora's local (temporary) storage is sized by instance class; this much free is the floor. */
const AURORA_MIN_FREE_LOCAL_STORAGE_GIB = 2;
/** The alarm-status widget takes at most 100 alarms. */
const ALARM_WIDGET_MAX = 100;
const SNS_MANAGE_ACTIONS = [
  'sns:GetTopicAttributes',
  'sns:SetTopicAttributes',
  'sns:AddPermission',
  'sns:RemovePermission',
  'sns:DeleteTopic',
  'sns:Subscribe',
  'sns:ListSubscriptionsByTopic',
];

/**
 * The tenant's alarms, the encrypted SNS topic they notify (alarm and recovery alike), one email
 * subscription per owner, and a CloudWatch dashboard showing every alarm's state and metric.
 * Each tier is optional, so the construct follows the stack as it is built tier by tier.
 *
 * Every alarm needs all of its evaluated periods to breach (no single-spike pages) and treats
 * missing data by what silence means for its metric: no errors (`notBreaching`), a broken
 * group (`breaching`), or a gap such as a failover that must neither page nor clear (`missing`).
 */
export class TenantObservability extends Construct {
  readonly topicArn: string;
  readonly alarmNames: string[];
  readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: TenantObservabilityProps) {
    super(scope, id);
    validate(props);
    const { name, region } = props;

    const topicArn = this.createTopic(props);
    const specs = [
      ...(props.loadBalancer ? loadBalancerAlarms(props.loadBalancer) : []),
      ...(props.webAutoScalingGroup ? autoScalingAlarms(props.webAutoScalingGroup) : []),
      ...(props.database ? databaseAlarms(props.database) : []),
      ...(props.cache ? cacheAlarms(props.cache) : []),
      ...(props.fileSystem ? fileSystemAlarms(props.fileSystem) : []),
    ];
    const alarms = specs.map(
      (spec) => new CloudwatchMetricAlarm(this, `alarm-${spec.id}`, alarmConfig(`${name}-${spec.id}`, spec, topicArn)),
    );

    const dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: name,
      dashboardBody: JSON.stringify(dashboardBody(name, region, alarms.map((alarm) => alarm.arn), specs)),
    });

    this.topicArn = topicArn;
    this.alarmNames = alarms.map((alarm) => alarm.alarmName);
    this.dashboardName = dashboard.dashboardName;
  }

  private createTopic(props: TenantObservabilityProps): string {
    const { name, accountId, region } = props;
    const topic = new SnsTopic(this, 'topic', {
      name: `${name}-alerts`,
      displayName: `${name} alerts`,
      kmsMasterKeyId: props.kmsKeyArn,
      tags: { Name: `${name}-alerts` },
    });
    new SnsTopicPolicy(this, 'topic-policy', {
      arn: topic.arn,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountManagesTopic',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${accountId}:root` },
            Action: SNS_MANAGE_ACTIONS,
            Resource: topic.arn,
          },
          {
            Sid: 'TenantAlarmsPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topic.arn,
            Condition: {
              StringEquals: { 'aws:SourceAccount': accountId },
              ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}-*` },
            },
          },
        ],
      }),
    });
    for (const email of props.alertEmails) {
      new SnsTopicSubscription(this, `email-${email.toLowerCase()}`, { topicArn: topic.arn, protocol: 'email', endpoint: email });
    }
    return topic.arn;
  }
}

function loadBalancerAlarms(lb: WatchedLoadBalancer): AlarmSpec[] {
  const alb = (metricName: string, stat: string, targetGroup = false): Metric => ({
    namespace: 'AWS/ApplicationELB',
    metricName,
    dimensions: targetGroup ? { LoadBalancer: lb.arnSuffix, TargetGroup: lb.targetGroupArnSuffix } : { LoadBalancer: lb.arnSuffix },
    stat,
  });
  const responseTime = lb.targetResponseTimeSeconds ?? 2;
  return [
    {
      id: 'alb-5xx-rate',
      title: 'Load balancer: 5xx responses (% of requests)',
      description: 'More than 5 % of requests answered 5xx (by the load balancer or the instances) for 5 minutes.',
      period: MINUTE,
      periods: 5,
      missingData: 'notBreaching',
      condition: {
        kind: 'expression',
        // Requests the load balancer rejects itself (no healthy target) are not in RequestCount: add them back.
        metrics: {
          requests: alb('RequestCount', 'Sum'),
          elb5xx: alb('HTTPCode_ELB_5XX_Count', 'Sum'),
          target5xx: alb('HTTPCode_Target_5XX_Count', 'Sum'),
        },
        expression:
          'IF((FILL(requests, 0) + FILL(elb5xx, 0)) > 0, ' +
          '100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / (FILL(requests, 0) + FILL(elb5xx, 0)), 0)',
        label: '5xx %',
        above: true,
        threshold: 5,
      },
    },
    {
      id: 'alb-unhealthy-hosts',
      title: 'Load balancer: unhealthy instances',
      // Auto scaling replaces a failing instance within minutes; 5 minutes means self-healing is not working.
      description: 'At least one instance failed the target group health check for 5 minutes.',
      period: MINUTE,
      periods: 5,
      missingData: 'notBreaching',
      condition: { kind: 'threshold', metric: alb('UnHealthyHostCount', 'Maximum', true), above: true, threshold: 0 },
    },
    {
      id: 'alb-response-time',
      title: 'Load balancer: target response time p95 (s)',
      description: `95th-percentile response time of the instances above ${responseTime} s for 5 minutes.`,
      period: MINUTE,
      periods: 5,
      missingData: 'notBreaching',
      condition: { kind: 'threshold', metric: alb('TargetResponseTime', 'p95', true), above: true, threshold: responseTime },
    },
  ];
}

function autoScalingAlarms(group: WatchedAutoScalingGroup): AlarmSpec[] {
  return [
    {
      id: 'web-in-service',
      title: 'Web tier: instances in service',
      // 10 minutes: a rolling instance refresh briefly runs one instance short.
      description: `Fewer than ${group.minCapacity} web/app instances in service for 10 minutes.`,
      period: MINUTE,
      periods: 10,
      // Group metrics come every minute; silence means the group or its metrics are gone.
      missingData: 'breaching',
      condition: {
        kind: 'threshold',
        metric: {
          namespace: 'AWS/AutoScaling',
          metricName: 'GroupInServiceInstances',
          dimensions: { AutoScalingGroupName: group.name },
          stat: 'Minimum',
        },
        above: false,
        threshold: group.minCapacity,
      },
    },
  ];
}

function databaseAlarms(db: WatchedDatabase): AlarmSpec[] {
  const rds = (metricName: string, dimensions: Record<string, string>, stat: string): Metric => ({
    namespace: 'AWS/RDS',
    metricName,
    dimensions,
    stat,
  });
  // The Aurora writer is watched through the cluster's WRITER role, which follows it across failovers.
  const readers = db.kind === 'cluster' ? (db.readerIdentifiers ?? []) : [];
  const nodes =
    db.kind === 'instance'
      ? [{ id: 'db', what: `database ${db.identifier}`, dimensions: { DBInstanceIdentifier: db.identifier } }]
      : [
          { id: 'db-writer', what: `writer of cluster ${db.identifier}`, dimensions: { DBClusterIdentifier: db.identifier, Role: 'WRITER' } },
          ...readers.map((reader, index) => ({
            id: `db-reader-${index + 1}`,
            what: `reader ${reader}`,
            dimensions: { DBInstanceIdentifier: reader },
          })),
        ];

  const specs = nodes.flatMap(({ id, what, dimensions }): AlarmSpec[] => [
    {
      id: `${id}-cpu`,
      title: `Database ${id}: CPU (%)`,
      description: `CPU of the ${what} above 80 % for 15 minutes.`,
      period: 5 * MINUTE,
      periods: 3,
      missingData: 'missing',
      condition: { kind: 'threshold', metric: rds('CPUUtilization', dimensions, 'Average'), above: true, threshold: 80 },
    },
    {
      id: `${id}-connections`,
      title: `Database ${id}: connections`,
      // max_connections depends on the instance class and parameters: compare with the usual level instead.
      description: `Connections to the ${what} above the band anomaly detection expects for 15 minutes.`,
      period: 5 * MINUTE,
      periods: 3,
      missingData: 'missing',
      condition: { kind: 'anomaly', metric: rds('DatabaseConnections', dimensions, 'Average'), bandWidth: 3 },
    },
    db.kind === 'instance'
      ? {
          id: `${id}-free-storage`,
          title: `Database ${id}: free storage (bytes)`,
          description: `Free storage of the ${what} below 10 % of its ${db.allocatedStorageGiB} GiB for 10 minutes.`,
          period: 5 * MINUTE,
          periods: 2,
          missingData: 'missing',
          condition: {
            kind: 'threshold',
            metric: rds('FreeStorageSpace', dimensions, 'Minimum'),
            above: false,
            threshold: Math.round((db.allocatedStorageGiB ?? 0) * GIB * 0.1),
          },
        }
      : {
          id: `${id}-free-local-storage`,
          title: `Database ${id}: free local storage (bytes)`,
          description: `Free local (temporary) storage of the ${what} below ${AURORA_MIN_FREE_LOCAL_STORAGE_GIB} GiB for 10 minutes.`,
          period: 5 * MINUTE,
          periods: 2,
          missingData: 'missing',
          condition: {
            kind: 'threshold',
            metric: rds('FreeLocalStorage', dimensions, 'Minimum'),
            above: false,
            threshold: AURORA_MIN_FREE_LOCAL_STORAGE_GIB * GIB,
          },
        },
  ]);

  const lag = readers.map(
    (reader, index): AlarmSpec => ({
      id: `db-reader-${index + 1}-replica-lag`,
      title: `Database db-reader-${index + 1}: replica lag (ms)`,
      description: `Aurora replica lag of reader ${reader} above 1 s for 5 minutes.`,
      period: MINUTE,
      periods: 5,
      missingData: 'missing',
      condition: {
        kind: 'threshold',
        metric: rds('AuroraReplicaLag', { DBInstanceIdentifier: reader }, 'Average'),
        above: true,
        threshold: 1000,
      },
    }),
  );
  return [...specs, ...lag];
}

function cacheAlarms(cache: WatchedCache): AlarmSpec[] {
  const members = cache.memberClusterIds ?? [`${cache.replicationGroupId}-001`, `${cache.replicationGroupId}-002`];
  const node = (metricName: string, member: string, stat: string): Metric => ({
    namespace: 'AWS/ElastiCache',
    metricName,
    dimensions: { CacheClusterId: member },
    stat,
  });
  return members.flatMap((member, index): AlarmSpec[] => [
    {
      id: `cache-node-${index + 1}-memory`,
      title: `Cache node-${index + 1}: memory used (%)`,
      description: `Memory used by cache node ${member} above 80 % for 5 minutes.`,
      period: MINUTE,
      periods: 5,
      missingData: 'missing',
      condition: { kind: 'threshold', metric: node('DatabaseMemoryUsagePercentage', member, 'Maximum'), above: true, threshold: 80 },
    },
    {
      id: `cache-node-${index + 1}-evictions`,
      title: `Cache node-${index + 1}: evictions`,
      // Evicted keys are lost sessions: alarm when it keeps happening, not on one burst.
      description: `Cache node ${member} evicted keys in each of 3 consecutive 5-minute periods.`,
      period: 5 * MINUTE,
      periods: 3,
      missingData: 'notBreaching',
      condition: { kind: 'threshold', metric: node('Evictions', member, 'Sum'), above: true, threshold: 0 },
    },
  ]);
}

/**
 * PercentIOLimit: how close the file system is to the I/O limit of the General Purpose
 * performance mode, which holds whatever the throughput mode. BurstCreditBalance is not watched:
 * with Elastic throughput there are no burst credits to run out of.
 */
function fileSystemAlarms(fileSystem: WatchedFileSystem): AlarmSpec[] {
  return [
    {
      id: 'efs-io-limit',
      title: 'File system: I/O limit used (%)',
      description: `File system ${fileSystem.id} above 90 % of its I/O limit for 5 minutes.`,
      period: MINUTE,
      periods: 5,
      missingData: 'notBreaching',
      condition: {
        kind: 'threshold',
        metric: { namespace: 'AWS/EFS', metricName: 'PercentIOLimit', dimensions: { FileSystemId: fileSystem.id }, stat: 'Maximum' },
        above: true,
        threshold: 90,
      },
    },
  ];
}

const isPercentile = (stat: string) => /^p\d+(\.\d+)?$/.test(stat);
const comparison = (above: boolean) => (above ? 'GreaterThanThreshold' : 'LessThanThreshold');

function alarmConfig(alarmName: string, spec: AlarmSpec, topicArn: string): CloudwatchMetricAlarmConfig {
  const common = {
    alarmName,
    alarmDescription: spec.description,
    evaluationPeriods: spec.periods,
    datapointsToAlarm: spec.periods,
    treatMissingData: spec.missingData,
    actionsEnabled: true,
    alarmActions: [topicArn],
    okActions: [topicArn],
    tags: { Name: alarmName },
  };
  const { condition, period } = spec;
  const query = (id: string, metric: Metric, returnData: boolean): CloudwatchMetricAlarmMetricQuery => ({
    id,
    returnData,
    metric: { namespace: metric.namespace, metricName: metric.metricName, dimensions: metric.dimensions, stat: metric.stat, period },
  });
  switch (condition.kind) {
    case 'threshold': {
      const { metric } = condition;
      return {
        ...common,
        namespace: metric.namespace,
        metricName: metric.metricName,
        dimensions: metric.dimensions,
        ...(isPercentile(metric.stat) ? { extendedStatistic: metric.stat } : { statistic: metric.stat }),
        period,
        comparisonOperator: comparison(condition.above),
        threshold: condition.threshold,
      };
    }
    case 'expression':
      return {
        ...common,
        comparisonOperator: comparison(condition.above),
        threshold: condition.threshold,
        metricQuery: [
          ...Object.entries(condition.metrics).map(([id, metric]) => query(id, metric, false)),
          { id: 'result', expression: condition.expression, label: condition.label, returnData: true },
        ],
      };
    case 'anomaly':
      return {
        ...common,
        comparisonOperator: 'GreaterThanUpperThreshold',
        thresholdMetricId: 'band',
        metricQuery: [
          query('value', condition.metric, true),
          { id: 'band', expression: `ANOMALY_DETECTION_BAND(value, ${condition.bandWidth})`, label: 'expected', returnData: true },
        ],
      };
  }
}

/** `[namespace, metric, dimension, value, ..., options]`: the dashboard's metric notation. */
function widgetMetric(metric: Metric, options: Record<string, unknown>): unknown[] {
  return [metric.namespace, metric.metricName, ...Object.entries(metric.dimensions).flat(), { stat: metric.stat, ...options }];
}

function widgetProperties(spec: AlarmSpec): Record<string, unknown> {
  const { condition } = spec;
  const line = (threshold: number) => ({ horizontal: [{ label: 'alarm', value: threshold }] });
  switch (condition.kind) {
    case 'threshold':
      return { metrics: [widgetMetric(condition.metric, { label: condition.metric.metricName })], annotations: line(condition.threshold) };
    case 'expression':
      return {
        metrics: [
          ...Object.entries(condition.metrics).map(([id, metric]) => widgetMetric(metric, { id, visible: false })),
          [{ id: 'result', expression: condition.expression, label: condition.label }],
        ],
        annotations: line(condition.threshold),
      };
    case 'anomaly':
      return {
        metrics: [
          widgetMetric(condition.metric, { id: 'value', label: condition.metric.metricName }),
          [{ id: 'band', expression: `ANOMALY_DETECTION_BAND(value, ${condition.bandWidth})`, label: 'expected' }],
        ],
      };
  }
}

/** Alarm states across the top, then one graph per alarm (its metric and threshold), two per row. */
function dashboardBody(name: string, region: string, alarmArns: string[], specs: AlarmSpec[]) {
  const statusRows = Math.ceil(alarmArns.length / ALARM_WIDGET_MAX);
  const status = Array.from({ length: statusRows }, (_, row) => ({
    type: 'alarm',
    x: 0,
    y: row * 4,
    width: 24,
    height: 4,
    properties: { title: `${name}: alarms`, alarms: alarmArns.slice(row * ALARM_WIDGET_MAX, (row + 1) * ALARM_WIDGET_MAX) },
  }));
  const graphs = specs.map((spec, index) => ({
    type: 'metric',
    x: (index % 2) * 12,
    y: statusRows * 4 + Math.floor(index / 2) * 6,
    width: 12,
    height: 6,
    properties: { title: spec.title, region, view: 'timeSeries', stacked: false, period: spec.period, ...widgetProperties(spec) },
  }));
  return { widgets: [...status, ...graphs] };
}

function validate(props: TenantObservabilityProps): void {
  const owner = `TenantObservability ${props.name}`;
  const fail = (message: string): never => {
    throw new Error(`${owner}: ${message}`);
  };
  // The dashboard is named after the tenant and takes only these characters; 64 keeps the topic's display name within 100.
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(props.name)) fail('name must be 1–64 letters, digits, "-" or "_"');
  checkAccountAndRegion(owner, props.accountId, props.region);
  if (props.alertEmails.length === 0) fail('alertEmails must list at least one owner address to receive the alarms');
  const seen = new Set<string>();
  for (const email of props.alertEmails) {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail(`alertEmails: "${email}" is not an email address`);
    if (seen.has(email.toLowerCase())) fail(`alertEmails lists "${email}" twice`);
    seen.add(email.toLowerCase());
  }
  const { loadBalancer, webAutoScalingGroup, database, cache } = props;
  const responseTime = loadBalancer?.targetResponseTimeSeconds;
  if (responseTime !== undefined && !(responseTime > 0)) fail(`loadBalancer.targetResponseTimeSeconds must be > 0, got ${responseTime}`);
  if (webAutoScalingGroup && (!Number.isInteger(webAutoScalingGroup.minCapacity) || webAutoScalingGroup.minCapacity < 1)) {
    fail(`webAutoScalingGroup.minCapacity must be a whole number ≥ 1, got ${webAutoScalingGroup.minCapacity}; leave webAutoScalingGroup out for a group that may be empty`);
  }
  if (database?.kind === 'instance') {
    const storage = database.allocatedStorageGiB;
    if (storage === undefined || !(storage > 0)) {
      fail(`database.allocatedStorageGiB must be given (> 0) for an RDS instance: the free-storage alarm fires under 10 % of it; got ${storage}`);
    }
    if ((database.readerIdentifiers ?? []).length > 0) {
      fail('database.readerIdentifiers is for Aurora clusters; a Multi-AZ RDS instance has a synchronous standby, not readers');
    }
  }
  // One alarm per node: the lists must be known at synthesis (their items may be tokens).
  const checkList = (field: string, list: string[] | undefined) => {
    if (list === undefined) return;
    if (Token.isUnresolved(list)) fail(`${field} must be a list known at synthesis, not a token list: each node gets its own alarms`);
    if (new Set(list).size !== list.length) fail(`${field} lists the same node twice`);
  };
  checkList('database.readerIdentifiers', database?.readerIdentifiers);
  checkList('cache.memberClusterIds', cache?.memberClusterIds);
  if (cache?.memberClusterIds?.length === 0) fail('cache.memberClusterIds is empty; leave it out to watch the primary and first replica');
}
