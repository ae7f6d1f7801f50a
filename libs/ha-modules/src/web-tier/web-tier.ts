import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener, type LbListenerDefaultAction } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { boundedName } from '../naming.js';

export interface WebTierProps {
  /** Tenant name: prefix of every resource name and Name tag. */
  readonly name: string;
  readonly vpcId: string;
  /** Subnets of the internet-facing load balancer (≥ 2 zones). */
  readonly publicSubnetIds: string[];
  /** Subnets of the instances (≥ 2 zones). */
  readonly appSubnetIds: string[];
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
  /** Seconds a new instance gets before health checks count; also the instance warm-up. @default 300 */
  readonly healthCheckGraceSeconds?: number;
  /** Share of capacity that must stay healthy during an instance refresh, in percent. @default 90 */
  readonly minHealthyPercent?: number;
  /** Root volume size. @default 30 */
  readonly rootVolumeGiB?: number;
  /** Root device of the AMI. @default '/dev/xvda' (Amazon Linux) */
  readonly rootDeviceName?: string;
  /**
   * ACM certificate. When given: HTTPS on 443 (TLS 1.2/1.3 policy) and HTTP redirected to HTTPS.
   * @default none: HTTP on 80 forwards to the instances
   */
  readonly certificateArn?: string;
  /** KMS key of the root volumes. @default the AWS-managed EBS key */
  readonly kmsKeyArn?: string;
}

/** TLS 1.3 and 1.2 only. */
export const ALB_TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
const SSM_MANAGED_POLICY_ARN = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
const HTTP = 80;
const HTTPS = 443;

/**
 * The stateless web/app tier: an internet-facing ALB in front of an auto scaling group that
 * replaces its instances by a rolling instance refresh (with auto rollback) whenever the launch
 * template changes. Instances are reached through SSM only: no SSH, no key pair, IMDSv2 required.
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

  constructor(scope: Construct, id: string, props: WebTierProps) {
    super(scope, id);
    const settings = withDefaults(props);
    const { name, appPort } = settings;

    const albSg = new SecurityGroup(this, 'alb-security-group', {
      name: `${name}-alb`,
      description: `${name}: load balancer, reachable from the internet on 80/443`,
      vpcId: props.vpcId,
      tags: { Name: `${name}-alb` },
    });
    const appSg = new SecurityGroup(this, 'app-security-group', {
      name: `${name}-app`,
      description: `${name}: web/app instances, reachable from the load balancer only`,
      vpcId: props.vpcId,
      tags: { Name: `${name}-app` },
    });
    this.createSecurityGroupRules(albSg.id, appSg.id, appPort);

    const targetGroup = new LbTargetGroup(this, 'target-group', {
      name: boundedName(name, 'web'),
      vpcId: props.vpcId,
      port: appPort,
      protocol: 'HTTP',
      targetType: 'instance',
      // Long enough to finish in-flight requests, short enough to keep rolling refreshes quick.
      deregistrationDelay: '45',
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
      subnets: props.publicSubnetIds,
      securityGroups: [albSg.id],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: true,
      tags: { Name: `${name}-alb` },
    });
    this.createListeners(alb, targetGroup, props.certificateArn);

    const role = new IamRole(this, 'instance-role', {
      name: `${name}-web-instance`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
      tags: { Name: `${name}-web-instance` },
    });
    // SSM Session Manager replaces SSH; nothing else is granted here.
    new IamRolePolicyAttachment(this, 'instance-ssm-policy', { role: role.name, policyArn: SSM_MANAGED_POLICY_ARN });
    const profile = new IamInstanceProfile(this, 'instance-profile', {
      name: `${name}-web-instance`,
      role: role.name,
      tags: { Name: `${name}-web-instance` },
    });

    const launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name: `${name}-web`,
      description: `${name} web/app instances`,
      imageId: props.amiId,
      instanceType: props.instanceType,
      vpcSecurityGroupIds: [appSg.id],
      iamInstanceProfile: { arn: profile.arn },
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      monitoring: { enabled: true },
      blockDeviceMappings: [
        {
          deviceName: settings.rootDeviceName,
          ebs: {
            volumeType: 'gp3',
            volumeSize: settings.rootVolumeGiB,
            encrypted: 'true',
            kmsKeyId: props.kmsKeyArn,
            deleteOnTermination: 'true',
          },
        },
      ],
      tagSpecifications: ['instance', 'volume'].map((resourceType) => ({ resourceType, tags: { Name: `${name}-web` } })),
      updateDefaultVersion: true,
      tags: { Name: `${name}-web` },
    });

    const asg = new AutoscalingGroup(this, 'asg', {
      name: `${name}-web`,
      vpcZoneIdentifier: props.appSubnetIds,
      minSize: settings.minCapacity,
      maxSize: settings.maxCapacity,
      desiredCapacity: settings.desiredCapacity,
      healthCheckType: 'ELB',
      healthCheckGracePeriod: settings.healthCheckGraceSeconds,
      targetGroupArns: [targetGroup.arn],
      // A numbered version, not $Latest: every change is a new version the refresh can roll back from.
      launchTemplate: { id: launchTemplate.id, version: Token.asString(launchTemplate.latestVersion) },
      instanceRefresh: {
        strategy: 'Rolling',
        preferences: {
          minHealthyPercentage: settings.minHealthyPercent,
          instanceWarmup: String(settings.healthCheckGraceSeconds),
          autoRollback: true,
          skipMatching: true,
        },
      },
      enabledMetrics: [
        'GroupMinSize',
        'GroupMaxSize',
        'GroupDesiredCapacity',
        'GroupInServiceInstances',
        'GroupPendingInstances',
        'GroupTerminatingInstances',
        'GroupTotalInstances',
      ],
      tag: [{ key: 'Name', value: `${name}-web`, propagateAtLaunch: true }],
      // The scaling policy owns the running capacity; an apply must not shrink a busy group.
      lifecycle: { ignoreChanges: ['desired_capacity'] },
    });

    new AutoscalingPolicy(this, 'cpu-target-tracking', {
      name: `${name}-web-cpu-target`,
      autoscalingGroupName: asg.name,
      policyType: 'TargetTrackingScaling',
      estimatedInstanceWarmup: settings.healthCheckGraceSeconds,
      targetTrackingConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: 'ASGAverageCPUUtilization' },
        targetValue: settings.cpuTargetPercent,
      },
    });

    this.albArn = alb.arn;
    this.albDnsName = alb.dnsName;
    this.albArnSuffix = alb.arnSuffix;
    this.albSecurityGroupId = albSg.id;
    this.appSecurityGroupId = appSg.id;
    this.targetGroupArn = targetGroup.arn;
    this.targetGroupArnSuffix = targetGroup.arnSuffix;
    this.autoScalingGroupName = asg.name;
    this.launchTemplateId = launchTemplate.id;
    this.instanceRoleName = role.name;
  }

  /** Standalone rule resources, so the two groups can reference each other without a cycle. */
  private createSecurityGroupRules(albSgId: string, appSgId: string, appPort: number): void {
    for (const port of [HTTP, HTTPS]) {
      for (const [family, cidr] of [['ipv4', '0.0.0.0/0'], ['ipv6', '::/0']] as const) {
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
    new VpcSecurityGroupEgressRule(this, 'app-egress-https', {
      securityGroupId: appSgId,
      description: 'HTTPS out through NAT: SSM, package repositories',
      ipProtocol: 'tcp',
      fromPort: HTTPS,
      toPort: HTTPS,
      cidrIpv4: '0.0.0.0/0',
    });
  }

  private createListeners(alb: Lb, targetGroup: LbTargetGroup, certificateArn: string | undefined): void {
    const forward: LbListenerDefaultAction = { type: 'forward', targetGroupArn: targetGroup.arn };
    if (certificateArn === undefined) {
      new LbListener(this, 'http-listener', { loadBalancerArn: alb.arn, port: HTTP, protocol: 'HTTP', defaultAction: [forward] });
      return;
    }
    new LbListener(this, 'https-listener', {
      loadBalancerArn: alb.arn,
      port: HTTPS,
      protocol: 'HTTPS',
      sslPolicy: ALB_TLS_POLICY,
      certificateArn,
      defaultAction: [forward],
    });
    new LbListener(this, 'http-listener', {
      loadBalancerArn: alb.arn,
      port: HTTP,
      protocol: 'HTTP',
      defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: String(HTTPS), statusCode: 'HTTP_301' } }],
    });
  }
}

