import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs, writeJson } from '@hafleet/testing';
import { fabricateAppliedState, writeFabricatedState, type ProviderSchemas, type TerraformStateV4 } from './fabricated-state.js';
import { summarisePlan, type PlanJson } from './plan-summary.js';
import { TerraformRunner } from './runner.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

/** Built-in terraform_data only (no provider): a reference chain, a count, a sensitive value, outputs. */
function stack(webInput: string) {
  return {
    variable: { password: { type: 'string', sensitive: true, default: 'not-a-real-password' } },
    resource: {
      terraform_data: {
        database: { input: { engine: 'postgres', password: '${var.password}' } },
        web: { input: webInput, triggers_replace: ['${terraform_data.database.id}'] },
        worker: { count: 2, input: '${terraform_data.web.id}' },
      },
    },
    output: {
      web_id: { value: '${terraform_data.web.id}' },
      worker_ids: { value: '${terraform_data.worker[*].id}' },
    },
  };
}

const instance = (state: TerraformStateV4, name: string, index?: number) =>
  state.resources.find((r) => r.name === name)!.instances.find((i) => i.index_key === index)!;

describe('fabricateAppliedState with the real terraform binary (terraform_data, local state)', () => {
  let dir: string;
  let runner: TerraformRunner;
  let plan: PlanJson;
  let schemas: ProviderSchemas;
  let state: TerraformStateV4;

  beforeAll(async () => {
    dir = dirs.make();
    writeJson(dir, 'main.tf.json', stack('release-1'));
    runner = new TerraformRunner({ workingDir: dir });
    await runner.init();
    plan = await runner.showJson((await runner.plan({ out: 'tfplan' })).planFile);
    schemas = await runner.providerSchemas();
    state = fabricateAppliedState(plan, schemas, { lineage: 'a3c0b8a4-0000-4000-8000-000000000001' });
  });

  it('holds every planned resource, unknowns filled from the address, references resolved, sensitive paths kept', () => {
    expect(summarisePlan(plan)).toMatchObject({ add: 4, change: 0 });
    expect(state).toMatchObject({
      version: 4,
      terraform_version: plan.terraform_version,
      serial: 1,
      lineage: 'a3c0b8a4-0000-4000-8000-000000000001',
    });
    expect(state.resources.map((r) => [r.type, r.name, r.provider, r.instances.length])).toEqual([
      ['terraform_data', 'database', 'provider["terraform.io/builtin/terraform"]', 1],
      ['terraform_data', 'web', 'provider["terraform.io/builtin/terraform"]', 1],
      ['terraform_data', 'worker', 'provider["terraform.io/builtin/terraform"]', 2],
    ]);
    const databaseId = instance(state, 'database').attributes['id'];
    const webId = instance(state, 'web').attributes['id'];
    expect(databaseId).toMatch(/^fabricated-database-id-[0-9a-f]{8}$/);
    expect(
      new Set([databaseId, webId, instance(state, 'worker', 0).attributes['id'], instance(state, 'worker', 1).attributes['id']]).size,
    ).toBe(4);
    // terraform_data's input is dynamic: state keeps it with its type, as terraform writes it.
    expect(instance(state, 'worker', 1).attributes['input']).toEqual({ value: webId, type: 'string' });
    expect(instance(state, 'web').attributes['triggers_replace']).toEqual({ value: [databaseId], type: ['tuple', ['string']] });
    expect(instance(state, 'database').attributes['input']).toEqual({
      value: { engine: 'postgres', password: 'not-a-real-password' },
      type: ['object', { engine: 'string', password: 'string' }],
    });
    expect(instance(state, 'database').sensitive_attributes).toEqual([
      [
        { type: 'get_attr', value: 'input' },
        { type: 'get_attr', value: 'password' },
      ],
    ]);
    expect(state.outputs['web_id']).toEqual({ value: webId, type: 'string' });
    expect(fabricateAppliedState(plan, schemas, { lineage: state.lineage })).toEqual(state); // deterministic
  });

  it('is what terraform reads as applied: the same configuration plans no change at all', async () => {
    const file = join(dir, 'terraform.tfstate');
    writeFabricatedState(file, state);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(state);
    const again = summarisePlan(await runner.showJson((await runner.plan({ out: 'tfplan', refresh: false })).planFile));
    expect(again).toMatchObject({ add: 0, change: 0, destroy: 0, noop: 4 });
    // worker_ids is a splat, not one attribute: left out of the state, so the plan adds it.
    expect(again.outputChanges).toEqual(['worker_ids']);
  });

  it('shows a change as the update or replacement it is, and a second fabrication applies it on top', async () => {
    writeJson(dir, 'main.tf.json', stack('release-2'));
    const update = await runner.showJson((await runner.plan({ out: 'tfplan', refresh: false })).planFile);
    expect(summarisePlan(update).changes.map((c) => [c.address, c.action])).toEqual([['terraform_data.web', 'update']]);

    const next = fabricateAppliedState(update, schemas, { prior: state });
    expect(next).toMatchObject({ serial: 2, lineage: state.lineage });
    expect(instance(next, 'web').attributes).toMatchObject({
      id: instance(state, 'web').attributes['id'],
      input: { value: 'release-2', type: 'string' },
    });
    // `output` is unknown in an update plan: the prior's value stands in for what apply would set.
    expect(instance(next, 'web').attributes['output']).toEqual(instance(state, 'web').attributes['output']);
  });
});

