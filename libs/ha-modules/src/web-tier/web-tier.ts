import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { allowHttpsOut, HardenedLaunchTemplate, type InstancePolicyStatement } from '../compute/hardened-launch-template.js';
import { boundedName } from '../naming.js';
import { assertPlacement, subnetIdsOf, type SubnetPlacement } from '../network/placement.js';

/** Where the load balancer writes its access logs. */
export interface AlbAccessLogs {
  /** S3 bucket that allows ELB log delivery; ALB access logs support SSE-S3 encryption only. */
  readonly bucketName: string;
  /** Key prefix of the logs, with no leading or trailing slash. @default 'alb' */
  readonly prefix?: string;
}

/** The shared secret the CDN adds to every request it forwards to the load balancer. */
export interface OriginVerifyHeader {
  /** Request header carrying the secret, e.g. `X-Origin-Verify`. */
  readonly headerName: string;
  /** The secret itself (see `OriginVerifySecret`); matched exactly, so no `*` or `?`. */
  readonly secret: string;
}

export interface WebTierProps {
  /** Tenant name: prefix of every resource name and Name tag. */
  readonly name: string;
  /** The instances' subnets (`Network.appPlacement`), in at least 2 zones. */
  readonly placement: SubnetPlacement;
  /** The internet-facing load balancer's subnets (`Network.publicPlacement`), in at least 2 zones of the same VPC. */
  readonly loadBalancerPlacement: SubnetPlacement;
  /** AMI of the web/app instances; a new one rolls out through the instance refresh. */
  readonly amiId: string;
  readonly instanceType: string;
  /** Port the application listens on. @default 80 */
  readonly appPort?: number;
  /** Target-group health check path. @default '/' */
  readonly healthCheckPath?: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Capacity at creation; afterwards the scaling policy owns it. @default minCapacity */
  readonly desiredCapacity?: number;
  /** Average CPU the target-tracking policy aims for, in percent. @default 50 */
  readonly cpuTargetPercent?: number;
  /**
   * Requests per instance per minute the second target-tracking policy aims for (the application
   * profile's `requestsPerTargetPerMinute`): the group scales on whichever of CPU and requests
   * asks for more. @default no request-based policy
   */
  readonly requestsPerTargetPerMinute?: number;
  /** Seconds a new instance gets before health checks count; also the instance warm-up. @default 300 */
  readonly healthCheckGraceSeconds?: number;
  /** Share of capacity that must stay healthy during an instance refresh, in percent. @default 100 */
  readonly minHealthyPercent?: number;
  /**
   * Share of capacity an instance refresh may reach, in percent: above 100, new instances launch
   * before old ones terminate, so capacity never drops below the desired count. @default 150
   */
  readonly maxHealthyPercent?: number;
  /** ALB idle timeout: the longest legitimate request (imports, restores, exports). @default 60 */
  readonly idleTimeoutSeconds?: number;
  /** Seconds in-flight requests get when an instance leaves (refresh, scale-in). @default 45 */
  readonly deregistrationDelaySeconds?: number;
  /** Root volume size. @default 30 */
  readonly rootVolumeGiB?: number;
  /** Root device of the AMI. @default '/dev/xvda' (Amazon Linux) */
  readonly rootDeviceName?: string;
  /** Base64-encoded user data of the instances. @default none */
  readonly userData?: string;
  /** Tags for the group, its instances and their volumes, besides Name (default_tags do not reach them). @default none */
  readonly launchTags?: Readonly<Record<string, string>>;
  /** ACM certificate of the HTTPS listener (TLS 1.2/1.3 policy); HTTP is always redirected to HTTPS. */
  readonly certificateArn: string;
  /** The tenant's KMS key: encrypts the instances' root volumes. */
  readonly kmsKeyArn: string;
  /** Access logs of the load balancer (always on). */
  readonly accessLogs: AlbAccessLogs;
  /**
   * When given, the HTTPS listener answers 403 to every request without this header and value, so
   * that the load balancer cannot be used around the CDN (and its web ACL).
   * @default none: every HTTPS request is forwarded to the instances
   */
  readonly originVerify?: OriginVerifyHeader;
  /**
   * Behind CloudFront: the id of the region's `com.amazonaws.global.cloudfront.origin-facing`
   * managed prefix list. The load balancer then admits HTTPS from CloudFront's origin-facing
   * servers only, and has no port 80 at all (CloudFront redirects viewers to HTTPS itself and
   * reaches the origin over HTTPS only). The prefix list counts as its maximum size (55 entries
   * today) against the security group's rules quota (60 inbound by default): one rule fits, a
   * second port would need a quota increase.
   * @default none: 80 (redirect only) and 443 open to the internet
   */
  readonly originPrefixListId?: string;
}

