import { Construct } from 'constructs';
import { Fn, Token } from 'cdktf';
import type { AutoscalingGroupConfig } from '@cdktf/provider-aws/lib/autoscaling-group';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { IAM_ROLE_NAME_MAX, serviceTrustPolicy } from '../iam.js';
import { boundedName } from '../naming.js';
import { subnetIdsOf, type SubnetPlacement } from '../network/placement.js';
import { TierSecurityGroup } from '../network/tier-security-group.js';

export interface HardenedLaunchTemplateProps {
  /** Name of the launch template and security group, prefix of the role and profile, e.g. `acme-web`. */
  readonly name: string;
  /** What the instances do, for the descriptions, e.g. `web/app instances`. */
  readonly purpose: string;
  /** Where the instances run (e.g. `Network.appPlacement`): the VPC of their security group, the subnets of their auto scaling groups. */
  readonly placement: SubnetPlacement;
  /** AMI of the instances; a new one is a new template version, rolled by the group's instance refresh. */
  readonly amiId: string;
  readonly instanceType: string;
  /** The tenant's KMS key: encrypts the root volumes. */
  readonly kmsKeyArn: string;
  /** Root volume size. @default 30 */
  readonly rootVolumeGiB?: number;
  /** Root device of the AMI. @default '/dev/xvda' (Amazon Linux) */
  readonly rootDeviceName?: string;
  /** Base64-encoded user data (e.g. `Fn.base64encode(script)`). @default none */
  readonly userData?: string;
  /**
   * Tags for the instances and volumes launched, and their auto scaling group, besides Name (e.g.
   * the tenant tags): the provider's default_tags reach neither tag specifications nor groups.
   * @default none
   */
  readonly launchTags?: Readonly<Record<string, string>>;
}

/** How an auto scaling group runs the instances of a `HardenedLaunchTemplate`. */
export interface InstanceGroupSettings {
  /** Seconds a new instance gets before health checks count; also its warm-up in an instance refresh. */
  readonly healthCheckGraceSeconds: number;
  /** Share of capacity that must stay healthy during an instance refresh, in percent. */
  readonly minHealthyPercent: number;
  /** Share of capacity an instance refresh may reach, in percent. @default AWS: 100 */
  readonly maxHealthyPercent?: number;
}

/** The auto scaling group arguments that `HardenedLaunchTemplate.autoScalingGroupSettings` fills in. */
export type InstanceGroupArguments = Required<
  Pick<
    AutoscalingGroupConfig,
    'name' | 'vpcZoneIdentifier' | 'healthCheckGracePeriod' | 'launchTemplate' | 'instanceRefresh' | 'enabledMetrics' | 'tag'
  >
>;

/** One statement of an inline policy of the instance role. */
export interface InstancePolicyStatement {
  /** @default 'Allow' */
  readonly effect?: 'Allow' | 'Deny';
  /** Explicit actions: `*` and `service:*` are refused (least privilege). */
  readonly actions: string[];
  readonly resources: string[];
  /** IAM condition block, e.g. `{ StringEquals: { 'aws:ResourceAccount': '123456789012' } }`. @default none */
  readonly conditions?: Record<string, Record<string, string | string[]>>;
}

const SSM_MANAGED_POLICY_ARN = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';

/**
 * The launch template every tenant instance starts from, with what makes it safe to run:
 * IMDSv2 only (hop limit 1: containers cannot reach the instance credentials), a gp3 root volume
 * encrypted with the tenant key, no key pair (SSM Session Manager instead of SSH), an instance
 * role that holds only the SSM core policy plus the inline policies added through
 * `addInlinePolicy`, and an own security group with no rules: its owner adds them.
 */
