import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT, tempWorkspace, type TempWorkspace } from '@hafleet/testing';
import { mergeShardViews, readFleetPlanView, shardTenants } from './ci.js';
import type { FleetPlanEntry } from './fleet-view.js';

const FLEET = Array.from({ length: 1000 }, (_, i) => `tenant-${String(i).padStart(4, '0')}`);

describe('shardTenants: CI jobs for a fleet of any size', () => {
  it('splits 1,000 tenants into at most maxJobs shards of near-equal size, each tenant exactly once, in order', () => {
    const { shards, approvals } = shardTenants([...FLEET].reverse(), { maxJobs: 16 });
    expect(approvals).toEqual([]);
    expect(shards).toHaveLength(16);
    expect(shards.map((s) => s.id)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    const sizes = shards.map((s) => s.tenants.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(shards.flatMap((s) => s.tenants)).toEqual(FLEET);
  });

  it('never exceeds GitHub’s 256-job matrix, and gives small fleets one job per tenant', () => {
    expect(shardTenants(FLEET, { maxJobs: 256 }).shards).toHaveLength(256);
    expect(shardTenants(['b', 'a', 'b'], { maxJobs: 16 }).shards).toEqual([
      { id: 1, tenants: ['a'] },
      { id: 2, tenants: ['b'] },
    ]);
    expect(shardTenants([], { maxJobs: 16 })).toEqual({ shards: [], approvals: [] });
    expect(() => shardTenants(FLEET, { maxJobs: 0 })).toThrow(/maxJobs "0" must be a whole number ≥ 1 — fix: fleet.json ci.maxJobs/);
  });

  it('keeps approval tenants out of the shards, each for a job of its own; unaffected approval tenants start nothing', () => {
    const { shards, approvals } = shardTenants(FLEET, { maxJobs: 8, approvalTenants: ['tenant-0500', 'tenant-0007', 'not-affected'] });
    expect(approvals).toEqual(['tenant-0007', 'tenant-0500']);
    const sharded = shards.flatMap((s) => s.tenants);
    expect(sharded).toHaveLength(998);
    expect(sharded).not.toContain('tenant-0500');
    expect(shards).toHaveLength(8);
  });
});

describe('merging the plan shards into one comment', () => {
  const plan = (add: number): FleetPlanEntry['plan'] => ({
    plannedAt: '2026-12-01T10:00:00.000Z',
    summary: { add, change: 0, destroy: 0, replace: 0, forget: 0, changes: [], dataLoss: [], outputChanges: [] } as unknown as NonNullable<
      FleetPlanEntry['plan']
    >['summary'],
  });

  it('lists every tenant once, sorted, and a tenant its shard never reported as failed', () => {
    const merged = mergeShardViews(
      [
        [{ tenant: 'b', plan: plan(2) }],
        [
          { tenant: 'a', plan: plan(1) },
          { tenant: 'c', error: 'terraform failed' },
        ],
      ],
      ['a', 'b', 'c', 'd'],
    );
    expect(merged.map((e) => [e.tenant, e.plan?.summary.add ?? e.error])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 'terraform failed'],
      ['d', 'no plan reported: its shard job failed before `fleet show` (see the job log)'],
    ]);
  });

  it('reads back the view `fleet show` writes, plans and failures alike', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hafleet-ci-view-'));
    const file = join(dir, 'plan-summary.json');
    writeFileSync(
      file,
      JSON.stringify({
        generatedAt: 'x',
        tenants: [
          { tenant: 'a', plannedAt: 't', summary: plan(3)!.summary },
          { tenant: 'b', error: 'no saved plan' },
        ],
      }),
    );
    expect(readFleetPlanView(file)).toEqual([
      { tenant: 'a', plan: { plannedAt: 't', summary: plan(3)!.summary } },
      { tenant: 'b', error: 'no saved plan' },
    ]);
    rmSync(dir, { recursive: true });
  });
});

