import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { WORKSPACE_ROOT, tempWorkspace, type TempWorkspace, runFleet } from '@hafleet/testing';

/** The real CLI in a child process, against a throw-away copy of the workspace. */
const fleet = runFleet;

describe('fleet CLI', () => {
  let workspace: TempWorkspace;
  const spec = (tenant: string) => join(workspace.root, 'tenants', tenant, 'tenant.json');

  beforeEach(() => {
    workspace = tempWorkspace();
  });
  afterEach(() => workspace.dispose());

  it('validates the example fleet', () => {
    const { code, stdout } = fleet(workspace, 'validate');
    expect(code).toBe(0);
    expect(stdout).toContain('3 tenant spec(s) valid: harbour-health, lakeside-state, northwind-university');
  });

  it('reports a JSON syntax error with line and column, exit 2, nothing synthesised', () => {
    writeFileSync(spec('harbour-health'), '{\n  "name": "harbour-health",\n  "region" "eu-west-2"\n}\n');
    const { code, stderr } = fleet(workspace, 'synth');
    expect(code).toBe(2);
    expect(stderr).toContain(
      'tenants/harbour-health/tenant.json:3:12: tenant harbour-health: is not valid JSON: colon expected at line 3, column 12',
    );
    expect(existsSync(join(workspace.root, 'cdktf.out'))).toBe(false);
  });

  it('refuses a duplicate tenant name with the fix', () => {
    cpSync(join(workspace.root, 'tenants/harbour-health'), join(workspace.root, 'tenants/harbour-copy'), { recursive: true });
    const copy = JSON.parse(readFileSync(spec('harbour-copy'), 'utf8'));
    writeFileSync(spec('harbour-copy'), JSON.stringify({ ...copy, network: { vpcCidr: '10.99.0.0/16' } }));
    const { code, stderr } = fleet(workspace, 'synth');
    expect(code).toBe(2);
    expect(stderr).toContain(
      'tenants/harbour-copy/tenant.json: tenant harbour-health, field name: ' +
        '"harbour-health" is already the name of tenants/harbour-health/tenant.json — fix: set name to "harbour-copy"',
    );
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate" — fix: one of [a-z, ]*\bplan, show, apply, drift\b/],
    [['plan', '--max-parallel', '0'], /fleet plan: --max-parallel "0" is out of range — fix: a whole number 1–64/],
    [['synth', 'nobody'], /tenant nobody: no such tenant — fix: one of harbour-health, lakeside-state, northwind-university/],
    [['synth', '--frobnicate'], /fleet synth: unknown option --frobnicate — fix: see `fleet synth --help` for every option/],
  ])('exits 2 on bad arguments %j', (args, message) => {
    const { code, stderr } = fleet(workspace, ...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('plans the current spec: a stale stack is synthesised first, and apply refuses a plan whose spec changed since (issue 13.1)', () => {
    expect(fleet(workspace, 'synth', 'harbour-health').code).toBe(0);
    const stack = () => readFileSync(join(workspace.root, 'cdktf.out/stacks/harbour-health/cdk.tf.json'), 'utf8');
    expect(stack()).toContain('"m7i.large"');
    const original = readFileSync(spec('harbour-health'), 'utf8');
    const raise = (users: number) =>
      writeFileSync(
        spec('harbour-health'),
        original.replace(/"concurrentUsers": \d+/, `"concurrentUsers": ${users}`).replace(/"population": \d+/, '"population": 40000'),
      );
    raise(2000);
    const planned = fleet(workspace, 'plan', 'harbour-health', '--json');
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stderr).toContain('synth harbour-health first: tenants/harbour-health/tenant.json changed since it was synthesised');
    expect(stack()).toContain('"m7i.2xlarge"'); // the large band, planned
    expect(JSON.parse(planned.stdout)[0].summary.add).toBeGreaterThan(100);

    // README (issue 13.10): plain terraform in the stack folder, given the mirror's CLI config hafleet wrote.
    const readme = readFileSync(join(WORKSPACE_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('`TF_CLI_CONFIG_FILE=$PWD/../../../.hafleet/terraform.rc terraform init`');
    const stackDir = join(workspace.root, 'cdktf.out/stacks/harbour-health');
    const init = spawnSync('terraform', ['init', '-input=false', '-no-color'], {
      cwd: stackDir,
      env: {
        ...process.env,
        TF_CLI_CONFIG_FILE: join(stackDir, '../../../.hafleet/terraform.rc'),
        TF_DATA_DIR: join(workspace.root, 'plain-terraform'),
      },
      encoding: 'utf8',
    });
    expect(init.status, init.stdout + init.stderr).toBe(0);
    expect(init.stdout).toContain('Terraform has been successfully initialized');

    raise(3000);
    const applied = fleet(workspace, 'apply', 'harbour-health');
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain(
      'tenants/harbour-health/tenant.json changed since it was synthesised — fix: run `npx nx run harbour-health:plan`',
    );
  }, 240_000); // two syntheses, a full offline plan and a terraform init: about 35 s on an idle machine
});
