import { Construct } from 'constructs';
import { dependable, type ITerraformDependable } from 'cdktf';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { assertPlacement, type SubnetPlacement } from '../network/placement.js';
import {
  allowHttpsOut,
  HardenedLaunchTemplate,
  type HardenedLaunchTemplateProps,
  type InstancePolicyStatement,
} from './hardened-launch-template.js';

/**
 * How long the one instance lives.
 * - `always`: the group keeps one instance running and replaces it when it dies (a service).
 * - `once`: the group launches one instance when it is created; the instance's own script sets the
 *   desired capacity back to 0 when its job is done, and terraform leaves that value alone (a job).
 */
export type SingleInstanceLifetime = 'always' | 'once';

export interface SingleInstanceGroupProps extends HardenedLaunchTemplateProps {
  /** Where the instance may run (normally `Network.appPlacement`): the group picks a zone, and another when one fails. */
  readonly placement: SubnetPlacement;
  readonly lifetime: SingleInstanceLifetime;
  /** Seconds a new instance gets before its EC2 health check counts; also its instance-refresh warm-up. */
  readonly healthCheckGraceSeconds: number;
}

/**
 * One instance, never behind a load balancer, kept by an auto scaling group over the placement's
 * subnets and started from a `HardenedLaunchTemplate`: its own role (SSM only until
 * `addInstancePolicy`) and its own security group, which accepts nothing and lets the instance out
 * on HTTPS only; each data tier opens its connection from `securityGroupId`. A new template version
 * terminates the instance before launching the next (two copies never overlap) and rolls back by
 * itself. `Worker` and `DatabaseProvisioner` are the two kinds.
 */
export class SingleInstanceGroup extends Construct {
  readonly autoScalingGroupName: string;
  readonly autoScalingGroupArn: string;
  readonly securityGroupId: string;
  readonly instanceRoleName: string;
  readonly instanceRoleArn: string;
  private readonly instances: HardenedLaunchTemplate;
  private readonly group: AutoscalingGroup;

  constructor(scope: Construct, id: string, props: SingleInstanceGroupProps) {
    super(scope, id);
    assertPlacement(props.name, props.placement, { minZones: 1, give: 'the app subnets of every zone (Network.appPlacement)' });
    const { lifetime, healthCheckGraceSeconds, ...template } = props;
    this.instances = new HardenedLaunchTemplate(this, 'instances', template);
    allowHttpsOut(this, 'egress-https', this.instances.securityGroupId);

    const once = lifetime === 'once';
    this.group = new AutoscalingGroup(this, 'asg', {
      ...this.instances.autoScalingGroupSettings({
        healthCheckGraceSeconds,
        // Terminate before launch (0 % healthy, never above 100 %): two copies must never overlap, and
        // a new template version never replaces a running job.
        minHealthyPercent: 0,
        maxHealthyPercent: 100,
      }),
      minSize: once ? 0 : 1,
      maxSize: 1,
      desiredCapacity: 1,
      // No target group: a dead instance is replaced, a busy one is left alone.
      healthCheckType: 'EC2',
      // The job sets its group back to 0 when done; terraform must not launch it again.
      ...(once ? { lifecycle: { ignoreChanges: ['desired_capacity'] } } : {}),
    });

    this.autoScalingGroupName = this.group.name;
    this.autoScalingGroupArn = this.group.arn;
    this.securityGroupId = this.instances.securityGroupId;
    this.instanceRoleName = this.instances.instanceRoleName;
    this.instanceRoleArn = this.instances.instanceRoleArn;
  }

  /** Grants the instance more than SSM (one inline policy of its role). */
  addInstancePolicy(policyName: string, statements: InstancePolicyStatement[]): void {
    this.instances.addInlinePolicy(policyName, statements);
  }

  /**
   * Launches the instance only once these exist (e.g. the database a job works on): an instance
   * started before them would only wait, and time out.
   */
  runAfter(dependencies: ITerraformDependable[]): void {
    // dependable() gives the bare address depends_on needs; fqn would render as "${...}", which terraform rejects.
    this.group.dependsOn = [...(this.group.dependsOn ?? []), ...dependencies.map((d) => dependable(d))];
  }
}
