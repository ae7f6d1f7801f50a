import { runtimeParameterPath } from '@hafleet/app-profiles';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_PROVISIONER_PARAMETERS, renderDatabaseProvisionerUserData } from './index.js';
import { runUserData, type BootRun } from './testing/boot-harness.js';
import { bootFixture } from './testing/fixtures.js';

const TENANT = 'acme-learning';
const PATH = runtimeParameterPath(TENANT);
const MASTER = 'arn:aws:secretsmanager:eu-west-2:111122223333:secret:rds!cluster-1a2b3c-AbCdEf';
const GROUP = 'acme-learning-db-provisioner';
const userData = renderDatabaseProvisionerUserData({
  tenant: TENANT,
  region: 'eu-west-2',
  parameterPath: PATH,
  autoScalingGroupName: GROUP,
});
/** The db parameters, and the master secret's ARN published for the provisioner. */
const parametersOf = (fixture: ReturnType<typeof bootFixture>) => [
  ...fixture.parameters,
  { Name: `${PATH}${DATABASE_PROVISIONER_PARAMETERS.masterSecretArn}`, Type: 'String' as const, Value: MASTER },
];

const runs: BootRun[] = [];
afterEach(() => runs.splice(0).forEach((run) => run.dispose()));

/** A fixture as on the first apply: the master secret exists, the app secret has no value yet. */
function provision(engine: 'aurora-mysql' | 'postgres', appSecret?: object) {
  const fixture = bootFixture(TENANT, PATH, engine);
  const appArn = fixture.values['db/app-secret-arn'];
  const secrets: Record<string, string> = { [MASTER]: JSON.stringify({ username: 'hafleet_admin', password: 'master-Pa55' }) };
  if (appSecret) secrets[appArn] = JSON.stringify(appSecret);
  const run = runUserData(userData, { parameters: parametersOf(fixture), secrets });
  runs.push(run);
  return { run, appArn, fixture };
}

/** The SQL each faked database client received on stdin. */
const sqlOf = (run: BootRun, client: string) =>
  [...run.log.matchAll(new RegExp(`^${client} .*\\nPGSSLMODE=(.*)\\n([\\s\\S]*?)end of ${client}$`, 'gm'))].map((m) => ({
    sslmode: m[1],
    sql: m[2]!,
  }));

describe('the database provisioner, run with bash in a temporary root (AWS CLI and database clients replaced by recording fakes)', () => {
  it('MySQL family, first apply: creates hafleet_app_a with a new password over TLS, stores it in the app secret, scales its group to 0', () => {
    const { run, appArn, fixture } = provision('aurora-mysql');
    expect(run.status, run.stderr).toBe(0);
    const secret = JSON.parse(run.secrets()[appArn]!) as { username: string; password: string };
    expect(secret.username).toBe('hafleet_app_a');
    expect(secret.password).toMatch(/^[0-9a-f]{48}$/);

    const [call] = run.calls.filter((c) => c.startsWith('mariadb '));
    expect(call).toBe(
      `mariadb --host=${fixture.values['db/writer-endpoint']} --port=3306 --user=hafleet_admin --ssl --batch --connect-timeout=10`,
    );
    expect(sqlOf(run, 'mariadb').map((s) => s.sql)).toEqual([
      `CREATE USER IF NOT EXISTS 'hafleet_app_a'@'%' IDENTIFIED BY '${secret.password}' REQUIRE SSL;\n` +
        `ALTER USER 'hafleet_app_a'@'%' IDENTIFIED BY '${secret.password}' REQUIRE SSL;\n` +
        "GRANT ALL PRIVILEGES ON `lms`.* TO 'hafleet_app_a'@'%';\n",
    ]);
    // The password never appears on a command line.
    expect(run.calls.join('\n')).not.toContain(secret.password);
    expect(run.calls.filter((c) => c.startsWith('dnf'))).toEqual([]); // the client is there (the fake)
    // The grants before the secret, the secret before the group goes to 0.
    const order = ['mariadb ', 'aws secretsmanager put-secret-value', 'aws autoscaling set-desired-capacity'].map((prefix) =>
      run.calls.findIndex((c) => c.startsWith(prefix)),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[0]).toBeGreaterThanOrEqual(0);
    expect(run.calls.at(-1)).toBe(`aws autoscaling set-desired-capacity --auto-scaling-group-name ${GROUP} --desired-capacity 0`);
    expect(run.read('/var/lib/hafleet/database-provisioned')).toMatch(/^app user hafleet_app_a since \d{4}-\d\d-\d\dT/);
  });

  it('PostgreSQL family, rotation: sets a new password on the user the app does not use, via the shared hafleet_app role, TLS required', () => {
    const { run, appArn } = provision('postgres', { username: 'hafleet_app_a', password: 'still-in-use' });
    expect(run.status, run.stderr).toBe(0);
    const secret = JSON.parse(run.secrets()[appArn]!) as { username: string; password: string };
    expect(secret.username).toBe('hafleet_app_b');
    expect(secret.password).not.toBe('still-in-use');
    const [sql] = sqlOf(run, 'psql');
    expect(sql!.sslmode).toBe('require');
    expect(sql!.sql).toContain(`ALTER ROLE hafleet_app_b WITH LOGIN PASSWORD '${secret.password}';`);
    expect(sql!.sql).toContain('GRANT hafleet_app TO hafleet_app_b;');
    expect(sql!.sql).toContain('GRANT ALL PRIVILEGES ON DATABASE "lms" TO hafleet_app;');
    expect(sql!.sql).not.toContain('hafleet_app_a');
    expect(run.calls.filter((c) => c.startsWith('dnf'))).toEqual([]);
    expect(run.calls.some((c) => c.startsWith('psql --host=') && c.includes('--dbname=lms') && c.includes('--set=ON_ERROR_STOP=1'))).toBe(
      true,
    );
  });

  it('stops with a clear error when the master secret cannot be read, and leaves the app secret and the group alone', () => {
    const fixture = bootFixture(TENANT, PATH, 'aurora-mysql');
    const run = runUserData(userData, { parameters: parametersOf(fixture), secrets: {} });
    runs.push(run);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`hafleet: error: the master user secret (${MASTER}) still has no value`);
    expect(run.calls.filter((c) => /put-secret-value|set-desired-capacity|^mariadb/.test(c))).toEqual([]);
  });

  it('refuses a Terraform reference for the group name: user data is literal text', () => {
    expect(() =>
      renderDatabaseProvisionerUserData({
        tenant: TENANT,
        region: 'eu-west-2',
        parameterPath: PATH,
        autoScalingGroupName: '${TfToken[TOKEN.12]}',
      }),
    ).toThrow(/autoScalingGroupName is a Terraform reference .*publish the value as an SSM parameter/);
  });
});
