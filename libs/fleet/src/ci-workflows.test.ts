import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { WORKSPACE_ROOT } from '@hafleet/testing';

/**
 * The GitHub workflows, checked by real validators: `action-validator` (npm @action-validator/cli,
 * the workflow and action JSON schemas) and `shellcheck` over every `run:` script, and by what
 * they promise: shard jobs for any fleet size, per-tenant environments only for approval tenants.
 */
const GITHUB = join(WORKSPACE_ROOT, '.github');
const WORKFLOWS = readdirSync(join(GITHUB, 'workflows'))
  .filter((f) => f.endsWith('.yml'))
  .map((f) => join(GITHUB, 'workflows', f));
const ACTIONS = readdirSync(join(GITHUB, 'actions')).map((d) => join(GITHUB, 'actions', d, 'action.yml'));

interface Step {
  run?: string;
  uses?: string;
  shell?: string;
}
interface Job {
  environment?: string;
  strategy?: { matrix?: Record<string, unknown>; 'max-parallel'?: number };
  steps?: Step[];
  needs?: string | string[];
}
const workflow = (name: string) => parse(readFileSync(join(GITHUB, 'workflows', name), 'utf8')) as { jobs: Record<string, Job> };

describe('CI workflows', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'hafleet-workflows-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each([...WORKFLOWS, ...ACTIONS].map((file) => [file.slice(WORKSPACE_ROOT.length + 1), file]))(
    '%s passes action-validator',
    (_name, file) => {
      const result = spawnSync(process.execPath, [join(WORKSPACE_ROOT, 'node_modules/@action-validator/cli/cli.mjs'), file], {
        encoding: 'utf8',
      });
      expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    },
  );

  it('every run script passes shellcheck (GitHub expressions stand in as variables)', () => {
    const scripts = [...WORKFLOWS, ...ACTIONS].flatMap((file) => {
      const doc = parse(readFileSync(file, 'utf8')) as { jobs?: Record<string, Job>; runs?: { steps?: Step[] } };
      const steps = [...Object.values(doc.jobs ?? {}).flatMap((job) => job.steps ?? []), ...(doc.runs?.steps ?? [])];
      return steps.filter((s) => s.run).map((s, i) => ({ name: `${file.slice(GITHUB.length + 1)} #${i + 1}`, script: s.run! }));
    });
    expect(scripts.length).toBeGreaterThan(10);
    const problems = scripts.flatMap(({ name, script }) => {
      const file = join(scratch, 'step.sh');
      // Runners run bash -e; TENANTS is split on purpose (${TENANTS//,/ }), hence SC2086 off.
      writeFileSync(file, `#!/usr/bin/env bash\nset -e\n${script.replace(/\$\{\{[^}]*\}\}/g, '"$GHA_EXPRESSION"')}\n`);
      const result = spawnSync('shellcheck', ['--severity=warning', '--exclude=SC2086', file], { encoding: 'utf8' });
      return result.status === 0 ? [] : [`${name}:\n${result.stdout}${result.stderr}`];
    });
    expect(problems).toEqual([]);
  });

  it('plan: one select job, at most ci.maxJobs shard jobs from the sharding script, one merged comment', () => {
    const { jobs } = workflow('plan.yml');
    expect(Object.keys(jobs)).toEqual(['select', 'plan', 'comment']);
    expect(jobs['select']!.steps!.map((s) => s.run ?? '').join('\n')).toContain('scripts/ci/shards.ts --no-approvals');
    expect(jobs['plan']!.strategy!.matrix).toEqual({ shard: '${{ fromJSON(needs.select.outputs.shards) }}' });
    expect(jobs['plan']!.steps!.some((s) => /nx run-many -t validate plan --projects "\$TENANTS"/.test(s.run ?? ''))).toBe(true);
    expect(jobs['comment']!.steps!.map((s) => s.run ?? '').join('\n')).toContain('scripts/ci/merge-plans.ts shards --expect');
  });

  it('apply: shards in the "fleet" environment, and a job in environment tenant-<name> only for approval tenants', () => {
    const { jobs } = workflow('apply.yml');
    expect(Object.keys(jobs).sort()).toEqual(['apply-approval', 'apply-shard', 'select']);
    expect(jobs['apply-shard']).toMatchObject({
      environment: 'fleet',
      strategy: { matrix: { shard: '${{ fromJSON(needs.select.outputs.shards) }}' } },
    });
    expect(jobs['apply-approval']).toMatchObject({
      environment: 'tenant-${{ matrix.tenant }}',
      strategy: { matrix: { tenant: '${{ fromJSON(needs.select.outputs.approvals) }}' } },
    });
    // No job is one-per-tenant for the whole fleet: every matrix comes from the sharding script's outputs.
    for (const [name, job] of Object.entries({ ...jobs, ...workflow('plan.yml').jobs })) {
      for (const value of Object.values(job.strategy?.matrix ?? {}))
        expect(value, name).toMatch(/^\$\{\{ fromJSON\(needs\.select\.outputs\.(shards|approvals)\) \}\}$/);
    }
  });
});
