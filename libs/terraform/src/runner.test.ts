import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs, writeJson } from '@hafleet/testing';
import { TerraformNotFoundError } from './binary.js';
import { formatPlanSummary, summarisePlan } from './plan-summary.js';
import { TerraformCommandError, TerraformRunner } from './runner.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

/** Built-in terraform_data only: no provider, local state. */
function stack(version: 1 | 2) {
  const resources: Record<string, unknown> = {
    database: { triggers_replace: [version === 1 ? 'engine-15' : 'engine-16'] },
    web: { input: version === 1 ? 'ami-1' : 'ami-2' },
    unchanged: { input: 'same' },
  };
  if (version === 1) resources['legacy'] = { input: 'going away' };
  return { resource: { terraform_data: resources } };
}

/** Terraform's own human line, e.g. "Plan: 4 to add, 0 to change, 0 to destroy." */
const planLine = (stdout: string) => /Plan: (\d+ to add, \d+ to change, \d+ to destroy)/.exec(stdout)?.[1];

describe('TerraformRunner lifecycle with the real terraform binary', () => {
  let dir: string;
  let runner: TerraformRunner;
  beforeAll(() => {
    dir = dirs.make();
    writeJson(dir, 'main.tf.json', stack(1));
    // process.env carries the dangling TF_CLI_CONFIG_FILE of this environment on purpose.
    runner = new TerraformRunner({ workingDir: dir, env: process.env });
  });

  it('init, validate, plan a fresh stack: every resource is an add', async () => {
    const init = await runner.init();
    expect(init.stdout).toContain('Terraform has been successfully initialized');
    expect(init.stderr).not.toContain('Unable to open CLI configuration file');

    const validation = await runner.validate();
    expect(validation).toEqual({ valid: true, errorCount: 0, warningCount: 0, diagnostics: [] });

    const plan = await runner.plan({ out: 'fresh.tfplan', detailedExitCode: true });
    expect(plan.exitCode).toBe(2);
    expect(plan.changesPresent).toBe(true);
    expect(existsSync(join(dir, 'fresh.tfplan'))).toBe(true);

    const summary = summarisePlan(await runner.showJson(plan.planFile));
    expect(summary).toMatchObject({ add: 4, change: 0, destroy: 0, replace: 0, noop: 0, resourceCount: 4 });
    expect(summary.changes.every((c) => c.action === 'create' && c.type === 'terraform_data')).toBe(true);
    expect(formatPlanSummary(summary)).toBe(planLine(plan.stdout));
  });

  it('apply the saved plan; re-planning shows no changes', async () => {
    await runner.apply('fresh.tfplan');
    const again = await runner.plan({ out: 'again.tfplan', detailedExitCode: true });
    expect(again.exitCode).toBe(0);
    expect(again.changesPresent).toBe(false);
    const summary = summarisePlan(await runner.showJson('again.tfplan'));
    expect(summary).toMatchObject({ add: 0, change: 0, destroy: 0, noop: 4, resourceCount: 4, changes: [] });
  });

  it('a stale saved plan is refused with terraform’s own message', async () => {
    const error = await runner.apply('fresh.tfplan').catch((e) => e);
    expect(error).toBeInstanceOf(TerraformCommandError);
    expect(error.exitCode).toBe(1);
    expect(error.workingDir).toBe(dir);
    expect(error.command).toMatch(/terraform apply -input=false -no-color fresh\.tfplan$/);
    expect(error.message).toMatch(/Saved plan is stale/);
  });

  it('changed inputs: exactly one replace, one update, one delete', async () => {
    writeJson(dir, 'main.tf.json', stack(2));
    const plan = await runner.plan({ out: 'change.tfplan' });
    expect(plan.changesPresent).toBeUndefined();

    const summary = summarisePlan(await runner.showJson(plan.planFile));
    expect(summary).toMatchObject({ add: 1, change: 1, destroy: 2, replace: 1, noop: 1, resourceCount: 3 });
    expect(summary.replacements.map((r) => [r.address, r.action])).toEqual([['terraform_data.database', 'replace']]);
    expect(summary.deletions.map((r) => r.address)).toEqual(['terraform_data.legacy']);
    expect(summary.changes.map((c) => `${c.address}:${c.action}`).sort()).toEqual([
      'terraform_data.database:replace',
      'terraform_data.legacy:delete',
      'terraform_data.web:update',
    ]);
    expect(formatPlanSummary(summary)).toBe(`${planLine(plan.stdout)} (1 replacement)`);

    await runner.apply(plan.planFile);
    const refresh = await runner.plan({ out: 'refresh.tfplan', refreshOnly: true, detailedExitCode: true });
    expect(refresh.changesPresent).toBe(false);
  });
});