/** TLS 1.3 and 1.2 only. */
export const ALB_TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
/** ALB limits of listener-rule header conditions. */
const HEADER_NAME_LIMIT = 40;
const HEADER_VALUE_LIMIT = 128;
const HTTP = 80;
const HTTPS = 443;

/**
 * The stateless web/app tier: an internet-facing ALB (HTTPS only, access logs, optionally closed to
 * everything but the CDN) in front of an auto scaling group that replaces its instances by a
 * rolling instance refresh (with auto rollback) whenever the launch template changes. Instances
 * start from the shared `HardenedLaunchTemplate`: SSM only, no SSH, IMDSv2, tenant-key encryption.
 */
export class WebTier extends Construct {
  readonly albArn: string;
  readonly albDnsName: string;
  readonly albArnSuffix: string;
  readonly albSecurityGroupId: string;
  readonly appSecurityGroupId: string;
  readonly targetGroupArn: string;
  readonly targetGroupArnSuffix: string;
  readonly autoScalingGroupName: string;
  readonly launchTemplateId: string;
  readonly instanceRoleName: string;
  readonly instanceRoleArn: string;
  private readonly instances: HardenedLaunchTemplate;

  constructor(scope: Construct, id: string, props: WebTierProps) {
    super(scope, id);
    const settings = withDefaults(props);
    const { name, appPort } = settings;

    const albSg = new SecurityGroup(this, 'alb-security-group', {
      name: `${name}-alb`,
      description: props.originPrefixListId
        ? `${name}: load balancer, reachable from CloudFront on 443`
        : `${name}: load balancer, reachable from the internet on 80/443`,
      vpcId: props.placement.vpcId,
      tags: { Name: `${name}-alb` },
    });
    this.instances = new HardenedLaunchTemplate(this, 'instances', {
      name: `${name}-web`,
      purpose: 'web/app instances, reachable from the load balancer only',
      placement: props.placement,
      amiId: props.amiId,
      instanceType: props.instanceType,
      kmsKeyArn: props.kmsKeyArn,
      rootVolumeGiB: props.rootVolumeGiB,
      rootDeviceName: props.rootDeviceName,
      userData: props.userData,
      launchTags: props.launchTags,
    });
    const appSgId = this.instances.securityGroupId;
    this.createSecurityGroupRules(albSg.id, appSgId, appPort, props.originPrefixListId);

    const targetGroup = new LbTargetGroup(this, 'target-group', {
      name: boundedName(name, 'web'),
      vpcId: props.placement.vpcId,
      port: appPort,
      protocol: 'HTTP',
      targetType: 'instance',
      // Deregistration ends as soon as no request is in flight, so a long delay costs a refresh little.
      deregistrationDelay: String(settings.deregistrationDelaySeconds),
      healthCheck: {
        enabled: true,
        protocol: 'HTTP',
        port: 'traffic-port',
        path: settings.healthCheckPath,
        matcher: '200-399',
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      tags: { Name: `${name}-web` },
    });

    const alb = new Lb(this, 'alb', {
      name: boundedName(name, 'alb'),
      loadBalancerType: 'application',
      internal: false,
      subnets: subnetIdsOf(props.loadBalancerPlacement),
      securityGroups: [albSg.id],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: true,
      idleTimeout: settings.idleTimeoutSeconds,
      accessLogs: { bucket: props.accessLogs.bucketName, prefix: settings.accessLogPrefix, enabled: true },
      tags: { Name: `${name}-alb` },
    });
    this.createListeners(alb, targetGroup, props);

    const asg = new AutoscalingGroup(this, 'asg', {
      ...this.instances.autoScalingGroupSettings({
        healthCheckGraceSeconds: settings.healthCheckGraceSeconds,
        minHealthyPercent: settings.minHealthyPercent,
        maxHealthyPercent: settings.maxHealthyPercent,
      }),
      minSize: settings.minCapacity,
      maxSize: settings.maxCapacity,
      desiredCapacity: settings.desiredCapacity,
      healthCheckType: 'ELB',
      targetGroupArns: [targetGroup.arn],
      // The scaling policy owns the running capacity; an apply must not shrink a busy group.
      lifecycle: { ignoreChanges: ['desired_capacity'] },
    });

    const targetTracking = (
      id: string,
      policyName: string,
      metric: { predefinedMetricType: string; resourceLabel?: string },
      targetValue: number,
    ) =>
      new AutoscalingPolicy(this, id, {
        name: `${name}-${policyName}`,
        autoscalingGroupName: asg.name,
        policyType: 'TargetTrackingScaling',
        estimatedInstanceWarmup: settings.healthCheckGraceSeconds,
        targetTrackingConfiguration: { predefinedMetricSpecification: metric, targetValue },
      });
    targetTracking(
      'cpu-target-tracking',
      'web-cpu-target',
      { predefinedMetricType: 'ASGAverageCPUUtilization' },
      settings.cpuTargetPercent,
    );
    if (props.requestsPerTargetPerMinute !== undefined) {
      // Requests per healthy target per minute, for this load balancer's target group: the group scales on whichever asks for more.
      const resourceLabel = `${alb.arnSuffix}/${targetGroup.arnSuffix}`;
      targetTracking(
        'request-target-tracking',
        'web-requests-target',
        { predefinedMetricType: 'ALBRequestCountPerTarget', resourceLabel },
        props.requestsPerTargetPerMinute,
      );
    }

    this.albArn = alb.arn;
    this.albDnsName = alb.dnsName;
    this.albArnSuffix = alb.arnSuffix;
    this.albSecurityGroupId = albSg.id;
    this.appSecurityGroupId = appSgId;
    this.targetGroupArn = targetGroup.arn;
    this.targetGroupArnSuffix = targetGroup.arnSuffix;
    this.autoScalingGroupName = asg.name;
    this.launchTemplateId = this.instances.launchTemplateId;
    this.instanceRoleName = this.instances.instanceRoleName;
    this.instanceRoleArn = this.instances.instanceRoleArn;
  }

  /** Grants the web/app instances more than SSM (one inline policy of their role). */
  addInstancePolicy(policyName: string, statements: InstancePolicyStatement[]): void {
    this.instances.addInlinePolicy(policyName, statements);
  }

  /** Standalone rule resources, so the two groups can reference each other without a cycle. */
  private createSecurityGroupRules(albSgId: string, appSgId: string, appPort: number, originPrefixListId: string | undefined): void {
    if (originPrefixListId) {
      new VpcSecurityGroupIngressRule(this, 'alb-ingress-443-cloudfront', {
        securityGroupId: albSgId,
        description: "HTTPS from CloudFront's origin-facing servers",
        ipProtocol: 'tcp',
        fromPort: HTTPS,
        toPort: HTTPS,
        prefixListId: originPrefixListId,
      });
    }
    for (const port of originPrefixListId ? [] : [HTTP, HTTPS]) {
      for (const [family, cidr] of [
        ['ipv4', '0.0.0.0/0'],
        ['ipv6', '::/0'],
      ] as const) {
        new VpcSecurityGroupIngressRule(this, `alb-ingress-${port}-${family}`, {
          securityGroupId: albSgId,
          description: `HTTP${port === HTTPS ? 'S' : ''} from the internet`,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          ...(family === 'ipv4' ? { cidrIpv4: cidr } : { cidrIpv6: cidr }),
        });
      }
    }
    new VpcSecurityGroupEgressRule(this, 'alb-egress-app', {
      securityGroupId: albSgId,
      description: 'To the instances on the application port',
      ipProtocol: 'tcp',
      fromPort: appPort,
      toPort: appPort,
      referencedSecurityGroupId: appSgId,
    });
    new VpcSecurityGroupIngressRule(this, 'app-ingress-alb', {
      securityGroupId: appSgId,
      description: 'From the load balancer on the application port',
      ipProtocol: 'tcp',
      fromPort: appPort,
      toPort: appPort,
      referencedSecurityGroupId: albSgId,
    });
    allowHttpsOut(this, 'app-egress-https', appSgId);
  }

  private createListeners(alb: Lb, targetGroup: LbTargetGroup, props: WebTierProps): void {
    // Port 80 only where it is open: to redirect browsers that typed http://.
    if (!props.originPrefixListId) {
      new LbListener(this, 'http-listener', {
        loadBalancerArn: alb.arn,
        port: HTTP,
        protocol: 'HTTP',
        defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: String(HTTPS), statusCode: 'HTTP_301' } }],
      });
    }
    const { originVerify } = props;
    const https = new LbListener(this, 'https-listener', {
      loadBalancerArn: alb.arn,
      port: HTTPS,
      protocol: 'HTTPS',
      sslPolicy: ALB_TLS_POLICY,
      certificateArn: props.certificateArn,
      defaultAction: [
        originVerify
          ? { type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '403', messageBody: 'Forbidden' } }
          : { type: 'forward', targetGroupArn: targetGroup.arn },
      ],
    });
    if (!originVerify) return;
    // Only requests that came through the CDN carry the secret; everything else hits the 403 above.
    new LbListenerRule(this, 'origin-verify-rule', {
      listenerArn: https.arn,
      priority: 1,
      condition: [{ httpHeader: { httpHeaderName: originVerify.headerName, values: [originVerify.secret] } }],
      action: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
      tags: { Name: `${props.name}-origin-verify` },
    });
  }
}

