import { Construct } from 'constructs';
import { Token, type TerraformProvider } from 'cdktf';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check';
import { checkAccountAndRegion } from '../aws-account.js';
import { alarmConfig, type AlarmSpec } from './alarm-spec.js';
import { createAlertTopic } from './alert-topic.js';
import { cacheAlarms, type WatchedCache } from './alarms/cache.js';
import { certificateAlarms, type WatchedCertificate } from './alarms/certificate.js';
import { databaseAlarms, type WatchedDatabase } from './alarms/database.js';
import { ddosAlarms, type WatchedShieldProtection } from './alarms/ddos.js';
import { fileSystemAlarms, type WatchedFileSystem } from './alarms/file-system.js';
import { healthCheckAlarms } from './alarms/health-check.js';
import { loadBalancerAlarms, type WatchedLoadBalancer } from './alarms/load-balancer.js';
import { natGatewayAlarms } from './alarms/nat-gateway.js';
import { webAclAlarms, type WatchedWebAcl } from './alarms/web-acl.js';
import { autoScalingAlarms, type WatchedAutoScalingGroup } from './alarms/web-group.js';
import { workerAlarms, type WatchedHeartbeat } from './alarms/worker.js';
import { dashboardBody } from './dashboard.js';
import { notifyAutoScalingErrors, subscribeDatabaseEvents } from './events.js';

export type {
  WatchedCache,
  WatchedCertificate,
  WatchedDatabase,
  WatchedFileSystem,
  WatchedHeartbeat,
  WatchedLoadBalancer,
  WatchedAutoScalingGroup,
  WatchedShieldProtection,
  WatchedWebAcl,
};

/** The application's deep health check: a page that needs the database, cache and files to answer. */
export interface WatchedDeepHealthCheck {
  /** Public hostname learners use (through the CDN when there is one), e.g. `learn.northwind.edu.au`. */
  readonly domain: string;
  /** The application profile's `health.deepPath`, e.g. `/admin/tool/hafleet/health.php`. */
  readonly path: string;
}

/** Where the alarms on us-east-1 metrics (Route 53, CloudFront's certificate and web ACL) live. */
export interface UsEast1Placement {
  /** A provider for us-east-1 in the tenant's account (the stack's CDN provider alias). */
  readonly provider: TerraformProvider;
  /** The tenant's key in us-east-1 (a topic cannot use a key of another region); shared with the CDN's WAF log group. */
  readonly kmsKeyArn: string;
}

export interface TenantObservabilityProps {
  /** Tenant name: prefix of every alarm name, name of the topic (`<name>-alerts`) and of the dashboard. */
  readonly name: string;
  /** The tenant's account: only its CloudWatch alarms and RDS events may publish to the topic. */
  readonly accountId: string;
  /** Region of the tenant's stack, where the alarms and dashboard live. */
  readonly region: string;
  /**
   * The tenant's KMS key: encrypts the alert topic. Its policy must let CloudWatch alarms, RDS
   * events and the Auto Scaling service-linked role use it (TenantKey does).
   */
  readonly kmsKeyArn: string;
  /** Owners who receive every alarm, recovery and event by email (each must confirm the subscription). At least one. */
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
  /** The worker's cron heartbeat: silence raises the alarm. @default not watched */
  readonly workerHeartbeat?: WatchedHeartbeat;
  /** NAT gateways (known-length list): port allocation errors and dropped packets, per gateway. @default none */
  readonly natGatewayIds?: string[];
  /** ACM certificates served: days to expiry. @default none */
  readonly certificates?: WatchedCertificate[];
  /** Web ACLs: blocked-request surges. @default none */
  readonly webAcls?: WatchedWebAcl[];
  /** Resources Shield Advanced protects: an attack it detects. @default none */
  readonly shieldProtections?: WatchedShieldProtection[];
  /** A Route 53 health check on the deep health path, alarmed in us-east-1. @default none */
  readonly deepHealthCheck?: WatchedDeepHealthCheck;
  /** Auto scaling groups whose failed launches and terminations are notified, by short id (`web`, `worker`...). @default none */
  readonly autoScalingGroupNames?: Record<string, string>;
  /**
   * us-east-1, for the alarms whose metrics only exist there: they notify a topic of their own in
   * us-east-1 (encrypted with a tenant key there), with the same subscribers. Required when such an
   * alarm is asked for and the stack's region is not us-east-1.
   */
  readonly usEast1?: UsEast1Placement;
}

