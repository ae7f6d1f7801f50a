import { RUNTIME_PARAMETERS, SECRET_VALUES, WORKER_HEARTBEAT_METRIC, type ApplicationProfile } from '@hafleet/app-profiles';
import { renderCloudConfig, type CloudConfigFile } from './cloud-config.js';
import { assembleScript } from './scripts.js';
import { InstanceBootError, quotedHeredoc, requireMatch } from './shell.js';

export type InstanceRole = 'web' | 'worker';

export interface UserDataProps {
  /** Tenant name (the spec's folder name). */
  readonly tenant: string;
  /** AWS region of the stack (the AWS CLI calls go there). */
  readonly region: string;
  /** `web` serves the site; `worker` also runs the profile's cron and reports its heartbeat. */
  readonly role: InstanceRole;
  readonly profile: ApplicationProfile;
  /** The release label; it is in the user data, so a release change alone changes the launch template. */
  readonly release: string;
  /** Where the stack publishes the runtime parameters: `runtimeParameterPath(tenant)`. */
  readonly parameterPath: string;
}

/** Where the user data installs the instance runtime (boot, refresh, heartbeat). */
export const INSTANCE_SCRIPT_PATH = '/usr/local/sbin/hafleet-instance';
/** The runtime configuration every hafleet service and the cron job read (mode 0600). */
export const RUNTIME_ENV_PATH = '/etc/hafleet/runtime.env';
export const REFRESH_UNIT = 'hafleet-refresh';
export const CRON_UNIT = 'hafleet-cron';
/** EC2 refuses user data above 16 KB (before base64). */
export const USER_DATA_LIMIT_BYTES = 16_384;
/** Minutes between two reads of the secrets on a running instance. */
export const REFRESH_EVERY_MINUTES = 5;

const SAFE_PATH = /^\/[A-Za-z0-9._/-]+$/;
const POSIX_NAME = /^[a-z_][a-z0-9_-]*$/;

/**
 * The cloud-init user data of a web or worker instance (a `#cloud-config` document as text; base64
 * it into the launch template). It installs `hafleet-instance` and its systemd units and runs
 * `hafleet-instance boot`: read the published configuration and secrets, mount the tenant's EFS
 * access point, render the profile's config, start the services, and only then write the health
 * marker the target group probes.
 */
export function renderUserData(props: UserDataProps): string {
  checkProps(props);
  const { profile, role } = props;
  const constants = {
    TENANT: props.tenant,
    REGION: props.region,
    ROLE: role,
    RELEASE: props.release,
    PARAMETER_PATH: props.parameterPath,
    PROFILE: profile.name,
    CONFIG_PATH: profile.config.path,
    CONFIG_OWNER: profile.config.owner,
    CONFIG_MODE: profile.config.mode,
    CONFIG_DESCRIPTION: `the ${profile.title} config ${profile.config.path}`,
    MOUNT_PATH: profile.files.mountPath,
    HEALTH_FILE: profile.health.shallowFile,
    SERVICES: profile.services.join(' '),
    REFRESH_TIMER: `${REFRESH_UNIT}.timer`,
    CRON_TIMER: `${CRON_UNIT}.timer`,
    HEARTBEAT_NAMESPACE: WORKER_HEARTBEAT_METRIC.namespace,
    HEARTBEAT_METRIC: WORKER_HEARTBEAT_METRIC.metricName,
    HEARTBEAT_DIMENSION: WORKER_HEARTBEAT_METRIC.dimension,
    // The catalogue, one "key ENV [optional]" line each; secrets "from-key field ENV".
    PARAMETER_ENV: RUNTIME_PARAMETERS.map((p) => `${p.key} ${p.env}${'optional' in p && p.optional ? ' optional' : ''}`).join('\n'),
    SECRET_ENV: SECRET_VALUES.map((s) => `${s.from} ${s.field} ${s.env}`).join('\n'),
  };
  const script = assembleScript({
    title: [
      `hafleet-instance: tenant ${props.tenant}, ${role} node, profile ${profile.name}, release ${props.release}.`,
      'Usage: hafleet-instance boot | refresh | heartbeat',
    ],
    constants,
    functions:
      `# The ${profile.title} config file; {{NAME}} placeholders are filled from the runtime values.\n` +
      `config_template() {\n  cat ${quotedHeredoc(profile.config.template, 'HAFLEET_TEMPLATE_END')}\n}\n`,
    body: 'instance',
  });
  const files: CloudConfigFile[] = [
    { path: INSTANCE_SCRIPT_PATH, permissions: '0755', content: script },
    ...refreshUnits(props),
    ...(role === 'worker' ? cronUnits(props) : []),
  ];
  const userData = renderCloudConfig({
    comment:
      `hafleet ${role} node of tenant ${props.tenant} (${props.region}), profile ${profile.name}, release ${props.release}.\n` +
      `Debug a boot: cloud-init status --long; /var/log/cloud-init-output.log; ` +
      `journalctl -u ${REFRESH_UNIT}${role === 'worker' ? ` -u ${CRON_UNIT}` : ''}`,
    writeFiles: files,
    runcmd: [[INSTANCE_SCRIPT_PATH, 'boot']],
  });
  const bytes = Buffer.byteLength(userData);
  if (bytes > USER_DATA_LIMIT_BYTES) {
    throw new InstanceBootError(
      `instance-boot: the ${role} user data of tenant ${props.tenant} (profile ${profile.name}) ` +
        `is ${bytes} bytes; EC2 accepts at most ${USER_DATA_LIMIT_BYTES}: ` +
        `shorten profile ${profile.name}'s config.template`,
    );
  }
  return userData;
}

