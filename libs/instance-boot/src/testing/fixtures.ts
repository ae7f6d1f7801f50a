import { RUNTIME_PARAMETERS, SECRET_VALUES, type ApplicationProfile, type RuntimeParameterKey } from '@hafleet/app-profiles';
import type { BootFixture, SsmParameter } from './boot-harness.js';

/** Test-only: a tenant's published configuration as SSM and Secrets Manager would hold it. */

export type Engine = 'mysql' | 'aurora-mysql' | 'postgres' | 'aurora-postgresql';

const arn = (tenant: string, name: string) => `arn:aws:secretsmanager:eu-west-2:111122223333:secret:hafleet/${tenant}/${name}-AbCdEf`;

/** One realistic value per runtime parameter (every optional one included). */
export function exampleValues(tenant: string, engine: Engine = 'aurora-mysql'): Record<RuntimeParameterKey, string> {
  const postgres = engine.includes('postgres');
  return {
    'site/url': `https://learn.${tenant}.example.org`,
    'site/domain': `learn.${tenant}.example.org`,
    'app/profile': 'moodle',
    'app/release': '2025.4',
    'app/time-zone': 'Australia/Sydney',
    'db/engine': engine,
    'db/writer-endpoint': `${tenant}-db.cluster-c9akciq32.eu-west-2.rds.amazonaws.com`,
    'db/reader-endpoint': `${tenant}-db.cluster-ro-c9akciq32.eu-west-2.rds.amazonaws.com`,
    'db/port': postgres ? '5432' : '3306',
    'db/name': 'lms',
    'db/app-secret-arn': arn(tenant, 'db-app'),
    'cache/sessions-endpoint': `master.${tenant}-sessions.x1y2z3.euw2.cache.amazonaws.com`,
    'cache/application-endpoint': `master.${tenant}-app.x1y2z3.euw2.cache.amazonaws.com`,
    'cache/port': '6379',
    'cache/auth-secret-arn': arn(tenant, 'cache-auth'),
    'files/file-system-id': 'fs-0123456789abcdef0',
    'files/access-point-id': 'fsap-0fedcba9876543210',
    'content/bucket': `hafleet-${tenant}-content-111122223333`,
    'content/cdn-domain': 'd111111abcdef8.cloudfront.net',
    'mail/smtp-host': 'email-smtp.eu-west-2.amazonaws.com',
    'mail/smtp-port': '587',
    'mail/from-address': `no-reply@learn.${tenant}.example.org`,
    'mail/smtp-secret-arn': arn(tenant, 'smtp'),
  };
}

/** The SSM parameters of `values` under `path`, plus a neighbour tenant's, which must not be read. */
export function ssmParameters(path: string, values: Partial<Record<string, string>>): SsmParameter[] {
  const secure = new Set<string>(RUNTIME_PARAMETERS.filter((p) => p.secure).map((p) => p.key));
  const own = Object.entries(values)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ({
      Name: `${path}${key}`,
      Type: secure.has(key) ? ('SecureString' as const) : ('String' as const),
      Value: value,
    }));
  return [...own, { Name: '/hafleet/a-neighbour/db/writer-endpoint', Type: 'String', Value: 'neighbour-db.example' }];
}

export const SECRET_FIXTURE = {
  db: { username: 'hafleet_app_a', password: 'Db7pAss-0f-the-app_user' },
  cache: { username: 'hafleet-app', password: 'c4che-Pa55word-for-redis-rbac' },
  smtp: { username: 'AKIAEXAMPLESMTPUSER', password: 'BSmtpPa55w0rdFromSES/+x=' },
};

/** A whole fixture: every parameter published, every secret with a value. */
export function bootFixture(
  tenant: string,
  path: string,
  engine: Engine = 'aurora-mysql',
): BootFixture & { values: Record<RuntimeParameterKey, string> } {
  const values = exampleValues(tenant, engine);
  return {
    values,
    parameters: ssmParameters(path, values),
    secrets: {
      [values['db/app-secret-arn']]: JSON.stringify(SECRET_FIXTURE.db),
      [values['cache/auth-secret-arn']]: JSON.stringify(SECRET_FIXTURE.cache),
      [values['mail/smtp-secret-arn']]: JSON.stringify(SECRET_FIXTURE.smtp),
    },
  };
}

/**
 * The runtime values by env name, as the boot script should export them: parameters by their
 * `env`, secret fields by theirs, absent optional ones empty.
 */
export function runtimeValues(values: Partial<Record<string, string>>, secrets: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const p of RUNTIME_PARAMETERS) env[p.env] = values[p.key] ?? '';
  for (const s of SECRET_VALUES) {
    const secretArn = values[s.from];
    env[s.env] = secretArn ? ((JSON.parse(secrets[secretArn]!) as Record<string, string>)[s.field] ?? '') : '';
  }
  return env;
}

/** The profile's template with every placeholder filled, computed here independently of the script. */
export function expectedConfig(profile: ApplicationProfile, env: Record<string, string>): string {
  const text = profile.config.template.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_, name: string) => {
    if (!(name in env)) throw new Error(`unknown placeholder ${name}`);
    return env[name]!;
  });
  return text.endsWith('\n') ? text : `${text}\n`;
}
