import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '@hafleet/testing';

/**
 * `nx affected` in a temporary git repository (a copy of the workspace, committed): a change plans
 * only the tenants whose spec, or a library their synthesis and planning load, changed; rollout,
 * onboarding and CLI code affect no tenant. Task-level affected (NX_LEGACY_AFFECTED=false, as CI
 * runs it): project-level affected would also count every project whose `test` target reads the
 * tenant folders.
 */
const TENANTS = ['harbour-health', 'northwind-university'];

function run(workspace: TempWorkspace, command: string, args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    NX_LEGACY_AFFECTED: 'false',
    GIT_AUTHOR_NAME: 'test',
    GIT_AUTHOR_EMAIL: 'test@example.org',
    GIT_COMMITTER_NAME: 'test',
    GIT_COMMITTER_EMAIL: 'test@example.org',
  };
  for (const key of Object.keys(env)) if (key.startsWith('NX_TASK') || key === 'NX_WORKSPACE_ROOT_PATH') delete env[key];
  const result = spawnSync(command, args, { cwd: workspace.root, env, encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${output}`);
  return output;
}

describe('nx affected over tenants (real Nx, real git)', () => {
  let workspace: TempWorkspace;
  const nx = (...args: string[]) => run(workspace, process.execPath, ['node_modules/nx/dist/bin/nx.js', ...args]);
  const commit = (message: string) => {
    run(workspace, 'git', ['add', '-A']);
    run(workspace, 'git', ['commit', '-q', '-m', message]);
  };
  /** Tenants affected by the last commit. */
  const affectedTenants = () => {
    const output = nx('show', 'projects', '--affected', '-t', 'plan', '--base=HEAD~1', '--head=HEAD', '--json');
    return (JSON.parse(output.slice(output.indexOf('['))) as string[]).filter((p) => TENANTS.includes(p)).sort();
  };

  beforeAll(() => {
    workspace = tempWorkspace();
    writeFileSync(join(workspace.root, '.gitignore'), 'node_modules\n.nx/\ncdktf.out/\n.hafleet/\n');
    run(workspace, 'git', ['init', '-q', '-b', 'main']);
    commit('fleet as it is');
  });
  afterAll(() => workspace.dispose());

  it('a spec change affects that tenant only, and `nx affected -t plan` runs only its tasks', () => {
    const spec = join(workspace.root, 'tenants/harbour-health/tenant.json');
    writeFileSync(spec, JSON.stringify({ ...JSON.parse(readFileSync(spec, 'utf8')), displayName: 'Harbour Health Academy' }, null, 2));
    commit('rename harbour-health');
    expect(affectedTenants()).toEqual(['harbour-health']);

    // The task graph Nx would run (printed instead of run: the plans themselves are tested elsewhere).
    const output = nx('affected', '-t', 'plan', '--base=HEAD~1', '--head=HEAD', '--graph=stdout');
    const tasks = Object.keys(
      (JSON.parse(output.slice(output.indexOf('{'))) as { tasks: { tasks: Record<string, unknown> } }).tasks.tasks,
    ).sort();
    expect(tasks).toEqual(['harbour-health:plan', 'harbour-health:synth']);
  });

  it('a change to a lib the tenants use affects every tenant', () => {
    appendFileSync(join(workspace.root, 'libs/ha-modules/src/index.ts'), '\n// a change to the shared constructs\n');
    commit('touch ha-modules');
    expect(affectedTenants()).toEqual(TENANTS);
  });

  it('a change to rollout, onboarding or CLI code, which synthesis and planning never load, affects no tenant', () => {
    for (const file of ['libs/rollout/src/index.ts', 'libs/onboarding/src/index.ts', 'apps/cli/src/main.ts']) {
      appendFileSync(join(workspace.root, file), '\n// a change synthesis never loads\n');
    }
    commit('touch rollout, onboarding and the CLI');
    expect(affectedTenants()).toEqual([]);
  });

  it("a change to test support (libs/testing, a library's src/testing/ folder) affects no tenant", () => {
    for (const file of ['libs/testing/src/fixture-stack.ts', 'libs/ha-modules/src/testing/fixtures.ts']) {
      appendFileSync(join(workspace.root, file), '\n// a change to a fixture\n');
    }
    commit('touch test support');
    expect(affectedTenants()).toEqual([]);
  });

  it('a change to the batch executors that run synth and plan affects every tenant', () => {
    appendFileSync(join(workspace.root, 'libs/nx-plugin/src/executors/worker.ts'), '\n// a change to how tenants are synthesised\n');
    commit('touch the executors');
    expect(affectedTenants()).toEqual(TENANTS);
  });

  it('a change outside the tenants and their libs affects no tenant', () => {
    writeFileSync(join(workspace.root, 'RUNBOOK.md'), '# notes for the on-call\n');
    commit('docs');
    expect(affectedTenants()).toEqual([]);
  });
});
