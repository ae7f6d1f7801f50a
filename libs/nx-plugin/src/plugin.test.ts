import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '@hafleet/testing';

/** Real Nx, in a throw-away copy of the workspace: projects inferred, targets run, cache hit. */
function nx(workspace: TempWorkspace, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_SKIP_NX_CACHE: undefined };
  // Running inside an Nx task: drop its variables so the inner Nx sees a fresh workspace.
  for (const key of Object.keys(env)) if (key.startsWith('NX_TASK') || key === 'NX_WORKSPACE_ROOT_PATH') delete env[key];
  const result = spawnSync(process.execPath, ['node_modules/nx/dist/bin/nx.js', ...args], { cwd: workspace.root, env, encoding: 'utf8' });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('hafleet Nx plugin', () => {
  let workspace: TempWorkspace;
  beforeAll(() => {
    workspace = tempWorkspace({ tenants: ['harbour-health'] });
  });
  afterAll(() => workspace.dispose());

  it('makes every tenant folder a project with synth, validate, plan, apply, drift and show, tagged by region', () => {
    const { code, output } = nx(workspace, 'show', 'project', 'harbour-health', '--json');
    expect(code, output).toBe(0);
    const project = JSON.parse(output.slice(output.indexOf('{')));
    expect(Object.keys(project.targets).sort()).toEqual(['apply', 'drift', 'plan', 'show', 'synth', 'validate']);
    expect(project.targets.apply).toMatchObject({ dependsOn: ['plan'], cache: false });
    expect(project.targets.drift).toMatchObject({ dependsOn: ['synth'], cache: false });
    expect(project.targets.show.cache).toBe(false);
    expect(project.tags).toEqual(['type:tenant', 'region:eu-west-2', 'env:production', 'ring:early']);
    expect(project.targets.synth.outputs).toEqual(['{workspaceRoot}/cdktf.out/stacks/harbour-health']);
    // A synth for `fleet rollout --apply-immediately` is a different stack: never served from the cache of an ordinary one.
    expect(project.targets.synth.inputs).toEqual(expect.arrayContaining([{ env: 'HAFLEET_MODE' }, { env: 'HAFLEET_APPLY_IMMEDIATELY' }]));
    expect(project.targets.plan).toMatchObject({ dependsOn: ['synth'], cache: false });
  });

  it.each(['typecheck', 'lint', 'test'])('gives every lib and app a %s target, and no tenant one', (target) => {
    const { output } = nx(workspace, 'show', 'projects', '--with-target', target, '--json');
    const projects = JSON.parse(output.slice(output.indexOf('['))) as string[];
    expect(projects).toEqual(
      expect.arrayContaining(['tenant-spec', 'tenant-stack', 'terraform', 'testing', 'cli', 'cdktf-app', 'state-bootstrap']),
    );
    expect(projects).not.toContain('harbour-health');
  });

  // Three real Nx runs: slow on a shared machine.
  it('serves an unchanged synth from the cache and re-runs it when the spec changes', { timeout: 300_000 }, () => {
    const first = nx(workspace, 'run', 'harbour-health:synth');
    expect(first.code, first.output).toBe(0);
    expect(first.output).not.toContain('[local cache]');

    const second = nx(workspace, 'run', 'harbour-health:synth');
    expect(second.code, second.output).toBe(0);
    expect(second.output).toMatch(/\[(existing outputs match the cache, left as is|local cache)\]/);

    // The spec is an input: touching it must invalidate the cache.
    const specFile = `${workspace.root}/tenants/harbour-health/tenant.json`;
    const spec = JSON.parse(readFileSync(specFile, 'utf8'));
    writeFileSync(specFile, JSON.stringify({ ...spec, displayName: 'Harbour Health Academy' }));
    const third = nx(workspace, 'run', 'harbour-health:synth');
    expect(third.output).not.toMatch(/\[(existing outputs match the cache, left as is|local cache)\]/);
  });
});