type WebTierSettings = Required<Omit<WebTierProps, 'certificateArn' | 'kmsKeyArn'>>;

function withDefaults(props: WebTierProps): WebTierSettings {
  const settings: WebTierSettings = {
    ...props,
    appPort: props.appPort ?? HTTP,
    healthCheckPath: props.healthCheckPath ?? '/',
    desiredCapacity: props.desiredCapacity ?? props.minCapacity,
    cpuTargetPercent: props.cpuTargetPercent ?? 50,
    healthCheckGraceSeconds: props.healthCheckGraceSeconds ?? 300,
    minHealthyPercent: props.minHealthyPercent ?? 90,
    rootVolumeGiB: props.rootVolumeGiB ?? 30,
    rootDeviceName: props.rootDeviceName ?? '/dev/xvda',
  };
  const fail = (message: string) => {
    throw new Error(`WebTier ${props.name}: ${message}`);
  };
  const { minCapacity, maxCapacity, desiredCapacity } = settings;
  if (!Number.isInteger(minCapacity) || minCapacity < 0) fail(`minCapacity must be a whole number ≥ 0, got ${minCapacity}`);
  if (!Number.isInteger(maxCapacity) || maxCapacity < Math.max(1, minCapacity)) fail(`maxCapacity must be ≥ minCapacity and ≥ 1, got ${maxCapacity}`);
  if (!Number.isInteger(desiredCapacity) || desiredCapacity < minCapacity || desiredCapacity > maxCapacity) {
    fail(`desiredCapacity must lie between minCapacity and maxCapacity, got ${desiredCapacity}`);
  }
  if (!Number.isInteger(settings.appPort) || settings.appPort < 1 || settings.appPort > 65535) fail(`appPort must be a TCP port, got ${settings.appPort}`);
  if (!settings.healthCheckPath.startsWith('/')) fail(`healthCheckPath must start with "/", got "${settings.healthCheckPath}"`);
  if (!(settings.cpuTargetPercent > 0 && settings.cpuTargetPercent <= 100)) fail(`cpuTargetPercent must be in (0, 100], got ${settings.cpuTargetPercent}`);
  if (!(settings.minHealthyPercent >= 0 && settings.minHealthyPercent <= 100)) fail(`minHealthyPercent must be in [0, 100], got ${settings.minHealthyPercent}`);
  return settings;
}
