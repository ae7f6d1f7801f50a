import { Construct } from 'constructs';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { allowHttpsOut, HardenedLaunchTemplate, type InstancePolicyStatement } from '../compute/hardened-launch-template.js';
import { assertPlacement, subnetIdsOf, type SubnetPlacement } from '../network/placement.js';

export interface WorkerProps {
  /** Tenant name: prefix of every resource name and Name tag. */
  readonly name: string;
  /** The app subnets of every zone (`Network.appPlacement`): the instance comes back in another zone when one fails. */
  readonly placement: SubnetPlacement;
  /** AMI of the worker; normally the web tier's, so cron runs the same release. */
  readonly amiId: string;
  /** @default 't3.medium' */
  readonly instanceType?: string;
  /** The tenant's KMS key: encrypts the root volume. */
  readonly kmsKeyArn: string;
  /** Root volume size. @default 30 */
  readonly rootVolumeGiB?: number;
  /** Root device of the AMI. @default '/dev/xvda' (Amazon Linux) */
  readonly rootDeviceName?: string;
  /** Base64-encoded user data, e.g. what installs the cron entry. @default none */
  readonly userData?: string;
  /** Tags for the group, its instance and volume, besides Name (default_tags do not reach them). @default none */
  readonly launchTags?: Readonly<Record<string, string>>;
}

/** Seconds a new worker gets before its EC2 health check counts. */
const HEALTH_CHECK_GRACE_SECONDS = 300;

/**
 * The node that runs scheduled jobs (Moodle/Totara cron must run on exactly one node): one
 * instance kept alive by an auto scaling group over every app zone, never behind the load
 * balancer, started from the same hardened template as the web tier. Its security group accepts
 * nothing; each data tier opens the connection from `securityGroupId` (ingress and egress rule).
 */
export class Worker extends Construct {
  readonly autoScalingGroupName: string;
  readonly securityGroupId: string;
  readonly instanceRoleName: string;
  readonly instanceRoleArn: string;
  private readonly instances: HardenedLaunchTemplate;

  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id);
    const { name } = props;
    assertPlacement(`Worker ${name}`, props.placement, { minZones: 1, give: 'the app subnets of every zone (Network.appPlacement)' });

    this.instances = new HardenedLaunchTemplate(this, 'instances', {
      name: `${name}-worker`,
      purpose: 'scheduled-job worker, accepts no connections',
      vpcId: props.placement.vpcId,
      amiId: props.amiId,
      instanceType: props.instanceType ?? 't3.medium',
      kmsKeyArn: props.kmsKeyArn,
      rootVolumeGiB: props.rootVolumeGiB,
      rootDeviceName: props.rootDeviceName,
      userData: props.userData,
      launchTags: props.launchTags,
    });
    allowHttpsOut(this, 'egress-https', this.instances.securityGroupId);

    const asg = new AutoscalingGroup(this, 'asg', {
      ...this.instances.autoScalingGroupSettings({
        subnetIds: subnetIdsOf(props.placement),
        healthCheckGraceSeconds: HEALTH_CHECK_GRACE_SECONDS,
        // Terminate before launch (0 % healthy, never above 100 %): two cron nodes must never overlap;
        // a few minutes without cron only delay the next run.
        minHealthyPercent: 0,
        maxHealthyPercent: 100,
      }),
      minSize: 1,
      maxSize: 1,
      desiredCapacity: 1,
      // No target group: a dead instance is replaced, a busy one is left alone.
      healthCheckType: 'EC2',
    });

    this.autoScalingGroupName = asg.name;
    this.securityGroupId = this.instances.securityGroupId;
    this.instanceRoleName = this.instances.instanceRoleName;
    this.instanceRoleArn = this.instances.instanceRoleArn;
  }

  /** Grants the worker more than SSM (one inline policy of its role). */
  addInstancePolicy(policyName: string, statements: InstancePolicyStatement[]): void {
    this.instances.addInlinePolicy(policyName, statements);
  }
}
