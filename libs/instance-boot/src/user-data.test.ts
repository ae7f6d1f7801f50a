import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROFILE_NAMES, PROFILES, runtimeParameterPath } from '@hafleet/app-profiles';
import { afterAll, describe, expect, it } from 'vitest';
import {
  InstanceBootError,
  renderDatabaseProvisionerUserData,
  renderUserData,
  USER_DATA_LIMIT_BYTES,
  type UserDataProps,
} from './index.js';
import { FAKE_FILES, userDataFiles } from './testing/boot-harness.js';

const run = promisify(execFile);
const TENANT = 'acme-learning';
const props = (profile: keyof typeof PROFILES, role: UserDataProps['role']): UserDataProps => ({
  tenant: TENANT,
  region: 'eu-west-2',
  role,
  profile: PROFILES[profile],
  release: '2025.4',
  parameterPath: runtimeParameterPath(TENANT),
});
const provisioner = renderDatabaseProvisionerUserData({
  tenant: TENANT,
  region: 'eu-west-2',
  parameterPath: runtimeParameterPath(TENANT),
  autoScalingGroupName: 'acme-learning-db-provisioner',
});
const USER_DATA: Record<string, string> = {
  ...Object.fromEntries(
    PROFILE_NAMES.flatMap((name) => (['web', 'worker'] as const).map((role) => [`${name} ${role}`, renderUserData(props(name, role))])),
  ),
  'database provisioner': provisioner,
};

const dir = mkdtempSync(join(tmpdir(), 'hafleet-user-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('user data', () => {
  it('passes cloud-init schema for every profile × role and the database provisioner (Debian cloud-init)', async () => {
    const results = await Promise.all(
      Object.entries(USER_DATA).map(async ([name, text]) => {
        const file = join(dir, `${name.replace(/ /g, '-')}.yaml`);
        writeFileSync(file, text);
        const { stdout } = await run('cloud-init', ['schema', '--config-file', file]);
        return [name, stdout.trim()];
      }),
    );
    for (const [name, stdout] of results) expect(stdout, name).toMatch(/^Valid cloud-config: /);
  });

  it('cloud-init schema finds a broken document (the validator really runs)', async () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, USER_DATA['moodle web']!.replace('permissions: "0755"', 'permissions: 755'));
    await expect(run('cloud-init', ['schema', '--config-file', file])).rejects.toMatchObject({
      stderr: expect.stringContaining('is not of type'),
    });
  });

  it('every shell script in it, and the test fakes, pass shellcheck (one call)', () => {
    const scripts = Object.entries(USER_DATA).flatMap(([name, text]) =>
      userDataFiles(text)
        .filter((file) => file.content.startsWith('#!/bin/bash'))
        .map((file) => {
          const path = join(dir, `${name.replace(/ /g, '-')}${file.path.replace(/\//g, '_')}.sh`);
          writeFileSync(path, file.content);
          return path;
        }),
    );
    expect(scripts).toHaveLength(Object.keys(USER_DATA).length);
    const result = spawnSync('shellcheck', ['--severity=style', ...scripts, ...FAKE_FILES], { encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
    // Disables are specific and carry a reason.
    for (const text of Object.values(USER_DATA)) {
      for (const disable of text.match(/shellcheck disable=.*/g) ?? []) expect(disable).toMatch(/^shellcheck disable=SC\d+ # \S/);
    }
  });

  it('stays under the EC2 limit of 16 KB for every profile, with the longest tenant name (32) and release (64) a spec allows', () => {
    const tenant = `t${'x'.repeat(30)}t`;
    for (const name of PROFILE_NAMES) {
      const text = renderUserData({
        ...props(name, 'worker'),
        tenant,
        parameterPath: runtimeParameterPath(tenant),
        release: 'r'.repeat(64),
      });
      expect(Buffer.byteLength(text), name).toBeLessThan(USER_DATA_LIMIT_BYTES);
    }
  });

  it('changes when only the release changes (so the launch template changes and the instance refresh starts)', () => {
    const next = renderUserData({ ...props('moodle', 'web'), release: '2025.5' });
    expect(next).not.toBe(USER_DATA['moodle web']);
    expect(next.replaceAll('2025.5', '2025.4')).toBe(USER_DATA['moodle web']);
  });

  it('writes the scripts, the units and one boot command; the worker alone gets the cron units', () => {
    const paths = (text: string) => userDataFiles(text).map((file) => `${file.path} ${file.permissions} ${file.owner}`);
    expect(paths(USER_DATA['totara web']!)).toEqual([
      '/usr/local/sbin/hafleet-instance 0755 root:root',
      '/etc/systemd/system/hafleet-refresh.service 0644 root:root',
      '/etc/systemd/system/hafleet-refresh.timer 0644 root:root',
    ]);
    expect(paths(USER_DATA['totara worker']!).slice(3)).toEqual([
      '/etc/systemd/system/hafleet-cron.service 0644 root:root',
      '/etc/systemd/system/hafleet-cron.timer 0644 root:root',
    ]);
    expect(USER_DATA['totara web']).toContain('\nruncmd:\n- - /usr/local/sbin/hafleet-instance\n  - boot\n');
    expect(paths(provisioner)).toEqual(['/usr/local/sbin/hafleet-provision-database 0700 root:root']);
  });

  it('refuses props that would not make a working script, naming the field and the fix', () => {
    expect(() => renderUserData({ ...props('moodle', 'web'), release: '2025 4' })).toThrow(
      new InstanceBootError(
        'instance-boot: release "2025 4" is not usable in a boot script: use a release label without spaces (e.g. 2025.4)',
      ),
    );
    expect(() => renderUserData({ ...props('moodle', 'web'), parameterPath: '/hafleet/acme' })).toThrow(
      /parameterPath "\/hafleet\/acme" .*runtimeParameterPath\(tenant\)/,
    );
    const broken = { ...PROFILES.generic, config: { ...PROFILES.generic.config, path: '/etc/my app.env' } };
    expect(() => renderUserData({ ...props('generic', 'web'), profile: broken })).toThrow(
      /profile generic: config\.path "\/etc\/my app\.env"/,
    );
    const huge = { ...PROFILES.generic, config: { ...PROFILES.generic.config, template: 'X'.repeat(USER_DATA_LIMIT_BYTES) } };
    expect(() => renderUserData({ ...props('generic', 'web'), profile: huge })).toThrow(
      /EC2 accepts at most 16384: shorten profile generic's config\.template/,
    );
  });
});
