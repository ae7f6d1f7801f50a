import { readFileSync } from 'node:fs';
import { runtimeParameterPath } from '@hafleet/app-profiles';
import {
  bootWithStackParameters,
  cloudInitSchema,
  runUserData,
  shellcheckUserData,
  stackParameters,
  stackUserData,
  type BootRun,
} from '@hafleet/instance-boot/testing';
import { tempWorkspace, type TempWorkspace } from '@hafleet/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeTenants } from './synthesize.js';

/**
 * The boot as every example tenant's stack defines it: each launch template's user data passes
 * cloud-init's schema and shellcheck, and the web boot script, run with the AWS CLI, mount and
 * systemd replaced by recording fakes that answer with exactly the SSM parameters the stack
 * publishes (Terraform expressions verbatim), renders a config holding exactly those values.
 */

let workspace: TempWorkspace;
let stacks: { tenant: string; json: Parameters<typeof stackUserData>[0] }[];
const runs: BootRun[] = [];
beforeAll(() => {
  workspace = tempWorkspace();
  stacks = synthesizeTenants({ workspaceRoot: workspace.root, mode: 'offline' }).map((s) => ({
    tenant: s.tenant,
    json: JSON.parse(readFileSync(s.file, 'utf8')),
  }));
});
afterAll(() => {
  runs.forEach((run) => run.dispose());
  workspace.dispose();
});

const TENANTS = ['harbour-health', 'lakeside-state', 'northwind-university'];
/** One example's synthesized stack, its published parameters and a reader of their values. */
function example(tenant: string) {
  const { json } = stacks.find((s) => s.tenant === tenant)!;
  const parameters = stackParameters(json);
  const path = runtimeParameterPath(tenant);
  const value = (key: string) => parameters.find((p) => p.Name === `${path}${key}`)!.Value;
  const userData = (role: string) => stackUserData(json).find((u) => u.role === role)!;
  return { json, parameters, path, value, userData };
}

describe('boot of every example tenant, from its synthesized stack', () => {
  it('every launch template has user data; every one passes cloud-init schema, every script in them shellcheck', async () => {
    const documents = stacks.flatMap(({ tenant, json }) =>
      stackUserData(json).map((u) => ({ name: `${tenant} ${u.name}`, text: u.text, role: u.role })),
    );
    for (const { tenant, json } of stacks) {
      const templates = Object.values(json.resource?.aws_launch_template ?? {});
      expect(
        templates.filter((t) => typeof t.user_data !== 'string'),
        tenant,
      ).toEqual([]);
      expect(
        stackUserData(json)
          .map((u) => u.role)
          .sort(),
        tenant,
      ).toEqual(['database provisioner', 'web', 'worker']);
    }
    expect(await cloudInitSchema(documents)).toEqual(documents.map((d) => `${d.name}: Valid cloud-config: `));
    const shellcheck = shellcheckUserData(documents);
    expect(shellcheck.output).toBe('');
    expect(shellcheck).toMatchObject({ status: 0, scripts: documents.length });
  });

  it.each(TENANTS)(
    '%s: the web boot (AWS CLI, mount and systemd replaced by recording fakes) renders exactly the parameters the stack publishes',
    (tenant) => {
      const { parameters, path, value, userData } = example(tenant);
      expect(parameters.filter((p) => p.Name.startsWith(path)).length).toBeGreaterThan(10);
      const { run, config, expected } = bootWithStackParameters(userData('web'), parameters, path);
      runs.push(run);
      expect(run.status, run.stderr).toBe(0);
      expect(config).toBe(expected);
      // The values are the stack's own references, verbatim: e.g. the database writer endpoint.
      const writer = value('db/writer-endpoint');
      expect(writer).toMatch(/^\$\{aws_(rds_cluster|db_instance)\.[\w-]+\.(endpoint|address)\}$/);
      expect(config).toContain(writer);
      const fs = value('files/file-system-id');
      expect(run.calls.some((c) => c.startsWith(`mount -t efs -o tls,iam,accesspoint=`) && c.includes(` ${fs}:/ `))).toBe(true);
    },
  );

  it.each(TENANTS)(
    '%s: the database provisioner (AWS CLI and database client replaced by recording fakes) grants on the published writer and fills the published app secret',
    (tenant) => {
      const { json, parameters, value, userData } = example(tenant);
      const run = runUserData(userData('database provisioner').text, {
        parameters,
        secrets: { [value('db/master-secret-arn')]: JSON.stringify({ username: 'root', password: 'master-Pa55' }) },
      });
      runs.push(run);
      expect(run.status, run.stderr).toBe(0);
      const client = value('db/engine').includes('postgres') ? 'psql' : 'mariadb';
      expect(run.calls.find((c) => c.startsWith(`${client} `))).toContain(
        `--host=${value('db/writer-endpoint')} --port=${value('db/port')}`,
      );
      expect(JSON.parse(run.secrets()[value('db/app-secret-arn')]!)).toMatchObject({ username: 'hafleet_app_a' });
      const groups = Object.values(json.resource?.aws_autoscaling_group ?? {}).map((g) => g.name);
      expect(groups).toContain(`${tenant}-db-provisioner`);
      expect(run.calls.at(-1)).toBe(
        `aws autoscaling set-desired-capacity --auto-scaling-group-name ${tenant}-db-provisioner --desired-capacity 0`,
      );
    },
  );
});