function refreshUnits(props: UserDataProps): CloudConfigFile[] {
  return [
    unit(
      `${REFRESH_UNIT}.service`,
      `[Unit]
Description=hafleet: re-read the configuration and secrets of ${props.tenant}, re-render the config when a value changed
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
# A secret that cannot be read now is retried on the next run; the config stays as it is.
Environment=HAFLEET_SECRET_WAIT_SECONDS=0
ExecStart=${INSTANCE_SCRIPT_PATH} refresh
`,
    ),
    unit(
      `${REFRESH_UNIT}.timer`,
      `[Unit]
Description=hafleet: re-read the secrets of ${props.tenant} every ${REFRESH_EVERY_MINUTES} minutes (rotation without relaunch)

[Timer]
OnActiveSec=${REFRESH_EVERY_MINUTES}min
OnUnitActiveSec=${REFRESH_EVERY_MINUTES}min
RandomizedDelaySec=30

[Install]
WantedBy=timers.target
`,
    ),
  ];
}

function cronUnits(props: UserDataProps): CloudConfigFile[] {
  const { cron, title } = props.profile;
  return [
    unit(
      `${CRON_UNIT}.service`,
      `[Unit]
Description=hafleet: ${title} cron of ${props.tenant}
Wants=network-online.target
After=network-online.target remote-fs.target

[Service]
Type=oneshot
User=${cron.user}
EnvironmentFile=${RUNTIME_ENV_PATH}
ExecStart=${cron.command.replace(/%/g, '%%')}
# Only after a successful run, with full privileges (the instance role): the missing-heartbeat alarm watches it.
ExecStartPost=+${INSTANCE_SCRIPT_PATH} heartbeat
`,
    ),
    unit(
      `${CRON_UNIT}.timer`,
      `[Unit]
Description=hafleet: ${title} cron of ${props.tenant} every ${cron.everyMinutes} minute(s)

[Timer]
OnActiveSec=1min
OnUnitActiveSec=${cron.everyMinutes}min
AccuracySec=5s

[Install]
WantedBy=timers.target
`,
    ),
  ];
}

const unit = (name: string, content: string): CloudConfigFile => ({ path: `/etc/systemd/system/${name}`, permissions: '0644', content });

function checkProps(props: UserDataProps): void {
  const { profile } = props;
  requireMatch('tenant', props.tenant, /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'use the tenant folder name');
  requireMatch('region', props.region, /^[a-z]{2}(-[a-z]+)+-\d+$/, 'use an AWS region such as eu-west-2');
  requireMatch('role', props.role, /^(web|worker)$/, 'use web or worker');
  requireMatch('release', props.release, /^[\x21-\x7e]{1,128}$/, 'use a release label without spaces (e.g. 2025.4)');
  requireMatch('parameterPath', props.parameterPath, /^\/([A-Za-z0-9_.-]+\/)+$/, 'use runtimeParameterPath(tenant)');
  const where = `profile ${profile.name}`;
  for (const [field, value] of [
    ['config.path', profile.config.path],
    ['files.mountPath', profile.files.mountPath],
    ['health.shallowFile', profile.health.shallowFile],
  ] as const) {
    requireMatch(`${where}: ${field}`, value, SAFE_PATH, 'use an absolute path of letters, digits, . _ - /');
  }
  requireMatch(`${where}: config.owner`, profile.config.owner, /^[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?$/, 'use user or user:group');
  requireMatch(`${where}: config.mode`, profile.config.mode, /^0?[0-7]{3}$/, 'use an octal mode such as 0640');
  requireMatch(`${where}: cron.user`, profile.cron.user, POSIX_NAME, 'use a POSIX user name');
  requireMatch(`${where}: cron.command`, profile.cron.command, /^\/[^\n\\]*$/, 'start with an absolute path, on one line');
  requireMatch(
    `${where}: cron.everyMinutes`,
    String(profile.cron.everyMinutes),
    /^([1-9]|[1-5]\d|60)$/,
    'use a whole number of minutes, 1–60',
  );
  for (const service of profile.services) requireMatch(`${where}: services`, service, /^[A-Za-z0-9@._-]+$/, 'use systemd unit names');
}