/**
 * The tenant's alarms, the encrypted SNS topic they notify (alarm and recovery alike), one email
 * subscription per owner, RDS event subscriptions and Auto Scaling error notifications to the same
 * topic, and a CloudWatch dashboard showing every alarm's state and metric. Each tier is optional,
 * so the construct follows the stack as it is built tier by tier.
 *
 * Every alarm needs all of its evaluated periods to breach (no single-spike pages) and treats
 * missing data by what silence means for its metric: no errors (`notBreaching`), a broken
 * group or a stopped heartbeat (`breaching`), or a gap such as a failover that must neither page nor clear (`missing`).
 *
 * Route 53, CloudFront's certificate and CloudFront's web ACL publish their metrics in us-east-1
 * only, and an alarm can only watch metrics of its own region: those alarms live in us-east-1 and
 * notify a second topic there (a topic cannot be encrypted with a key of another region).
 */
export class TenantObservability extends Construct {
  readonly topicArn: string;
  /** The us-east-1 topic; the main topic when the stack is in us-east-1 or nothing is watched there. */
  readonly usEast1TopicArn: string;
  readonly alarmNames: string[];
  readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: TenantObservabilityProps) {
    super(scope, id);
    validate(props);
    const { name, region, accountId } = props;

    const topicArn = createAlertTopic(this, {
      name,
      topicName: `${name}-alerts`,
      accountId,
      region,
      kmsKeyArn: props.kmsKeyArn,
      alertEmails: props.alertEmails,
      rdsEvents: props.database !== undefined,
    });
    if (props.database) {
      subscribeDatabaseEvents(
        this,
        name,
        { kind: props.database.kind, identifier: props.database.identifier, instanceIdentifiers: props.database.instanceIdentifiers },
        topicArn,
      );
    }
    notifyAutoScalingErrors(this, props.autoScalingGroupNames ?? {}, topicArn);

    const healthCheckId = props.deepHealthCheck && this.createHealthCheck(name, props.deepHealthCheck);
    const specs: AlarmSpec[] = [
      ...(props.loadBalancer ? loadBalancerAlarms(props.loadBalancer) : []),
      ...(props.webAutoScalingGroup ? autoScalingAlarms(props.webAutoScalingGroup) : []),
      ...(props.database ? databaseAlarms(props.database) : []),
      ...(props.cache ? cacheAlarms(props.cache) : []),
      ...(props.fileSystem ? fileSystemAlarms(props.fileSystem) : []),
      ...(props.workerHeartbeat ? workerAlarms(props.workerHeartbeat) : []),
      ...natGatewayAlarms(props.natGatewayIds ?? []),
      ...certificateAlarms(props.certificates ?? []),
      ...webAclAlarms(props.webAcls ?? [], region),
      ...ddosAlarms(props.shieldProtections ?? []),
      ...(healthCheckId && props.deepHealthCheck
        ? healthCheckAlarms(healthCheckId, `https://${props.deepHealthCheck.domain}${props.deepHealthCheck.path}`)
        : []),
    ];

    const elsewhere = region !== US_EAST_1 && specs.some((spec) => spec.global);
    const usEast1 = elsewhere ? this.createUsEast1Topic(props) : { topicArn, provider: undefined };
    const alarms = specs.map((spec) => {
      const placed = spec.global ? usEast1 : { topicArn, provider: undefined };
      return new CloudwatchMetricAlarm(this, `alarm-${spec.id}`, {
        ...alarmConfig(`${name}-${spec.id}`, spec, placed.topicArn),
        provider: placed.provider,
      });
    });

    const regional = specs.flatMap((spec, index) => (spec.global && elsewhere ? [] : [{ spec, arn: alarms[index]!.arn }]));
    const dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: name,
      dashboardBody: JSON.stringify(
        dashboardBody(
          name,
          region,
          regional.map((a) => a.arn),
          specs,
          US_EAST_1,
        ),
      ),
    });

    this.topicArn = topicArn;
    this.usEast1TopicArn = usEast1.topicArn;
    this.alarmNames = alarms.map((alarm) => alarm.alarmName);
    this.dashboardName = dashboard.dashboardName;
  }

  /** HTTPS to the public name, from several Route 53 regions: the whole path a learner's request takes. */
  private createHealthCheck(name: string, check: WatchedDeepHealthCheck): string {
    const healthCheck = new Route53HealthCheck(this, 'deep-health-check', {
      type: 'HTTPS',
      fqdn: check.domain,
      port: 443,
      resourcePath: check.path,
      enableSni: true,
      requestInterval: 30,
      failureThreshold: 3,
      measureLatency: false,
      tags: { Name: `${name}-deep-health` },
    });
    return healthCheck.id;
  }

  /** The us-east-1 topic, encrypted with the tenant's key there. */
  private createUsEast1Topic(props: TenantObservabilityProps): { topicArn: string; provider: TerraformProvider } {
    const { usEast1 } = props;
    if (!usEast1)
      throw new Error(
        `TenantObservability ${props.name}: usEast1 is required: the deep health check, CloudFront's certificate and web ACL are alarmed in us-east-1`,
      );
    const placement = new Construct(this, 'us-east-1');
    const topicArn = createAlertTopic(placement, {
      name: props.name,
      topicName: `${props.name}-alerts`,
      accountId: props.accountId,
      region: US_EAST_1,
      kmsKeyArn: usEast1.kmsKeyArn,
      alertEmails: props.alertEmails,
      provider: usEast1.provider,
    });
    return { topicArn, provider: usEast1.provider };
  }
}

