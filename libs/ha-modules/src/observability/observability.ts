import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { checkAccountAndRegion } from '../aws-account.js';
import { alarmConfig } from './alarm-spec.js';
import { cacheAlarms, type WatchedCache } from './alarms/cache.js';
import { databaseAlarms, type WatchedDatabase } from './alarms/database.js';
import { fileSystemAlarms, type WatchedFileSystem } from './alarms/file-system.js';
import { loadBalancerAlarms, type WatchedLoadBalancer } from './alarms/load-balancer.js';
import { autoScalingAlarms, type WatchedAutoScalingGroup } from './alarms/web-group.js';
import { dashboardBody } from './dashboard.js';

export type { WatchedCache, WatchedDatabase, WatchedFileSystem, WatchedLoadBalancer, WatchedAutoScalingGroup };

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