describe('TerraformRunner errors', () => {
  it('validate of an invalid config throws TerraformCommandError with terraform’s diagnostics', async () => {
    const dir = dirs.make();
    writeJson(dir, 'main.tf.json', { resource: { terraform_data: { broken: { inputz: 1 } } } });
    const error = await new TerraformRunner({ workingDir: dir }).validate().catch((e) => e);
    expect(error).toBeInstanceOf(TerraformCommandError);
    expect(error.message).toContain('Extraneous JSON object property');
    expect(error.message).toContain('No argument or block type is named "inputz"');
    expect(error.message).toMatch(/main\.tf\.json:\d+:\d+/);
    expect(error.diagnostics).toHaveLength(1);
  });

  it('a failing command carries the tail of stderr', async () => {
    const dir = dirs.make();
    writeFileSync(join(dir, 'main.tf.json'), '{"resource": ');
    const error = await new TerraformRunner({ workingDir: dir }).init().catch((e) => e);
    expect(error).toBeInstanceOf(TerraformCommandError);
    expect(error.exitCode).toBe(1);
    expect(error.outputTail).toMatch(/Error: /);
    expect(error.outputTail.split('\n').length).toBeLessThanOrEqual(40);
  });

  it('a missing binary gives TerraformNotFoundError with the fix', async () => {
    const dir = dirs.make();
    const viaEnv = new TerraformRunner({ workingDir: dir, env: { ...process.env, TERRAFORM_BINARY: '/nonexistent' } });
    const error = await viaEnv.init().catch((e) => e);
    expect(error).toBeInstanceOf(TerraformNotFoundError);
    expect(error.message).toContain('set TERRAFORM_BINARY=/path/to/terraform');

    const viaOption = new TerraformRunner({ workingDir: dir, binary: '/nonexistent' });
    await expect(viaOption.run(['version'])).rejects.toBeInstanceOf(TerraformNotFoundError);
  });

  it('a missing working directory is reported as such, not as a missing binary', async () => {
    const runner = new TerraformRunner({ workingDir: join(dirs.make(), 'nope') });
    await expect(runner.run(['version'])).rejects.toThrow(/working directory does not exist/);
  });
});

describe('TerraformRunner environment', () => {
  it('always sets automation flags and the project CLI config', () => {
    const env = new TerraformRunner({
      workingDir: '.',
      cliConfigFile: '/some/where/terraform.rc',
      env: { PATH: '/bin', TF_CLI_CONFIG_FILE: '/root/.terraformrc' },
    }).environment();
    expect(env).toMatchObject({ PATH: '/bin', TF_IN_AUTOMATION: '1', TF_CLI_CONFIG_FILE: '/some/where/terraform.rc' });
  });

  it('drops a TF_CLI_CONFIG_FILE pointing to a missing file, keeps an existing one', () => {
    const missing = new TerraformRunner({ workingDir: '.', env: { TF_CLI_CONFIG_FILE: '/nonexistent/rc' } });
    expect(missing.environment()['TF_CLI_CONFIG_FILE']).toBeUndefined();

    const rc = join(dirs.make(), 'user.rc');
    writeFileSync(rc, '');
    const existing = new TerraformRunner({ workingDir: '.', env: { TF_CLI_CONFIG_FILE: rc } });
    expect(existing.environment()['TF_CLI_CONFIG_FILE']).toBe(rc);
  });
});
