/**
 * The runtime contract between a tenant's stack and its instances. The stack publishes each
 * parameter under `runtimeParameterPath(tenant)` in SSM Parameter Store (and as a stack output);
 * the boot script reads the whole path and exports each value under its `env` name; profile config
 * templates refer to those names. Secret values are never parameters: a parameter holds the ARN of
 * a Secrets Manager secret, which the instance reads with its own role (`SECRET_VALUES`).
 */
export interface RuntimeParameter {
  /** Name below the tenant's path, e.g. `db/writer-endpoint`. */
  readonly key: string;
  /** Environment variable (and template placeholder) the boot script sets from it. */
  readonly env: string;
  /** SecureString encrypted with the tenant key (references to credentials); else String. */
  readonly secure: boolean;
  /** Published only when the tenant has the feature (e.g. a CDN); the boot script sets it empty otherwise. */
  readonly optional?: boolean;
  readonly description: string;
}

export const RUNTIME_PARAMETERS = [
  { key: 'site/url', env: 'HAFLEET_SITE_URL', secure: false, description: 'https://<domain>, the site learners use' },
  { key: 'site/domain', env: 'HAFLEET_SITE_DOMAIN', secure: false, description: 'The tenant domain' },
  { key: 'app/profile', env: 'HAFLEET_PROFILE', secure: false, description: 'Application profile name' },
  { key: 'app/release', env: 'HAFLEET_RELEASE', secure: false, description: 'Release label of the AMI the stack rolls' },
  { key: 'app/time-zone', env: 'HAFLEET_TIME_ZONE', secure: false, description: 'IANA time zone of the client' },
  { key: 'db/engine', env: 'HAFLEET_DB_ENGINE', secure: false, description: 'mysql, postgres, aurora-mysql or aurora-postgresql' },
  { key: 'db/writer-endpoint', env: 'HAFLEET_DB_WRITER_ENDPOINT', secure: false, description: 'Database host for writes' },
  {
    key: 'db/reader-endpoint',
    env: 'HAFLEET_DB_READER_ENDPOINT',
    secure: false,
    description: 'Database host for reads (the writer on RDS Multi-AZ)',
  },
  { key: 'db/port', env: 'HAFLEET_DB_PORT', secure: false, description: 'Database port' },
  { key: 'db/name', env: 'HAFLEET_DB_NAME', secure: false, description: 'Database (schema) name' },
  {
    key: 'db/app-secret-arn',
    env: 'HAFLEET_DB_APP_SECRET_ARN',
    secure: true,
    description: 'Secret {username, password} of the application user (not the master user)',
  },
  {
    key: 'cache/sessions-endpoint',
    env: 'HAFLEET_CACHE_SESSIONS_ENDPOINT',
    secure: false,
    description: 'Session cache primary endpoint (TLS)',
  },
  {
    key: 'cache/application-endpoint',
    env: 'HAFLEET_CACHE_APPLICATION_ENDPOINT',
    secure: false,
    description: 'Application cache primary endpoint (the session cache unless a separate one exists)',
  },
  { key: 'cache/port', env: 'HAFLEET_CACHE_PORT', secure: false, description: 'Cache port' },
  {
    key: 'cache/auth-secret-arn',
    env: 'HAFLEET_CACHE_AUTH_SECRET_ARN',
    secure: true,
    description: 'Secret {username, password} the cache clients authenticate with',
  },
  { key: 'files/file-system-id', env: 'HAFLEET_FILE_SYSTEM_ID', secure: false, description: 'EFS file system of the user data' },
  { key: 'files/access-point-id', env: 'HAFLEET_ACCESS_POINT_ID', secure: false, description: "The tenant's EFS access point" },
  { key: 'content/bucket', env: 'HAFLEET_CONTENT_BUCKET', secure: false, description: 'S3 content bucket' },
  {
    key: 'content/cdn-domain',
    env: 'HAFLEET_CDN_DOMAIN',
    secure: false,
    optional: true,
    description: 'CloudFront domain serving the content (only with a CDN)',
  },
  {
    key: 'mail/smtp-host',
    env: 'HAFLEET_SMTP_HOST',
    secure: false,
    description: 'SMTP relay host (SES SMTP endpoint unless the spec names a relay)',
  },
  { key: 'mail/smtp-port', env: 'HAFLEET_SMTP_PORT', secure: false, description: 'SMTP port (587, STARTTLS)' },
  { key: 'mail/from-address', env: 'HAFLEET_MAIL_FROM', secure: false, description: 'Sender address of platform mail' },
  {
    key: 'mail/smtp-secret-arn',
    env: 'HAFLEET_SMTP_SECRET_ARN',
    secure: true,
    optional: true,
    description: 'Secret {username, password} of the SMTP relay (SES SMTP credentials)',
  },
] as const satisfies readonly RuntimeParameter[];

export type RuntimeParameterKey = (typeof RUNTIME_PARAMETERS)[number]['key'];

/**
 * Values the boot script reads from Secrets Manager (the ARN comes from the parameter named in
 * `from`, the JSON field from `field`) and exports for templates. Re-read on a timer, so a
 * rotated credential reaches the running instances without a relaunch.
 */
export const SECRET_VALUES = [
  { env: 'HAFLEET_DB_USERNAME', from: 'db/app-secret-arn', field: 'username' },
  { env: 'HAFLEET_DB_PASSWORD', from: 'db/app-secret-arn', field: 'password' },
  { env: 'HAFLEET_CACHE_USERNAME', from: 'cache/auth-secret-arn', field: 'username' },
  { env: 'HAFLEET_CACHE_PASSWORD', from: 'cache/auth-secret-arn', field: 'password' },
  { env: 'HAFLEET_SMTP_USERNAME', from: 'mail/smtp-secret-arn', field: 'username' },
  { env: 'HAFLEET_SMTP_PASSWORD', from: 'mail/smtp-secret-arn', field: 'password' },
] as const satisfies ReadonlyArray<{ env: string; from: RuntimeParameterKey; field: string }>;

/** Every tenant's parameters live below this path, and its instances may read only this path. */
export function runtimeParameterPath(tenant: string): string {
  return `/hafleet/${tenant}/`;
}

/** The worker's cron heartbeat: a CloudWatch metric the on-call alarm watches. */
export const WORKER_HEARTBEAT_METRIC = { namespace: 'Hafleet/Worker', metricName: 'CronHeartbeat', dimension: 'Tenant' } as const;
