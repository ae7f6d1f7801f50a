import { renderCloudConfig } from './cloud-config.js';
import { assembleScript } from './scripts.js';
import { requireMatch } from './shell.js';

export interface DatabaseProvisionerProps {
  readonly tenant: string;
  readonly region: string;
  /** Where the stack publishes the runtime parameters (`db/*` are read). */
  readonly parameterPath: string;
  /** The provisioner's own group (max 1): it sets its desired capacity to 0 when done. */
  readonly autoScalingGroupName: string;
}

/** Where the user data installs the provisioner script. */
export const DATABASE_PROVISIONER_SCRIPT_PATH = '/usr/local/sbin/hafleet-provision-database';
/**
 * Parameters below the tenant's path only the provisioner reads, besides the `db/*` runtime ones.
 * The master secret's ARN is known only at apply time, so it is published, not baked into the user
 * data; the ARN is no secret (only the provisioner's role may read the secret itself).
 */
export const DATABASE_PROVISIONER_PARAMETERS = { masterSecretArn: 'db/master-secret-arn' } as const;

/** The application's database users; each run (a rotation) resets the one the app secret does not name. */
export const APP_DATABASE_USERS = ['hafleet_app_a', 'hafleet_app_b'] as const;

/**
 * The user data of the one-shot database provisioner: it creates or rotates the application's
 * database user (MySQL, Aurora MySQL, PostgreSQL, Aurora PostgreSQL; TLS only), writes
 * `{username, password}` into the app secret (`db/app-secret-arn`), then scales its own group to 0.
 * Running it again (desired capacity 1) is a rotation that never breaks live connections. It reads
 * the master secret's ARN from `DATABASE_PROVISIONER_PARAMETERS.masterSecretArn` under the path.
 */
export function renderDatabaseProvisionerUserData(props: DatabaseProvisionerProps): string {
  requireMatch('tenant', props.tenant, /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'use the tenant folder name');
  requireMatch('region', props.region, /^[a-z]{2}(-[a-z]+)+-\d+$/, 'use an AWS region such as eu-west-2');
  requireMatch('parameterPath', props.parameterPath, /^\/([A-Za-z0-9_.-]+\/)+$/, 'use runtimeParameterPath(tenant)');
  requireMatch(
    'autoScalingGroupName',
    props.autoScalingGroupName,
    /^[\w.:/-]{1,255}$/,
    "pass the provisioner group's name (as a string known at synth)",
  );
  const script = assembleScript({
    title: [
      `hafleet-provision-database: tenant ${props.tenant}. Creates or rotates the application's database user, then scales its own group to 0.`,
    ],
    constants: {
      TENANT: props.tenant,
      REGION: props.region,
      PARAMETER_PATH: props.parameterPath,
      MASTER_SECRET_PARAMETER: DATABASE_PROVISIONER_PARAMETERS.masterSecretArn,
      AUTO_SCALING_GROUP_NAME: props.autoScalingGroupName,
      CONFIG_DESCRIPTION: 'the app secret',
    },
    body: 'provisioner',
  });
  return renderCloudConfig({
    comment:
      `hafleet database provisioner of tenant ${props.tenant} (${props.region}): ` +
      `runs once, then scales ${props.autoScalingGroupName} to 0.\n` +
      'Debug: cloud-init status --long; /var/log/cloud-init-output.log',
    writeFiles: [{ path: DATABASE_PROVISIONER_SCRIPT_PATH, permissions: '0700', content: script }],
    runcmd: [[DATABASE_PROVISIONER_SCRIPT_PATH]],
  });
}
