import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTenant } from './apply.js';
import { driftTenant } from './drift.js';
import { forEachTenant, type ProgressEvent } from './for-each-tenant.js';
import { parseAllowances } from './guard.js';
import { SavedPlanError, planTenant, type TenantPlan } from './plan.js';
import { ensureInitialised } from './init.js';
import { fleetContext, tenantLocation, tenantRunner, type FleetContext } from './tenant-terraform.js';
import { fixtureWorkspace, type FixtureWorkspace } from '@hafleet/testing';

/**
 * Plan, guard, apply and drift with the real terraform binary on fixture stacks of built-in
 * `terraform_data` resources (no provider, local state): applied and re-planned for real.
 */
const HOLDS = 'the fixture database: every row in it';

describe('apply with the guard, real terraform on terraform_data fixtures', () => {
  let ws: FixtureWorkspace;
  let ctx: FleetContext;
  beforeAll(() => {
    ws = fixtureWorkspace();
    ctx = fleetContext(ws.root);
  });
  afterAll(() => ws.dispose());

  it('applies exactly the saved plan; the plan is consumed; a re-plan shows no changes', async () => {
    ws.stack('acme', { database: { holds: HOLDS }, web: {} });
    const plan = await planTenant(ctx, 'acme');
    expect(plan.summary).toMatchObject({ add: 2, destroy: 0, dataLoss: [] });
    expect(JSON.parse(readFileSync(plan.summaryFile, 'utf8'))).toMatchObject({
      tenant: 'acme',
      planSha256: plan.planSha256,
      summary: plan.summary,
    });

    const applied = await applyTenant(ctx, 'acme');
    expect(applied.status).toBe('applied');
    expect(
      ws
        .readState('acme')
        .resources.map((r) => r.name)
        .sort(),
    ).toEqual(['database', 'web']);
    expect(existsSync(plan.planFile)).toBe(false);

    const again = await applyTenant(ctx, 'acme').catch((e: unknown) => e);
    expect(again).toBeInstanceOf(SavedPlanError);
    expect((again as SavedPlanError).reason).toBe('missing');
    expect((again as Error).message).toMatch(/tenant acme: no saved plan .* — fix: run `npx nx run acme:plan`/);

    const replan = await planTenant(ctx, 'acme');
    expect(replan.summary).toMatchObject({ add: 0, change: 0, destroy: 0, noop: 2 });
    expect(await applyTenant(ctx, 'acme')).toMatchObject({ status: 'unchanged' });
  });

  it('refuses a plan that replaces a stateful resource, saying what would be lost; nothing is applied', async () => {
    ws.stack('acme', { database: { holds: HOLDS, generation: '2' }, web: { generation: '2' } });
    const plan = await planTenant(ctx, 'acme');
    expect(plan.summary.replacements.map((c) => [c.address, c.stateful])).toEqual([
      ['terraform_data.database', true],
      ['terraform_data.web', false],
    ]);
    expect(plan.summary.dataLoss).toEqual([
      expect.objectContaining({ address: 'terraform_data.database', action: 'replace', holds: HOLDS }),
    ]);
    const stateBefore = readFileSync(ws.statePath('acme'), 'utf8');

    // No allowance, one for another tenant, one for another address: all refused.
    for (const allow of [[], ['other:terraform_data.database'], ['acme:terraform_data.web']]) {
      const result = await applyTenant(ctx, 'acme', { allowDestroy: parseAllowances(allow) });
      expect(result.status).toBe('refused');
      if (result.status !== 'refused') continue;
      expect(result.verdict.blocked.map((c) => c.address)).toEqual(['terraform_data.database']);
    }
    expect(readFileSync(ws.statePath('acme'), 'utf8')).toBe(stateBefore);
    expect(existsSync(plan.planFile)).toBe(true); // kept, to be applied once allowed
  });

  it('lets the same plan through with the exact allowance, and applies it for real', async () => {
    const idBefore = ws.readState('acme').resources.find((r) => r.name === 'database')!.instances[0]!.attributes['id'];
    const result = await applyTenant(ctx, 'acme', { allowDestroy: parseAllowances(['acme:terraform_data.database']) });
    expect(result).toMatchObject({
      status: 'applied',
      verdict: { allowed: [expect.objectContaining({ address: 'terraform_data.database' })] },
    });
    const idAfter = ws.readState('acme').resources.find((r) => r.name === 'database')!.instances[0]!.attributes['id'];
    expect(idAfter).not.toBe(idBefore); // really replaced
    expect((await planTenant(ctx, 'acme')).summary).toMatchObject({ add: 0, change: 0, destroy: 0 });
  });

  it('refuses a plan file that is not the one summarised, or a stack changed since the plan', async () => {
    ws.stack('acme', { database: { holds: HOLDS, generation: '2' }, web: { generation: '3' } });
    const plan = await planTenant(ctx, 'acme');
    writeFileSync(plan.planFile, Buffer.concat([readFileSync(plan.planFile), Buffer.from('x')]));
    await expect(applyTenant(ctx, 'acme')).rejects.toMatchObject({ reason: 'modified' });

    await planTenant(ctx, 'acme');
    ws.stack('acme', { database: { holds: HOLDS, generation: '2' }, web: { generation: '4' } });
    await expect(applyTenant(ctx, 'acme')).rejects.toMatchObject({ reason: 'stack-changed' });

    // A plan that fails leaves no older plan behind for apply to pick up.
    const file = ws.stack('acme', { database: { holds: HOLDS, generation: '2' } });
    const broken = JSON.parse(readFileSync(file, 'utf8'));
    broken.resource.terraform_data.database.input = '${terraform_data.nowhere.output}';
    writeFileSync(file, JSON.stringify(broken));
    await expect(planTenant(ctx, 'acme')).rejects.toThrow(/terraform plan/);
    await expect(applyTenant(ctx, 'acme')).rejects.toMatchObject({ reason: 'missing' });
  });

  it('says "not deployed", not "in sync", for a tenant never applied (issue 13.9)', async () => {
    ws.stack('fresh', { web: {} });
    expect(await driftTenant(ctx, 'fresh')).toMatchObject({ deployed: false, drifted: false });
  });

  it('detects drift after the local state is changed behind terraform’s back', async () => {
    ws.stack('acme', { database: { holds: HOLDS, generation: '2' }, web: { generation: '4' } });
    await planTenant(ctx, 'acme');
    await applyTenant(ctx, 'acme');
    const clean = await driftTenant(ctx, 'acme');
    expect(clean).toMatchObject({ deployed: true, drifted: false, resources: [], outputs: [] });

    const state = ws.readState('acme');
    const web = state.resources.find((r) => r.name === 'web')!.instances[0]!.attributes;
    // terraform_data keeps its values as typed dynamic values.
    web['input'] = { value: 'changed by hand', type: 'string' };
    web['output'] = { value: 'changed by hand', type: 'string' };
    ws.writeState('acme', { ...state, serial: state.serial + 1 });

    const drift = await driftTenant(ctx, 'acme');
    expect(drift.drifted).toBe(true);
    expect(drift.outputs).toEqual(['web']);
    expect(JSON.parse(readFileSync(drift.summaryFile, 'utf8'))).toMatchObject({ tenant: 'acme', drifted: true });
    // The drift check only reads: the state is as the hand left it.
    expect(ws.readState('acme').resources.find((r) => r.name === 'web')!.instances[0]!.attributes['input']).toEqual({
      value: 'changed by hand',
      type: 'string',
    });
  });
});

