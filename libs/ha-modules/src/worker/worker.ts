import type { Construct } from 'constructs';
import { SingleInstanceGroup } from '../compute/single-instance-group.js';
import type { SubnetPlacement } from '../network/placement.js';

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
 * The node that runs scheduled jobs (Moodle/Totara cron must run on exactly one node): a
 * `SingleInstanceGroup` named `<name>-worker` that always keeps its instance, started from the
 * same hardened template as the web tier. A few minutes without cron while it is replaced only
 * delay the next run.
 */
export class Worker extends SingleInstanceGroup {
  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id, {
      name: `${props.name}-worker`,
      purpose: 'scheduled-job worker, accepts no connections',
      placement: props.placement,
      lifetime: 'always',
      amiId: props.amiId,
      instanceType: props.instanceType ?? 't3.medium',
      kmsKeyArn: props.kmsKeyArn,
      healthCheckGraceSeconds: HEALTH_CHECK_GRACE_SECONDS,
      rootVolumeGiB: props.rootVolumeGiB,
      rootDeviceName: props.rootDeviceName,
      userData: props.userData,
      launchTags: props.launchTags,
    });
  }
}