describe('the CI scripts (real processes)', () => {
  let workspace: TempWorkspace;
  const tsx = (script: string, args: string[], input: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(WORKSPACE_ROOT, script), ...args], {
      cwd: workspace.root,
      env: { ...process.env, HAFLEET_WORKSPACE: workspace.root },
      input,
      encoding: 'utf8',
    });
  beforeAll(() => {
    workspace = tempWorkspace({ tenants: [] });
  });
  afterAll(() => workspace.dispose());

  it('shards.ts turns a 1,000-tenant affected list into GitHub outputs: at most fleet.json ci.maxJobs shard jobs, approval tenants apart', () => {
    const fleetFile = join(workspace.root, 'fleet.json');
    writeFileSync(
      fleetFile,
      JSON.stringify({ ...JSON.parse(readFileSync(fleetFile, 'utf8')), ci: { maxJobs: 12, approvalTenants: ['tenant-0042'] } }),
    );
    const result = tsx('scripts/ci/shards.ts', [], `nx noise before the list\n${JSON.stringify(FLEET)}`);
    expect(result.status, result.stderr).toBe(0);
    const outputs = Object.fromEntries(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), JSON.parse(line.slice(line.indexOf('=') + 1))]),
    );
    expect(outputs['approvals']).toEqual(['tenant-0042']);
    const shards = outputs['shards'] as Array<{ id: number; count: number; tenants: string }>;
    expect(shards).toHaveLength(12);
    expect(shards.flatMap((s) => s.tenants.split(','))).toEqual(FLEET.filter((t) => t !== 'tenant-0042'));
    expect(shards.every((s) => s.count === s.tenants.split(',').length)).toBe(true);
    expect(result.stderr).toContain('1000 affected tenant(s): 12 shard job(s) of 83–84 tenants, 1 approval job(s) (tenant-0042)');

    const plans = tsx('scripts/ci/shards.ts', ['--no-approvals'], JSON.stringify(FLEET));
    expect(plans.stdout).toContain('approvals=[]');
  });

  it('shards.ts refuses input that is not a list of names, with the fix', () => {
    const result = tsx('scripts/ci/shards.ts', [], '{"not":"a list"}');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('stdin must be a JSON array of tenant names — fix:');
  });

  it('merge-plans.ts merges downloaded shard artifacts into one comment and fails when a tenant failed', () => {
    const shards = join(workspace.root, 'shards');
    const summary = { add: 5, change: 1, destroy: 0, replace: 0, forget: 0, changes: [], dataLoss: [], outputChanges: [] };
    for (const [id, tenants] of [
      [1, ['alpha', 'beta']],
      [2, ['gamma']],
    ] as const) {
      mkdirSync(join(shards, `plan-shard-${id}`, 'tenants', tenants[0]!), { recursive: true });
      writeFileSync(
        join(shards, `plan-shard-${id}`, 'plan-summary.json'),
        JSON.stringify({ generatedAt: 'x', tenants: tenants.map((tenant) => ({ tenant, plannedAt: 't', summary })) }),
      );
      // The per-tenant records uploaded beside it are not views and must be skipped.
      writeFileSync(
        join(shards, `plan-shard-${id}`, 'tenants', tenants[0]!, 'plan-summary.json'),
        JSON.stringify({ tenant: tenants[0], summary }),
      );
    }
    const ok = tsx('scripts/ci/merge-plans.ts', ['shards', '--expect', 'alpha,beta,gamma'], '');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('### hafleet plan (2 shards): 3 tenants');
    expect(ok.stdout).toMatch(/\| gamma \| 5 \| 1 \| 0 \| 0 \| 0 \| changes \|/);
    expect(JSON.parse(readFileSync(join(workspace.root, '.hafleet', 'plan-summary.json'), 'utf8')).tenants).toHaveLength(3);

    const missing = tsx('scripts/ci/merge-plans.ts', ['shards', '--expect', 'alpha,beta,gamma,delta'], '');
    expect(missing.status).toBe(1);
    expect(missing.stdout).toContain(':x: **1 failed**');
  });
});
