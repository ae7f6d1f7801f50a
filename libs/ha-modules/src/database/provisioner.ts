import type { Construct } from 'constructs';
import { SingleInstanceGroup } from '../compute/single-instance-group.js';
import type { SubnetPlacement } from '../network/placement.js';

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
 * to 0 so the instance goes away: a `SingleInstanceGroup` that runs `once`. It is the only identity
 * besides RDS that may read the master secret: the web and worker instances never can. Launch it
 * after the database with `runAfter`. Re-run it (rotation, a restored database) with
 * `aws autoscaling set-desired-capacity --auto-scaling-group-name <name> --desired-capacity 1`.
 */
export class DatabaseProvisioner extends SingleInstanceGroup {
  constructor(scope: Construct, id: string, props: DatabaseProvisionerProps) {
    super(scope, id, {
      name: `${props.name}-db-provisioner`,
      purpose: 'one-shot database user provisioning job, accepts no connections',
      placement: props.placement,
      lifetime: 'once',
      amiId: props.amiId,
      instanceType: props.instanceType ?? 't3.micro',
      kmsKeyArn: props.kmsKeyArn,
      healthCheckGraceSeconds: HEALTH_CHECK_GRACE_SECONDS,
      userData: props.userData,
      launchTags: props.launchTags,
    });
  }
}
