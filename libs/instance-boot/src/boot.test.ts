import { PROFILE_NAMES, PROFILES, runtimeParameterPath, WORKER_HEARTBEAT_METRIC } from '@hafleet/app-profiles';
import { afterEach, describe, expect, it } from 'vitest';
import { renderUserData, type UserDataProps } from './index.js';
import { runUserData, type BootRun } from './testing/boot-harness.js';
import { bootFixture, expectedConfig, runtimeValues, SECRET_FIXTURE } from './testing/fixtures.js';

const TENANT = 'acme-learning';
const PATH = runtimeParameterPath(TENANT);
const props = (profile: keyof typeof PROFILES, role: UserDataProps['role'] = 'web'): UserDataProps => ({
  tenant: TENANT,
  region: 'eu-west-2',
  role,
  profile: PROFILES[profile],
  release: '2025.4',
  parameterPath: PATH,
});

const runs: BootRun[] = [];
const boot = (...args: Parameters<typeof runUserData>) => {
  const run = runUserData(...args);
  runs.push(run);
  return run;
};
afterEach(() => runs.splice(0).forEach((run) => run.dispose()));

const failureOf = (run: BootRun) => `exit ${run.status}\n${run.stderr}`;

describe('the boot, run with bash in a temporary root (AWS CLI, mount and systemd replaced by recording fakes)', () => {
  it.each(PROFILE_NAMES)(
    '%s web node: reads the path, mounts EFS, renders exactly the published values, starts the services, then the health marker',
    (name) => {
      const profile = PROFILES[name];
      const fixture = bootFixture(TENANT, PATH, name === 'scorm-engine' ? 'aurora-postgresql' : 'aurora-mysql');
      const run = boot(renderUserData(props(name)), fixture, { watch: profile.health.shallowFile });
      expect(run.status, failureOf(run)).toBe(0);

      // The config holds exactly the published endpoints, ids and secret values, each in its place.
      const env = runtimeValues(fixture.values, fixture.secrets);
      const config = run.read(profile.config.path);
      expect(config).toBe(expectedConfig(profile, env));
      expect(config).toContain(fixture.values['db/writer-endpoint']);
      expect(config).toContain(SECRET_FIXTURE.db.password);
      expect(config).not.toMatch(/\{\{|neighbour/);
      expect(
        run.calls.some((c) =>
          c.startsWith(`chown ${profile.config.owner} ${run.root}${profile.config.path.replace(/\/[^/]+$/, '')}/.hafleet.`),
        ),
      ).toBe(true);

      // Every parameter under the tenant's path, decrypted, page after page (the fake serves 10 a page).
      const reads = run.calls.filter((c) => c.startsWith('aws ssm get-parameters-by-path'));
      expect(reads).toHaveLength(3);
      for (const read of reads) expect(read).toContain(`--path ${PATH} --recursive --with-decryption`);
      expect(reads[1]).toContain('--starting-token 10');

      // The runtime env: every catalogue value, owner-only.
      const runtimeEnv = run.read('/etc/hafleet/runtime.env');
      for (const [envName, value] of Object.entries(env)) expect(runtimeEnv).toContain(`\n${envName}=${value}\n`);

      // EFS through the tenant's access point, TLS and IAM, and the same in fstab.
      const fs = fixture.values['files/file-system-id'];
      const ap = fixture.values['files/access-point-id'];
      expect(run.calls).toContain(`mount -t efs -o tls,iam,accesspoint=${ap} ${fs}:/ ${run.root}${profile.files.mountPath} [absent]`);
      expect(run.read('/etc/fstab')).toBe(`${fs}:/ ${profile.files.mountPath} efs _netdev,noresvport,tls,iam,accesspoint=${ap} 0 0\n`);
      expect(run.calls).toContain('dnf install -y amazon-efs-utils [absent]');

      // Services start, in the profile's order, while the health marker is still absent; then it exists.
      const started = run.calls.filter((c) => c.startsWith('systemctl enable --now'));
      expect(started).toEqual([
        'systemctl enable --now hafleet-refresh.timer [absent]',
        ...profile.services.map((s) => `systemctl enable --now ${s} [absent]`),
      ]);
      expect(run.read(profile.health.shallowFile)).toBe(`ok ${TENANT} 2025.4\n`);
      expect(run.calls.indexOf('systemctl daemon-reload [absent]')).toBeLessThan(run.calls.indexOf(started[0]!));
    },
  );

  it('worker node: runs the cron timer too; the heartbeat reports the tenant; a refresh picks up a rotated secret and reloads the services', () => {
    const profile = PROFILES.moodle;
    const fixture = bootFixture(TENANT, PATH);
    const run = boot(renderUserData(props('moodle', 'worker')), fixture);
    expect(run.status, failureOf(run)).toBe(0);
    expect(run.calls).toContain('systemctl enable --now hafleet-cron.timer');
    const cron = run.read('/etc/systemd/system/hafleet-cron.service');
    expect(cron).toContain(`\nUser=${profile.cron.user}\n`);
    expect(cron).toContain('\nEnvironmentFile=/etc/hafleet/runtime.env\n');
    expect(cron).toContain(`\nExecStart=${profile.cron.command}\n`);
    expect(cron).toContain('\nExecStartPost=+/usr/local/sbin/hafleet-instance heartbeat\n');
    expect(run.read('/etc/systemd/system/hafleet-cron.timer')).toContain(`\nOnUnitActiveSec=${profile.cron.everyMinutes}min\n`);

    const heartbeat = run.again(['usr/local/sbin/hafleet-instance', 'heartbeat']);
    expect(heartbeat.status, failureOf(heartbeat)).toBe(0);
    expect(heartbeat.calls).toEqual([
      `aws cloudwatch put-metric-data --namespace ${WORKER_HEARTBEAT_METRIC.namespace} --metric-name ` +
        `${WORKER_HEARTBEAT_METRIC.metricName} --dimensions Tenant=${TENANT} --value 1 --unit Count`,
    ]);

    // Nothing changed: nothing rewritten, nothing reloaded.
    const quiet = run.again(['usr/local/sbin/hafleet-instance', 'refresh']);
    expect(quiet.status, failureOf(quiet)).toBe(0);
    expect(quiet.calls.filter((c) => !c.startsWith('aws '))).toEqual([]);

    const rotated = {
      ...fixture.secrets,
      [fixture.values['db/app-secret-arn']]: JSON.stringify({ username: 'hafleet_app_b', password: 'n3w-Password-after-rotation' }),
    };
    const refresh = run.again(['usr/local/sbin/hafleet-instance', 'refresh'], { secrets: rotated });
    expect(refresh.status, failureOf(refresh)).toBe(0);
    const config = run.read(profile.config.path);
    expect(config).toContain("$CFG->dbuser    = 'hafleet_app_b';");
    expect(config).toContain("$CFG->dbpass    = 'n3w-Password-after-rotation';");
    expect(refresh.calls).toContain('systemctl try-reload-or-restart php-fpm httpd');
  });

  it('refuses a value with a quote, naming the parameter, and writes no config and no health marker', () => {
    const profile = PROFILES.moodle;
    const fixture = bootFixture(TENANT, PATH);
    const parameters = fixture.parameters.map((p) => (p.Name === `${PATH}db/name` ? { ...p, Value: "lms'; drop" } : p));
    const run = boot(renderUserData(props('moodle')), { ...fixture, parameters });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(
      `hafleet: error: ${PATH}db/name: holds a quote, backslash or line break, which would break the Moodle config /var/www/moodle/config.php`,
    );
    expect(run.exists(profile.config.path)).toBe(false);
    expect(run.exists(profile.health.shallowFile)).toBe(false);
    expect(run.calls.filter((c) => c.startsWith('systemctl'))).toEqual([]);
  });

  it('refuses a secret value with a backslash, and stops when the database app secret never gets a value', () => {
    const fixture = bootFixture(TENANT, PATH);
    const cacheArn = fixture.values['cache/auth-secret-arn'];
    const userData = renderUserData(props('generic'));
    const backslash = boot(userData, {
      ...fixture,
      secrets: { ...fixture.secrets, [cacheArn]: JSON.stringify({ username: 'u', password: 'a\\b' }) },
    });
    expect(backslash.status).not.toBe(0);
    expect(backslash.stderr).toContain('hafleet: error: HAFLEET_CACHE_PASSWORD holds a quote, backslash or line break');

    const { [fixture.values['db/app-secret-arn']]: _, ...withoutDb } = fixture.secrets;
    const waiting = boot(userData, { ...fixture, secrets: withoutDb });
    expect(waiting.status).not.toBe(0);
    expect(waiting.stderr).toContain(
      `hafleet: error: secret ${PATH}db/app-secret-arn (${fixture.values['db/app-secret-arn']}) still has no value after 0s`,
    );
    expect(waiting.exists('/etc/hafleet/runtime.env')).toBe(false);
  });

  it('names every missing required parameter; an absent optional one (no CDN, no SMTP secret) renders empty', () => {
    const fixture = bootFixture(TENANT, PATH);
    const {
      'content/cdn-domain': _cdn,
      'mail/smtp-secret-arn': _smtp,
      'db/port': _port,
      'files/access-point-id': _ap,
      ...rest
    } = fixture.values;
    const userData = renderUserData(props('generic'));
    const missing = boot(userData, {
      ...fixture,
      parameters: fixture.parameters.filter((p) => !p.Name.endsWith('/db/port') && !p.Name.endsWith('/access-point-id')),
    });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain(
      `missing published parameter(s): ${PATH}db/port ${PATH}files/access-point-id (apply the tenant's stack)`,
    );

    const optional = { ...rest, 'db/port': fixture.values['db/port'], 'files/access-point-id': fixture.values['files/access-point-id'] };
    const parameters = fixture.parameters.filter((p) => !p.Name.endsWith('/cdn-domain') && !p.Name.endsWith('/smtp-secret-arn'));
    const run = boot(userData, { ...fixture, parameters });
    expect(run.status, failureOf(run)).toBe(0);
    expect(run.read(PROFILES.generic.config.path)).toBe(expectedConfig(PROFILES.generic, runtimeValues(optional, fixture.secrets)));
    expect(run.read(PROFILES.generic.config.path)).toContain('\nCDN_DOMAIN=\nSMTP_HOST=email-smtp.eu-west-2.amazonaws.com\n');
  });
});
