import { Construct } from 'constructs';
import { dependable, type ITerraformDependable } from 'cdktf';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { allowHttpsOut, HardenedLaunchTemplate, type InstancePolicyStatement } from '../compute/hardened-launch-template.js';
import { assertPlacement, subnetIdsOf, type SubnetPlacement } from '../network/placement.js';

export interface DatabaseProvisionerProps {
  /** Tenant name: prefix of every resource name and Name tag. */
  readonly name: string;
  /** The app subnets (`Network.appPlacement`): the job needs a path to the database and, through NAT, to AWS APIs. */
  readonly placement: SubnetPlacement;
  /** The release AMI (the job installs the database client it needs). */
  readonly amiId: string;
  /** @default 't3.micro' */
  readonly instanceType?: string;
  /** The tenant's KMS key: encrypts the root volume. */
  readonly kmsKeyArn: string;
  /** Base64-encoded user data: the provisioning script. */
  readonly userData?: string;
  /** Tags for the group, its instance and volume, besides Name. @default none */
  readonly launchTags?: Readonly<Record<string, string>>;
}

const HEALTH_CHECK_GRACE_SECONDS = 600;

/**
 * The job's auto scaling group is named `<name>-db-provisioner` (the launch template's name): its
 * script scales that group to 0 when done.
 *
 * A one-shot job inside the VPC that creates (and on a re-run, rotates) the application's database
 * user with the master credentials, writes the application secret, then sets its own group back
 * to 0 so the instance goes away. It is the only identity besides RDS that may read the master
 * secret: the web and worker instances never can. Re-run it (rotation, a restored database) with
 * `aws autoscaling set-desired-capacity --auto-scaling-group-name <name> --desired-capacity 1`.
 */
export class DatabaseProvisioner extends Construct {
  readonly autoScalingGroupName: string;
  readonly autoScalingGroupArn: string;
  readonly securityGroupId: string;
  readonly instanceRoleArn: string;
  private readonly instances: HardenedLaunchTemplate;
  private readonly group: AutoscalingGroup;

  constructor(scope: Construct, id: string, props: DatabaseProvisionerProps) {
    super(scope, id);
    const { name } = props;
    assertPlacement(`DatabaseProvisioner ${name}`, props.placement, { minZones: 1, give: 'the app subnets (Network.appPlacement)' });
    this.instances = new HardenedLaunchTemplate(this, 'instances', {
      name: `${name}-db-provisioner`,
      purpose: 'one-shot database user provisioning job, accepts no connections',
      vpcId: props.placement.vpcId,
      amiId: props.amiId,
      instanceType: props.instanceType ?? 't3.micro',
      kmsKeyArn: props.kmsKeyArn,
      userData: props.userData,
      launchTags: props.launchTags,
    });
    allowHttpsOut(this, 'egress-https', this.instances.securityGroupId);
    const asg = new AutoscalingGroup(this, 'asg', {
      ...this.instances.autoScalingGroupSettings({
        subnetIds: subnetIdsOf(props.placement),
        healthCheckGraceSeconds: HEALTH_CHECK_GRACE_SECONDS,
        // A job, not a service: a new template version never replaces a running job.
        minHealthyPercent: 0,
        maxHealthyPercent: 100,
      }),
      minSize: 0,
      maxSize: 1,
      // Runs once when the stack is created; the job sets it back to 0 when done.
      desiredCapacity: 1,
      healthCheckType: 'EC2',
      lifecycle: { ignoreChanges: ['desired_capacity'] },
    });
    this.group = asg;
    this.autoScalingGroupName = asg.name;
    this.autoScalingGroupArn = asg.arn;
    this.securityGroupId = this.instances.securityGroupId;
    this.instanceRoleArn = this.instances.instanceRoleArn;
  }

  /**
   * Launches the job only once these exist (the database, the published configuration): a job
   * started before its database would only wait, and time out.
   */
  runAfter(dependencies: ITerraformDependable[]): void {
    // dependable() gives the bare address depends_on needs; fqn would render as "${...}", which terraform rejects.
    this.group.dependsOn = [...(this.group.dependsOn ?? []), ...dependencies.map((d) => dependable(d))];
  }

  /** Grants the job what it needs beyond SSM (one inline policy of its role). */
  addInstancePolicy(policyName: string, statements: InstancePolicyStatement[]): void {
    this.instances.addInlinePolicy(policyName, statements);
  }
}