export class HardenedLaunchTemplate extends Construct {
  readonly launchTemplateId: string;
  /** The newest version: pin the auto scaling group to it, so every change can be rolled back. */
  readonly launchTemplateVersion: string;
  readonly securityGroupId: string;
  readonly instanceRoleName: string;
  readonly instanceRoleArn: string;
  private readonly role: IamRole;
  private readonly templateName: string;
  private readonly subnetIds: string[];
  private readonly launchTags: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: HardenedLaunchTemplateProps) {
    super(scope, id);
    const { name } = props;
    const rootVolumeGiB = props.rootVolumeGiB ?? 30;
    if (!Number.isInteger(rootVolumeGiB) || rootVolumeGiB < 1 || rootVolumeGiB > 16384) {
      throw new Error(`${name}: rootVolumeGiB must be a whole number of GiB in [1, 16384] (gp3), got ${rootVolumeGiB}`);
    }

    // Rules are separate resources added by the owner, so groups can reference each other.
    const securityGroup = new TierSecurityGroup(this, 'Default', {
      name,
      description: `${name}: ${props.purpose}`,
      vpcId: props.placement.vpcId,
    });

    const roleName = boundedName(name, 'instance', IAM_ROLE_NAME_MAX);
    this.role = new IamRole(this, 'instance-role', {
      name: roleName,
      assumeRolePolicy: serviceTrustPolicy('ec2.amazonaws.com'),
      tags: { Name: roleName },
    });
    // SSM Session Manager replaces SSH; anything else comes from addInlinePolicy.
    new IamRolePolicyAttachment(this, 'instance-ssm-policy', { role: this.role.name, policyArn: SSM_MANAGED_POLICY_ARN });
    const profile = new IamInstanceProfile(this, 'instance-profile', {
      name: roleName,
      role: this.role.name,
      tags: { Name: roleName },
    });

    const template = new LaunchTemplate(this, 'launch-template', {
      name,
      description: `${name}: ${props.purpose}`,
      imageId: props.amiId,
      instanceType: props.instanceType,
      userData: props.userData,
      vpcSecurityGroupIds: [securityGroup.securityGroupId],
      iamInstanceProfile: { arn: profile.arn },
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      monitoring: { enabled: true },
      blockDeviceMappings: [
        {
          deviceName: props.rootDeviceName ?? '/dev/xvda',
          ebs: {
            volumeType: 'gp3',
            volumeSize: rootVolumeGiB,
            encrypted: 'true',
            kmsKeyId: props.kmsKeyArn,
            deleteOnTermination: 'true',
          },
        },
      ],
      tagSpecifications: ['instance', 'volume'].map((resourceType) => ({ resourceType, tags: { ...props.launchTags, Name: name } })),
      updateDefaultVersion: true,
      tags: { Name: name },
    });

    this.launchTemplateId = template.id;
    this.launchTemplateVersion = Token.asString(template.latestVersion);
    this.securityGroupId = securityGroup.securityGroupId;
    this.instanceRoleName = this.role.name;
    this.instanceRoleArn = this.role.arn;
    this.templateName = name;
    this.subnetIds = subnetIdsOf(props.placement);
    this.launchTags = props.launchTags ?? {};
  }

  /**
   * The arguments every auto scaling group of these instances shares: named like the template, over
   * the placement's subnets, pinned to the newest template version (every change is a version to roll back to),
   * replaced by a rolling instance refresh that skips instances already on that version and rolls
   * back by itself, group metrics on, and the Name and launch tags on it and each instance. The owner adds capacity,
   * the health-check type and the rest.
   */
  autoScalingGroupSettings(settings: InstanceGroupSettings): InstanceGroupArguments {
    return {
      name: this.templateName,
      vpcZoneIdentifier: this.subnetIds,
      healthCheckGracePeriod: settings.healthCheckGraceSeconds,
      launchTemplate: { id: this.launchTemplateId, version: this.launchTemplateVersion },
      instanceRefresh: {
        strategy: 'Rolling',
        preferences: {
          minHealthyPercentage: settings.minHealthyPercent,
          ...(settings.maxHealthyPercent === undefined ? {} : { maxHealthyPercentage: settings.maxHealthyPercent }),
          // A new instance gets its health-check grace period before the refresh moves on.
          instanceWarmup: String(settings.healthCheckGraceSeconds),
          autoRollback: true,
          skipMatching: true,
        },
      },
      enabledMetrics: GROUP_METRICS,
      tag: [
        { key: 'Name', value: this.templateName, propagateAtLaunch: true },
        ...Object.entries(this.launchTags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      ],
    };
  }

  /**
   * Grants the instances more than SSM, as one inline policy of the instance role, e.g.
   * `addInlinePolicy('cache-connect', [{ actions: ['elasticache:Connect'], resources: [groupArn, userArn] }])`.
   */
  addInlinePolicy(policyName: string, statements: InstancePolicyStatement[]): void {
    const fail = (message: string): never => {
      throw new Error(`${this.node.path}: inline policy "${policyName}": ${message}`);
    };
    if (!/^[\w+=,.@-]{1,128}$/.test(policyName)) fail('the name must be 1-128 characters of letters, digits and +=,.@_-');
    if (statements.length === 0) fail('give at least one statement');
    for (const { actions, resources } of statements) {
      if (actions.length === 0 || resources.length === 0) fail('every statement needs actions and resources');
      const broad = actions.filter((action) => action === '*' || /^[\w-]+:\*$/.test(action));
      if (broad.length > 0) fail(`${broad.join(', ')} grants a whole service: list the actions the instances need`);
    }
    const document = {
      Version: '2012-10-17',
      Statement: statements.map((s) => ({
        Effect: s.effect ?? 'Allow',
        Action: s.actions,
        Resource: s.resources,
        ...(s.conditions ? { Condition: s.conditions } : {}),
      })),
    };
    const json = JSON.stringify(document);
    new IamRolePolicy(this, `policy-${policyName}`, {
      name: policyName,
      role: this.role.id,
      // References to other resources need terraform's encoder; plain JSON stays readable.
      policy: Token.isUnresolved(json) ? Fn.jsonencode(document) : json,
    });
  }
}

/** Group metrics every auto scaling group publishes (capacity alarms and dashboards read them). */
const GROUP_METRICS = [
  'GroupMinSize',
  'GroupMaxSize',
  'GroupDesiredCapacity',
  'GroupInServiceInstances',
  'GroupPendingInstances',
  'GroupTerminatingInstances',
  'GroupTotalInstances',
];

const HTTPS = 443;

/**
 * Lets the instances behind `securityGroupId` out on HTTPS, and nothing else, through NAT: SSM,
 * package repositories. The rule is `id` in `scope`, the owner of the instances.
 */
export function allowHttpsOut(scope: Construct, id: string, securityGroupId: string): void {
  new VpcSecurityGroupEgressRule(scope, id, {
    securityGroupId,
    description: 'HTTPS out through NAT: SSM, package repositories',
    ipProtocol: 'tcp',
    fromPort: HTTPS,
    toPort: HTTPS,
    cidrIpv4: '0.0.0.0/0',
  });
}
