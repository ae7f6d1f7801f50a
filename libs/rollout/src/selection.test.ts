import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateNodesContext } from '@nx/devkit';
import { createNodes } from '@hafleet/nx-plugin';
import { loadFleet, type LoadedTenant } from '@hafleet/tenant-spec';
import { tempWorkspace, type TempWorkspace } from '@hafleet/testing';
import { selectTenants, tenantTags } from './selection.js';
import { writeFixtureTenants } from './testing/index.js';
import { planWaves, type WaveCandidate } from './waves.js';

describe('tenant selection', () => {
  let workspace: TempWorkspace;
  let fleet: LoadedTenant[];
  beforeAll(() => {
    workspace = tempWorkspace();
    writeFixtureTenants(workspace.root, [
      { name: 'fx-main-b' },
      { name: 'fx-canary', ring: 'canary' },
      { name: 'fx-early', ring: 'early', healthCheckPath: '/login/index.php' },
      { name: 'fx-main-a' },
    ]);
    fleet = loadFleet(workspace.root);
  });
  afterAll(() => workspace.dispose());

  const names = (selected: LoadedTenant[]) => selected.map((t) => t.spec.name);

  it('orders the selection by ring (canary, early, general), then name', () => {
    expect(names(selectTenants(fleet))).toEqual(['fx-canary', 'fx-early', 'fx-main-a', 'fx-main-b']);
  });

  it('selects by name, by any of the tags, and by every --where (defaults included)', () => {
    expect(names(selectTenants(fleet, { tenants: ['fx-main-b', 'fx-early'] }))).toEqual(['fx-early', 'fx-main-b']);
    expect(names(selectTenants(fleet, { tags: ['ring:canary', 'tag:ring:early'] }))).toEqual(['fx-canary', 'fx-early']);
    expect(names(selectTenants(fleet, { where: ['app.healthCheckPath=/health', 'rollout.ring=general'] }))).toEqual([
      'fx-main-a',
      'fx-main-b',
    ]);
    expect(names(selectTenants(fleet, { tenants: ['fx-canary', 'fx-main-a'], tags: ['ring:general'] }))).toEqual(['fx-main-a']);
  });

  it('refuses an unknown tenant, a selection of nothing and an unknown --where field', () => {
    expect(() => selectTenants(fleet, { tenants: ['nobody'] })).toThrow(
      /tenant nobody: no such tenant — fix: one of fx-canary, fx-early, fx-main-a, fx-main-b/,
    );
    expect(() => selectTenants(fleet, { tags: ['ring:main'] })).toThrow(
      /--tag ring:main selects no tenant — fix: check the names, tags \(.*ring:canary.*\)/,
    );
    expect(() => selectTenants(fleet, { where: ['app.colour=blue'] })).toThrow(/--where app\.colour: unknown spec field/);
    expect(() => selectTenants(fleet, { where: ['region'] })).toThrow(/--where "region" is not field=value/);
  });

  it('uses the tags the Nx plugin gives tenant projects', async () => {
    const [, infer] = createNodes;
    const files = fleet.map((t) => join('tenants', t.spec.name, 'tenant.json'));
    const results = await infer(files, undefined, { workspaceRoot: workspace.root, nxJsonConfiguration: {} } as CreateNodesContext);
    for (const [file, result] of results) {
      const project = Object.values(result.projects ?? {})[0]!;
      const spec = fleet.find((t) => file.includes(`/${t.spec.name}/`))!.spec;
      expect(project.tags).toEqual(tenantTags(spec));
    }
  });
});

describe('waves', () => {
  const fleet: WaveCandidate[] = [
    { name: 'c1', ring: 'canary' },
    ...Array.from({ length: 9 }, (_, i) => ({ name: `g${i + 1}`, ring: 'general' as const })),
  ];
  const tenants = (spec: string, candidates = fleet) => planWaves(candidates, spec).waves.map((w) => `${w.label}:${w.tenants.join('+')}`);

  it('canary, then cumulative percentages, at least one tenant each', () => {
    expect(tenants('canary,10%,50%,100%')).toEqual(['canary:c1', '10%:g1', '50%:g2+g3+g4', '100%:g5+g6+g7+g8+g9']);
    expect(tenants('canary,30%,100%')).toEqual(['canary:c1', '30%:g1+g2', '100%:g3+g4+g5+g6+g7+g8+g9']);
    expect(tenants('2,3,100%')).toEqual(['2:c1+g1', '3:g2+g3+g4', '100%:g5+g6+g7+g8+g9']);
  });

  it('by ring', () => {
    expect(
      tenants('rings', [
        { name: 'a', ring: 'general' },
        { name: 'b', ring: 'canary' },
        { name: 'c', ring: 'early' },
      ]),
    ).toEqual(['canary:b', 'early:c', 'general:a']);
  });

  it('drops a wave with no tenant left, and says so', () => {
    const plan = planWaves(fleet.slice(1), 'canary,100%');
    expect(plan.waves.map((w) => w.label)).toEqual(['100%']);
    expect(plan.notes).toEqual(['wave "canary" has no tenant left to roll: dropped']);
  });

  it.each([
    ['canary,10%', /--waves canary,10% leaves 8 of 10 selected tenants in no wave \(g2, .*\) — fix: end the list with 100%/],
    ['canary,0%,100%', /"0%" is not a wave/],
    ['canary,150%', /"150%" is not a wave/],
    [
      'canary,soon,100%',
      /"soon" is not a wave — fix: a ring \(canary, early, general\), a percentage such as 10% \(cumulative, up to 100%\), a tenant count such as 3, or --waves rings/,
    ],
    [',', /names no wave/],
  ])('refuses --waves %s', (spec, message) => {
    expect(() => planWaves(fleet, spec)).toThrow(message);
  });
});