describe('fabricateAppliedState placeholders follow the provider schema', () => {
  const schemas: ProviderSchemas = {
    provider_schemas: {
      'registry.terraform.io/hashicorp/aws': {
        resource_schemas: {
          aws_thing: {
            version: 3,
            block: {
              attributes: {
                id: { type: 'string' },
                arn: { type: 'string' },
                port: { type: 'number' },
                enabled: { type: 'bool' },
                names: { type: ['list', 'string'] },
                tags_all: { type: ['map', 'string'] },
                endpoint: { type: ['object', { address: 'string', port: 'number' }] },
                tokens: { type: ['list', 'string'], computed: true },
                scope: { type: 'string', optional: true, computed: true },
              },
              block_types: { rule: { nesting_mode: 'set', block: { attributes: { id: { type: 'string' } } } } },
            },
          },
        },
      },
    },
  };
  const plan = {
    terraform_version: '1.11.4',
    configuration: {
      provider_config: { aws: { expressions: { region: { constant_value: 'eu-west-2' } } } },
      root_module: { resources: [{ address: 'aws_thing.main', provider_config_key: 'aws.edge' }] },
    },
    planned_values: {
      root_module: {
        resources: [
          {
            address: 'aws_thing.main',
            mode: 'managed',
            type: 'aws_thing',
            name: 'main',
            provider_name: 'registry.terraform.io/hashicorp/aws',
            schema_version: 3,
            values: { names: ['a'] },
            sensitive_values: {},
          },
        ],
      },
    },
    resource_changes: [
      {
        address: 'aws_thing.main',
        type: 'aws_thing',
        change: {
          actions: ['create'],
          after_unknown: {
            id: true,
            arn: true,
            port: true,
            enabled: true,
            names: [false],
            tags_all: true,
            endpoint: true,
            rule: true,
            tokens: true,
            scope: true,
          },
        },
      },
    ],
  } as unknown as PlanJson;

  it('fills each unknown with a value of its type: outputs distinct, ARNs that parse, settings unset; schema_version from the schema', () => {
    const [resource] = fabricateAppliedState(plan, schemas).resources;
    expect(resource!.provider).toBe('provider["registry.terraform.io/hashicorp/aws"].edge');
    expect(resource!.instances[0]).toMatchObject({
      schema_version: 3,
      attributes: {
        id: expect.stringMatching(/^fabricated-main-id-[0-9a-f]{8}$/),
        arn: 'arn:aws:thing:eu-west-2:000000000000:fabricated/aws_thing.main/arn',
        port: 1,
        enabled: false,
        names: ['a'],
        tags_all: {},
        endpoint: { address: expect.stringMatching(/^fabricated-main-endpoint-address-/), port: 1 },
        rule: [],
        // element(tokens, 2) in a configuration still works; a setting AWS defaults stays unset.
        tokens: [
          expect.stringMatching(/^fabricated-main-tokens-0-/),
          expect.stringMatching(/^fabricated-main-tokens-1-/),
          expect.stringMatching(/^fabricated-main-tokens-2-/),
        ],
        scope: null,
      },
    });
  });

  it('names the missing schema and the fix', () => {
    expect(() => fabricateAppliedState(plan, { provider_schemas: {} })).toThrow(
      /no schema for resource type aws_thing \(aws_thing\.main\) — fix: pass `terraform providers schema -json`/,
    );
  });
});
