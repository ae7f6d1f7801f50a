import { readFileSync } from 'node:fs';
import { runtimeParameterPath } from '@hafleet/app-profiles';
import { bootWithStackParameters, cloudInitSchema, shellcheckUserData, stackParameters, stackUserData, type BootRun } from '@hafleet/instance-boot/testing';
import { tempWorkspace, type TempWorkspace } from '@hafleet/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeTenants } from './synthesize.js';

/**
 * The boot as every example tenant's stack defines it: each launch template's user data passes
 * cloud-init's schema and shellcheck, and the web boot script, run with the AWS CLI, mount and
 * systemd replaced by recording fakes that answer with exactly the SSM parameters the stack
 * publishes (Terraform expressions verbatim), renders a config holding exactly those values.
 */

interface ExampleStack {
  readonly tenant: string;
  readonly json: Parameters<typeof stackUserData>[0];
}

let workspace: TempWorkspace;

function synthesizeExampleStacks(): ExampleStack[] {
  workspace = tempWorkspace();
  return synthesizeTenants({ workspaceRoot: workspace.root, mode: 'offline' }).map((s) => ({ tenant: s.tenant, json: JSON.parse(readFileSync(s.file, 'utf8')) }));
}

let stacks: ExampleStack[];
const runs: BootRun[] = [];
beforeAll(() => {
  stacks = synthesizeExampleStacks();
});
afterAll(() => {
  runs.forEach((run) => run.dispose());
  workspace.dispose();
});

describe('boot of every example tenant, from its synthesized stack', () => {
  it('every launch template has user data; every one passes cloud-init schema, every script in them shellcheck', async () => {
    const documents = stacks.flatMap(({ tenant, json }) => stackUserData(json).map((u) => ({ name: `${tenant} ${u.name}`, text: u.text, role: u.role })));
    for (const { tenant, json } of stacks) {
      const templates = Object.values(json.resource?.aws_launch_template ?? {});
      expect(templates.filter((t) => typeof t.user_data !== 'string'), tenant).toEqual([]);
      expect(stackUserData(json).map((u) => u.role).sort(), tenant).toEqual(['database provisioner', 'web', 'worker']);
    }
    expect(await cloudInitSchema(documents)).toEqual(documents.map((d) => `${d.name}: Valid cloud-config: `));
    const shellcheck = shellcheckUserData(documents);
    expect(shellcheck.output).toBe('');
    expect(shellcheck).toMatchObject({ status: 0, scripts: documents.length });
  });

  it.each(['harbour-health', 'lakeside-state', 'northwind-university'])(
    '%s: the web boot (AWS CLI, mount and systemd replaced by recording fakes) renders exactly the parameters the stack publishes',
    (tenant) => {
      const { json } = stacks.find((s) => s.tenant === tenant)!;
      const parameters = stackParameters(json);
      const path = runtimeParameterPath(tenant);
      expect(parameters.filter((p) => p.Name.startsWith(path)).length).toBeGreaterThan(10);
      const web = stackUserData(json).find((u) => u.role === 'web')!;
      const { run, config, expected } = bootWithStackParameters(web, parameters, path);
      runs.push(run);
      expect(run.status, run.stderr).toBe(0);
      expect(config).toBe(expected);
      // The values are the stack's own references, verbatim: e.g. the database writer endpoint.
      const writer = parameters.find((p) => p.Name === `${path}db/writer-endpoint`)!.Value;
      expect(writer).toMatch(/^\$\{aws_(rds_cluster|db_instance)\.[\w-]+\.(endpoint|address)\}$/);
      expect(config).toContain(writer);
      const fs = parameters.find((p) => p.Name === `${path}files/file-system-id`)!.Value;
      expect(run.calls.some((c) => c.startsWith(`mount -t efs -o tls,iam,accesspoint=`) && c.includes(` ${fs}:/ `))).toBe(true);
    },
  );
});