const US_EAST_1 = 'us-east-1';

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
    fail(
      `webAutoScalingGroup.minCapacity must be a whole number ≥ 1, got ${webAutoScalingGroup.minCapacity}; ` +
        `leave webAutoScalingGroup out for a group that may be empty`,
    );
  }
  if (
    webAutoScalingGroup &&
    !(Number.isInteger(webAutoScalingGroup.maxCapacity) && webAutoScalingGroup.maxCapacity >= webAutoScalingGroup.minCapacity)
  ) {
    fail(`webAutoScalingGroup.maxCapacity must be a whole number ≥ minCapacity, got ${webAutoScalingGroup.maxCapacity}`);
  }
  const heartbeat = props.workerHeartbeat;
  if (heartbeat && !(Number.isInteger(heartbeat.everyMinutes) && heartbeat.everyMinutes >= 1 && heartbeat.everyMinutes <= 60)) {
    fail(`workerHeartbeat.everyMinutes must be a whole number of minutes from 1 to 60, got ${heartbeat.everyMinutes}`);
  }
  const check = props.deepHealthCheck;
  if (check && !check.path.startsWith('/')) fail(`deepHealthCheck.path must start with "/", got "${check.path}"`);
  if (check && Token.isUnresolved(check.domain))
    fail('deepHealthCheck.domain must be known at synthesis: the public hostname learners use');
  const ids = (field: string, items: ReadonlyArray<{ id: string }> | undefined) => {
    const seen = new Set<string>();
    for (const { id } of items ?? []) {
      if (!/^[a-z0-9-]{1,20}$/.test(id)) fail(`${field}: id "${id}" must be 1–20 lowercase letters, digits or "-" (it names the alarm)`);
      if (seen.has(id)) fail(`${field} uses the id "${id}" twice`);
      seen.add(id);
    }
  };
  ids('certificates', props.certificates);
  ids('webAcls', props.webAcls);
  ids('shieldProtections', props.shieldProtections);
  if (database?.kind === 'instance') {
    const storage = database.allocatedStorageGiB;
    if (storage === undefined || !(storage > 0)) {
      fail(
        `database.allocatedStorageGiB must be given (> 0) for an RDS instance: the free-storage alarm fires under 10 % of it; got ${storage}`,
      );
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
  checkList('database.instanceIdentifiers', database?.instanceIdentifiers);
  checkList('natGatewayIds', props.natGatewayIds);
  if (cache?.memberClusterIds?.length === 0) fail('cache.memberClusterIds is empty; leave it out to watch the primary and first replica');
}