describe('terraform init, only when what it reads changed', () => {
  let ws: FixtureWorkspace;
  afterAll(() => ws.dispose());

  it('initialises once, reuses it, and initialises again when the backend changes', async () => {
    ws = fixtureWorkspace();
    const ctx = fleetContext(ws.root);
    const file = ws.stack('acme', { web: {} });
    const location = tenantLocation(ctx, 'acme');
    const runner = tenantRunner(ctx, 'acme');
    expect(await ensureInitialised(ctx, location, runner)).toBe('initialised');
    expect(await ensureInitialised(ctx, location, runner)).toBe('reused');
    ws.stack('acme', { web: { generation: '2' } }); // resources changed: init reads nothing of that
    expect(await ensureInitialised(ctx, location, runner)).toBe('reused');
    const stack = JSON.parse(readFileSync(file, 'utf8'));
    stack.terraform.backend.local.path = `${stack.terraform.backend.local.path}.moved`;
    writeFileSync(file, JSON.stringify(stack));
    await expect(ensureInitialised(ctx, location, runner)).rejects.toThrow(/Backend configuration changed/);
    // The failed init left no record: the next run tries init again instead of skipping it.
    await expect(ensureInitialised(ctx, location, runner)).rejects.toThrow(/terraform init/);
  });
});

describe('two tenants planned in parallel, real terraform', () => {
  let ws: FixtureWorkspace;
  afterAll(() => ws.dispose());

  it('plan and apply at the same time without touching each other’s plan, state or data dir', async () => {
    ws = fixtureWorkspace();
    const ctx = fleetContext(ws.root);
    ws.stack('alpha', { a1: {}, a2: {}, a3: {} });
    ws.stack('beta', { b1: {} });
    const events: ProgressEvent<TenantPlan>[] = [];
    const plans = await forEachTenant(['alpha', 'beta'], (t, step) => planTenant(ctx, t, { onStep: step }), {
      maxParallel: 2,
      onProgress: (e) => events.push(e),
    });
    // Both started before either finished: they really ran at the same time.
    const firstEnd = events.findIndex((e) => e.kind === 'end');
    expect(
      events
        .slice(0, firstEnd)
        .filter((e) => e.kind === 'start')
        .map((e) => (e.kind === 'start' ? e.tenant : '')),
    ).toEqual(['alpha', 'beta']);
    expect(events.filter((e) => e.kind === 'step').map((e) => (e.kind === 'step' ? `${e.tenant}:${e.step}` : ''))).toEqual(
      expect.arrayContaining(['alpha:init', 'alpha:plan', 'beta:init', 'beta:plan']),
    );
    const [alpha, beta] = plans.map((o) => (o.ok ? o.value : Promise.reject(o.error))) as TenantPlan[];
    expect(alpha!.summary.changes.map((c) => c.address)).toEqual(['terraform_data.a1', 'terraform_data.a2', 'terraform_data.a3']);
    expect(beta!.summary.changes.map((c) => c.address)).toEqual(['terraform_data.b1']);
    expect(new Set([alpha!.planFile, beta!.planFile]).size).toBe(2);

    const applies = await forEachTenant(['alpha', 'beta'], (t) => applyTenant(ctx, t), { maxParallel: 2 });
    expect(applies.map((o) => o.ok && o.value.status)).toEqual(['applied', 'applied']);
    expect(ws.readState('alpha').resources.map((r) => r.name)).toEqual(['a1', 'a2', 'a3']);
    expect(ws.readState('beta').resources.map((r) => r.name)).toEqual(['b1']);
  });
});
