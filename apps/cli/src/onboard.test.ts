import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFleet, tempWorkspace, type TempWorkspace } from '@hafleet/testing';
import { ACME_ONBOARD_ARGS as FLAGS } from './testing/onboard-flags.js';

/** `fleet onboard` and `fleet size`: the real CLI in a child process without a terminal, as in CI. */

describe('fleet onboard / fleet size', () => {
  let workspace: TempWorkspace;
  const tenants = () => readdirSync(join(workspace.root, 'tenants')).sort();
  beforeEach(() => {
    workspace = tempWorkspace({ tenants: ['harbour-health'] });
  });
  afterEach(() => workspace.dispose());

  it('onboards from flags, prints the sizing table, and the fleet validates', () => {
    const { code, stdout, stderr } = runFleet(workspace, 'onboard', ...FLAGS, '--dry-run');
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('would onboard acme-college (Acme College) in eu-west-1');
    // Nothing was written, so no "next: plan" (issue 13.9).
    expect(stdout).toContain('would write tenants/acme-college/tenant.json');
    expect(stdout).toContain('nothing written (dry run)');
    expect(stdout).not.toContain('next:');
    expect(tenants()).toEqual(['harbour-health']);

    const onboarded = runFleet(workspace, 'onboard', ...FLAGS);
    expect(onboarded.code, onboarded.stderr).toBe(0);
    expect(onboarded.stdout).toMatch(/web\.maxCapacity\s+24\s+—\s+24\s+3× desired: headroom for the end-of-term pile-on/);
    expect(onboarded.stdout).toContain('wrote tenants/acme-college/tenant.json');
    expect(tenants()).toEqual(['acme-college', 'harbour-health']);
    expect(runFleet(workspace, 'validate').stdout).toContain('2 tenant spec(s) valid: acme-college, harbour-health');

    const size = runFleet(workspace, 'size', 'acme-college');
    expect(size.code, size.stderr).toBe(0);
    expect(size.stdout).toContain('acme-college: medium band (251–1,000 concurrent users) for 800 concurrent users of 40,000, production');
    expect(size.stdout).toMatch(/database\.allocatedStorageGiB\s+100\s+—\s+100\s+20 GiB \+ 2 MiB × 40,000 accounts/);
    expect(size.stdout).toMatch(/database\.readers\s+1\s+—\s+\(unused\)\s+not used: RDS Multi-AZ/);

    const fleet = runFleet(workspace, 'size', '--json');
    const reports = JSON.parse(fleet.stdout) as Array<{
      tenant: string;
      band: { name: string };
      decisions: Array<{ field: string; source: string }>;
    }>;
    expect(reports.map((r) => [r.tenant, r.band.name])).toEqual([
      ['acme-college', 'medium'],
      ['harbour-health', 'small'],
    ]);
  });

  it('takes Shield Advanced as a switch and signed content from a key file named relative to where it runs', () => {
    const keyFile = 'libs/onboarding/examples/northwind-signing-2026.pub.pem';
    const args = ['--cdn-certificate-arn', 'arn:aws:acm:us-east-1:111122223333:certificate/1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d'];
    const { code, stdout, stderr } = runFleet(
      workspace,
      'onboard',
      ...FLAGS,
      ...args,
      '--shield-advanced',
      '--signed-content-paths',
      '/content/private/*',
      '--signed-content-public-keys',
      keyFile,
      '--json',
    );
    expect(code, stderr).toBe(0);
    const { spec } = JSON.parse(stdout) as { spec: { edge: object; cdn: { signedContent: object } } };
    expect(spec.edge).toMatchObject({ shieldAdvanced: true });
    expect(spec.cdn.signedContent).toEqual({
      pathPatterns: ['/content/private/*'],
      publicKeys: [{ name: 'northwind-signing-2026', encodedKey: readFileSync(join(workspace.root, keyFile), 'utf8') }],
    });
    expect(runFleet(workspace, 'validate').code).toBe(0);
  });

  it('names every missing flag when there is no terminal to ask in (exit 2, nothing written)', () => {
    const { code, stderr } = runFleet(workspace, 'onboard', 'acme-college', '--region', 'eu-west-1');
    expect(code).toBe(2);
    expect(stderr).toContain(
      'missing --display-name, --concurrent-users, --population, --database-engine, --domain, ' +
        '--certificate-arn, --alert-emails (no terminal to ask in) — fix: pass --display-name',
    );
    expect(tenants()).toEqual(['harbour-health']);
  });

  it.each([
    [['--population', '500'], 'field expectedLoad.population (--population): 500 is below concurrentUsers 800'],
    [
      ['--domain', 'training.harbourhealth.co.uk'],
      'field domain (--domain): training.harbourhealth.co.uk is also the domain of harbour-health',
    ],
    [['--frobnicate', 'x'], 'fleet onboard: unknown option --frobnicate'],
  ])('refuses %j with exit 2 and writes nothing', (extra, message) => {
    // A flag given again replaces its answer (giving one twice is itself a usage error).
    const at = FLAGS.indexOf(extra[0]!);
    const flags = at === -1 ? [...FLAGS, ...extra] : [...FLAGS.slice(0, at), ...extra, ...FLAGS.slice(at + 2)];
    const { code, stderr } = runFleet(workspace, 'onboard', ...flags);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(existsSync(join(workspace.root, 'tenants/acme-college'))).toBe(false);
  });

  it('shows an explicit size as the spec winning over the model, and the model values it moves', () => {
    expect(runFleet(workspace, 'onboard', ...FLAGS).code).toBe(0);
    const file = join(workspace.root, 'tenants/acme-college/tenant.json');
    const spec = JSON.parse(readFileSync(file, 'utf8'));
    expect(spec.web).toBeUndefined(); // onboarding leaves every size to the model
    writeFileSync(file, JSON.stringify({ ...spec, web: { maxCapacity: 6 } }));
    const { code, stdout, stderr } = runFleet(workspace, 'size', 'acme-college');
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/web\.maxCapacity\s+24\s+6\s+6\s+set in the spec \(model: 24, 3× desired/);
    expect(stdout).toMatch(/web\.desiredCapacity\s+8\s+—\s+6\s+800 users need 8 × m7i\.xlarge .*; kept within the spec's web values \(6\)/);
  });
});
