import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyViolationError } from '@hafleet/guardrails';
import { tempWorkspace, type TempWorkspace } from '@hafleet/testing';
import { synthesizeEachInParallel, synthesizeTenants, synthesizeTenantsInParallel, type TenantSynthOutcome } from './synthesize.js';
import { TENANTS_PER_THREAD, synthThreadCount } from './synth-threads.js';

/**
 * Synthesis in synth threads (real threads, real cdktf): a fleet just large enough for two
 * threads gives exactly the files one thread gives, and a failing tenant is named and, in a
 * whole-fleet run, leaves nothing written.
 */
const COUNT = 2 * TENANTS_PER_THREAD;
const name = (i: number) => `pool-${String(i).padStart(3, '0')}`;

/** Small valid specs with their own names, domains and /20s (the examples' account and certificates). */
function writeFleet(root: string): void {
  for (let i = 0; i < COUNT; i++) {
    mkdirSync(join(root, 'tenants', name(i)), { recursive: true });
    writeFileSync(
      join(root, 'tenants', name(i), 'tenant.json'),
      JSON.stringify({
        name: name(i),
        displayName: `Pool tenant ${i}`,
        region: 'eu-west-1',
        availabilityZones: ['eu-west-1a', 'eu-west-1b'],
        domain: `${name(i)}.learn.example.org`,
        expectedLoad: { concurrentUsers: 200, population: 20_000 },
        alerts: { emails: ['ops@example.org'] },
        database: { engine: i % 2 === 0 ? 'postgres' : 'aurora-mysql' },
        network: { vpcCidr: `10.${100 + (i >> 4)}.${(i & 15) << 4}.0/20` },
        app: { amiId: 'ami-0123456789abcdef0', instanceType: 'm7i.large' },
        edge: { certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b' },
      }),
    );
  }
}

/** Every file below `dir` with its content; guardrail reports without their timing. */
function tree(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[path.slice(dir.length)] = readFileSync(path, 'utf8').replace(/"durationMs":[0-9.e-]+,/, '');
  }
  return files;
}

const breakTenant = (root: string, tenant: string) => {
  const file = join(root, 'tenants', tenant, 'tenant.json');
  const spec = JSON.parse(readFileSync(file, 'utf8'));
  // Valid for the spec, refused by the guardrails (HAF-RUN-001: a health check that needs the database).
  writeFileSync(file, JSON.stringify({ ...spec, app: { ...spec.app, healthCheckPath: '/' } }));
};

describe('synthesis in synth threads', { timeout: 300_000 }, () => {
  let workspace: TempWorkspace;
  beforeAll(() => {
    workspace = tempWorkspace({ tenants: [] });
    writeFleet(workspace.root);
  });
  afterAll(() => workspace.dispose());

  it(`uses one thread per ${TENANTS_PER_THREAD} tenants, at most maxParallel, and none for a small run`, () => {
    expect(synthThreadCount(3, 2)).toBe(1);
    expect(synthThreadCount(COUNT, 2)).toBe(2);
    expect(synthThreadCount(1000, 2)).toBe(2);
    expect(synthThreadCount(1000, 1)).toBe(1);
  });

  it('writes exactly what one thread writes: stacks, records, guardrail reports, manifest', async () => {
    const one = join(workspace.root, 'out-one');
    const two = join(workspace.root, 'out-two');
    synthesizeTenants({ workspaceRoot: workspace.root, outdir: one, mode: 'offline' });
    const progress: number[] = [];
    const stacks = await synthesizeTenantsInParallel({
      workspaceRoot: workspace.root,
      outdir: two,
      mode: 'offline',
      maxParallel: 2,
      onTenant: (_t, done) => progress.push(done),
    });
    expect(stacks.map((s) => s.tenant)).toEqual(Array.from({ length: COUNT }, (_, i) => name(i)));
    expect(progress).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
    const files = tree(two);
    expect(Object.keys(files)).toHaveLength(3 * COUNT + 1);
    expect(files).toEqual(tree(one));
  });

  it('a whole-fleet run with a tenant that breaks a guardrail writes nothing and names the tenant', async () => {
    const outdir = join(workspace.root, 'out-one');
    const before = tree(outdir);
    breakTenant(workspace.root, name(7));
    try {
      const run = synthesizeTenantsInParallel({ workspaceRoot: workspace.root, outdir, mode: 'offline', maxParallel: 2 });
      await expect(run).rejects.toThrow(PolicyViolationError);
      await expect(run).rejects.toThrow(new RegExp(`tenant ${name(7)}: HAF-RUN-001`));
      expect(tree(outdir)).toEqual(before);
      expect(readdirSync(outdir).filter((f) => f.startsWith('.staging'))).toEqual([]);

      // Each on its own (Nx's batch): the broken tenant fails by name, every other is written.
      const outcomes: TenantSynthOutcome[] = [];
      const only = Array.from({ length: COUNT }, (_, i) => name(i));
      for await (const outcome of synthesizeEachInParallel({
        workspaceRoot: workspace.root,
        outdir: join(workspace.root, 'out-each'),
        mode: 'offline',
        only,
        maxParallel: 2,
      }))
        outcomes.push(outcome);
      expect(outcomes.map((o) => o.tenant).sort()).toEqual(only);
      const failed = outcomes.filter((o) => !o.ok);
      expect(failed.map((o) => o.tenant)).toEqual([name(7)]);
      expect(failed[0]!.ok === false && failed[0]!.error.message).toMatch(new RegExp(`tenant ${name(7)}: HAF-RUN-001`));
      expect(readdirSync(join(workspace.root, 'out-each', 'stacks')).sort()).toEqual(only.filter((t) => t !== name(7)));
    } finally {
      writeFleet(workspace.root);
    }
  });
});