type WebTierSettings = Required<
  Omit<
    WebTierProps,
    | 'certificateArn'
    | 'requestsPerTargetPerMinute'
    | 'kmsKeyArn'
    | 'userData'
    | 'launchTags'
    | 'accessLogs'
    | 'originVerify'
    | 'originPrefixListId'
    | 'rootVolumeGiB'
    | 'rootDeviceName'
  >
> & { readonly accessLogPrefix: string };

function withDefaults(props: WebTierProps): WebTierSettings {
  const settings: WebTierSettings = {
    ...props,
    appPort: props.appPort ?? HTTP,
    healthCheckPath: props.healthCheckPath ?? '/',
    desiredCapacity: props.desiredCapacity ?? props.minCapacity,
    cpuTargetPercent: props.cpuTargetPercent ?? 50,
    healthCheckGraceSeconds: props.healthCheckGraceSeconds ?? 300,
    minHealthyPercent: props.minHealthyPercent ?? 100,
    maxHealthyPercent: props.maxHealthyPercent ?? 150,
    idleTimeoutSeconds: props.idleTimeoutSeconds ?? 60,
    deregistrationDelaySeconds: props.deregistrationDelaySeconds ?? 45,
    accessLogPrefix: props.accessLogs.prefix ?? 'alb',
  };
  const owner = `WebTier ${props.name}`;
  const fail = (message: string) => {
    throw new Error(`${owner}: ${message}`);
  };
  assertPlacement(owner, props.placement, { minZones: 2, give: 'the app subnets (Network.appPlacement)' });
  assertPlacement(owner, props.loadBalancerPlacement, {
    minZones: 2,
    give: 'the public subnets (Network.publicPlacement)',
    prop: 'loadBalancerPlacement',
  });
  if (props.loadBalancerPlacement.vpcId !== props.placement.vpcId) fail('loadBalancerPlacement and placement must be in the same VPC');
  const { minCapacity, maxCapacity, desiredCapacity } = settings;
  if (!Number.isInteger(minCapacity) || minCapacity < 0) fail(`minCapacity must be a whole number ≥ 0, got ${minCapacity}`);
  if (!Number.isInteger(maxCapacity) || maxCapacity < Math.max(1, minCapacity))
    fail(`maxCapacity must be ≥ minCapacity and ≥ 1, got ${maxCapacity}`);
  if (!Number.isInteger(desiredCapacity) || desiredCapacity < minCapacity || desiredCapacity > maxCapacity) {
    fail(`desiredCapacity must lie between minCapacity and maxCapacity, got ${desiredCapacity}`);
  }
  if (!Number.isInteger(settings.appPort) || settings.appPort < 1 || settings.appPort > 65535)
    fail(`appPort must be a TCP port, got ${settings.appPort}`);
  if (!settings.healthCheckPath.startsWith('/')) fail(`healthCheckPath must start with "/", got "${settings.healthCheckPath}"`);
  const requests = props.requestsPerTargetPerMinute;
  if (requests !== undefined && !(Number.isInteger(requests) && requests >= 1))
    fail(`requestsPerTargetPerMinute must be a whole number ≥ 1, got ${requests}`);
  if (!(settings.cpuTargetPercent > 0 && settings.cpuTargetPercent <= 100))
    fail(`cpuTargetPercent must be in (0, 100], got ${settings.cpuTargetPercent}`);
  if (!(settings.minHealthyPercent >= 0 && settings.minHealthyPercent <= 100))
    fail(`minHealthyPercent must be in [0, 100], got ${settings.minHealthyPercent}`);
  const { maxHealthyPercent: max, minHealthyPercent: min } = settings;
  if (!(max > 100 && max <= 200 && max - min <= 100)) {
    fail(
      `maxHealthyPercent must be in (100, 200] and at most 100 above minHealthyPercent, so a refresh launches before it terminates; got ${max} (min ${min})`,
    );
  }
  if (!(Number.isInteger(settings.idleTimeoutSeconds) && settings.idleTimeoutSeconds >= 1 && settings.idleTimeoutSeconds <= 4000)) {
    fail(`idleTimeoutSeconds must be a whole number in [1, 4000], got ${settings.idleTimeoutSeconds}`);
  }
  if (!(
    Number.isInteger(settings.deregistrationDelaySeconds) &&
    settings.deregistrationDelaySeconds >= 0 &&
    settings.deregistrationDelaySeconds <= 3600
  )) {
    fail(`deregistrationDelaySeconds must be a whole number in [0, 3600], got ${settings.deregistrationDelaySeconds}`);
  }
  const prefix = settings.accessLogPrefix;
  if (!Token.isUnresolved(prefix) && (prefix.startsWith('/') || prefix.endsWith('/') || prefix.includes('AWSLogs'))) {
    fail(`accessLogs.prefix must not start or end with "/" nor contain "AWSLogs" (ELB adds it), got "${prefix}"`);
  }
  const prefixList = props.originPrefixListId;
  if (prefixList !== undefined && !Token.isUnresolved(prefixList) && !/^pl-[0-9a-f]{8,17}$/.test(prefixList))
    fail(`originPrefixListId must be a prefix list id (pl-…), got "${prefixList}"`);
  if (prefixList !== undefined && !props.originVerify)
    fail(
      'originPrefixListId needs originVerify: any CloudFront distribution reaches the origin-facing servers, only the secret header tells ours apart',
    );
  const verify = props.originVerify;
  if (verify) {
    const { headerName, secret } = verify;
    if (!Token.isUnresolved(headerName) && !new RegExp(`^[A-Za-z0-9-]{1,${HEADER_NAME_LIMIT}}$`).test(headerName)) {
      fail(`originVerify.headerName must be 1-${HEADER_NAME_LIMIT} letters, digits or hyphens, got "${headerName}"`);
    }
    // The ALB treats * and ? as wildcards: a secret containing them would match other values too.
    if (!Token.isUnresolved(secret) && !new RegExp(`^[^*?]{16,${HEADER_VALUE_LIMIT}}$`).test(secret)) {
      fail(`originVerify.secret must be 16-${HEADER_VALUE_LIMIT} characters without "*" or "?"`);
    }
  }
  return settings;
}
