import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { App, DataResource, Fn, LocalBackend, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { TerraformRunner, summarisePlan } from '@hafleet/terraform';
import { synthesize } from '../testing/synth.js';
import { DEFAULT_ORIGIN_VERIFY_HEADER, OriginVerifySecret, type OriginVerifySecretProps } from './origin-secret.js';

function synthSecret(props?: OriginVerifySecretProps) {
  const stack = new TerraformStack(Testing.app(), 'test');
  const secret = new OriginVerifySecret(stack, 'origin', props);
  new TerraformOutput(stack, 'value', { value: secret.value, sensitive: true });
  return { secret, ...synthesize(stack) };
}

describe('OriginVerifySecret', () => {
  it('draws the value once with uuid() in a built-in terraform_data that ignores later draws', () => {
    const { resources, secret } = synthSecret();
    const entries = Object.entries(resources('terraform_data'));
    expect(entries).toEqual([[expect.any(String), { input: '${uuid()}', lifecycle: { ignore_changes: ['input'] } }]]);
    expect(secret.resourceAddress).toBe(`terraform_data.${entries[0]![0]}`);
  });

  it('exposes the value as a sensitive reference to the stored output, and the header name', () => {
    const { outputs, resources, secret } = synthSecret();
    const [logicalId] = Object.keys(resources('terraform_data'));
    expect(outputs['value']).toBe(`\${sensitive(terraform_data.${logicalId}.output)}`);
    expect(secret.headerName).toBe(DEFAULT_ORIGIN_VERIFY_HEADER);
    expect(DEFAULT_ORIGIN_VERIFY_HEADER).toBe('X-Origin-Verify');
    expect(synthSecret({ headerName: 'X-Acme-Origin' }).secret.headerName).toBe('X-Acme-Origin');
  });

  it('refuses header names a load balancer rule cannot match', () => {
    expect(() => synthSecret({ headerName: 'X Origin' })).toThrow(/headerName must be 1-40 letters, digits or hyphens/);
    expect(() => synthSecret({ headerName: 'X-'.repeat(21) })).toThrow(/headerName/);
  });
});

/** Real terraform with local state in a temp folder: terraform_data needs no provider, so it applies offline. */
describe('OriginVerifySecret with the real terraform', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  async function deploy(build: (stack: TerraformStack) => string) {
    const outdir = mkdtempSync(join(tmpdir(), 'hafleet-origin-secret-'));
    folders.push(outdir);
    const app = new App({ outdir, stackTraces: false });
    const stack = new TerraformStack(app, 'secret');
    new LocalBackend(stack, { path: 'terraform.tfstate' });
    const address = build(stack);
    app.synth();
    const runner = new TerraformRunner({ workingDir: join(outdir, 'stacks', 'secret') });
    await runner.init();
    const planAndApply = async (file: string) => {
      const plan = await runner.plan({ out: file, detailedExitCode: true });
      const summary = summarisePlan(await runner.showJson(plan.planFile));
      await runner.apply(plan.planFile);
      return { changesPresent: plan.changesPresent, summary };
    };
    const value = async () => {
      const { stdout } = await runner.run(['output', '-json', '-no-color', 'value']);
      return JSON.parse(stdout) as string;
    };
    return { runner, address, planAndApply, value };
  }

  it('keeps the value it drew at creation across later plans and applies, until replaced', async () => {
    const { runner, address, planAndApply, value } = await deploy((stack) => {
      const secret = new OriginVerifySecret(stack, 'origin');
      new TerraformOutput(stack, 'value', { value: secret.value, sensitive: true });
      return secret.resourceAddress;
    });

    const first = await planAndApply('first.tfplan');
    expect(first.changesPresent).toBe(true);
    expect(first.summary.changes).toEqual([expect.objectContaining({ address, type: 'terraform_data', action: 'create' })]);
    const created = await value();
    expect(created).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    const second = await planAndApply('second.tfplan');
    expect(second.changesPresent).toBe(false);
    expect(second.summary).toMatchObject({ add: 0, change: 0, destroy: 0 });
    expect(await value()).toBe(created);

    // The documented rotation.
    await runner.run(['apply', '-input=false', '-no-color', '-auto-approve', `-replace=${address}`]);
    const rotated = await value();
    expect(rotated).not.toBe(created);
    expect(rotated).toMatch(/^[0-9a-f-]{36}$/);
    expect((await planAndApply('third.tfplan')).changesPresent).toBe(false);
    expect(await value()).toBe(rotated);
  });

  it('(control) would draw a new value on every apply without ignore_changes', async () => {
    const { planAndApply, value } = await deploy((stack) => {
      const token = new DataResource(stack, 'token', { input: Fn.uuid() as unknown as Record<string, string> });
      new TerraformOutput(stack, 'value', { value: token.getStringAttribute('output') });
      return `terraform_data.${token.friendlyUniqueId}`;
    });
    await planAndApply('first.tfplan');
    const created = await value();
    const second = await planAndApply('second.tfplan');
    expect(second.changesPresent).toBe(true);
    expect(await value()).not.toBe(created);
  });
});
