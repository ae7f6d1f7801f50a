import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadTenantSpec, tenantSpecFiles } from '@hafleet/tenant-spec';
import { WORKSPACE_ROOT } from '@hafleet/testing';
import type { GuardDecision, SynthContext, TenantDriver, TenantPlan } from './driver.js';
import { executeRollout } from './engine.js';
import { CommandGate } from './gates/command-gate.js';
import type { GateTarget, HealthGate } from './gates/gate.js';
import { RolloutJournal, newRolloutId, type RolloutRequest } from './journal.js';

/**
 * The engine's bookkeeping with an in-memory driver (no terraform: the terraform-backed flows are
 * in rollout.terraform.test.ts and the CLI tests): stops, pauses, guard refusals, gate environment.
 */

const spec = loadTenantSpec(tenantSpecFiles(WORKSPACE_ROOT)[0]!, WORKSPACE_ROOT).spec;

class InMemoryDriver implements TenantDriver {
  readonly calls: string[] = [];
  /** Tenants last synthesised with apply_immediately. */
  private readonly immediate = new Set<string>();
  constructor(private readonly behaviour: { failPlan?: string[]; dataLoss?: string[]; resized?: string[]; slowMs?: number } = {}) {}
  async updateSpec(tenant: string) {
    this.calls.push(`${tenant}:spec`);
    return { spec: { ...spec, name: tenant }, changed: true };
  }
  async synth(tenant: string, context: SynthContext = {}) {
    this.calls.push(`${tenant}:synth${context.applyImmediately ? ' (apply immediately)' : ''}`);
    if (context.applyImmediately) this.immediate.add(tenant);
    else this.immediate.delete(tenant);
  }
  async plan(tenant: string): Promise<TenantPlan> {
    this.calls.push(`${tenant}:plan`);
    await new Promise((r) => setTimeout(r, this.behaviour.slowMs ?? 0));
    if (this.behaviour.failPlan?.includes(tenant)) throw new Error(`terraform plan failed for ${tenant}`);
    const dataLoss = this.behaviour.dataLoss?.includes(tenant)
      ? [{ address: 'aws_db_instance.db', action: 'replace', holds: 'a database' }]
      : [];
    // A resize waits for the window unless the stack was synthesised to apply it immediately, as AWS does.
    const deferred =
      this.behaviour.resized?.includes(tenant) && !this.immediate.has(tenant)
        ? [{ address: 'aws_db_instance.db', type: 'aws_db_instance', attributes: ['instance_class'], window: 'sun:16:00-sun:16:30' }]
        : [];
    return {
      tenant,
      digest: {
        add: 1,
        change: 0,
        destroy: dataLoss.length,
        replace: dataLoss.length,
        resourceCount: 1,
        hasChanges: true,
        dataLoss,
        deferred,
      },
    };
  }
  guard(plan: TenantPlan): GuardDecision {
    return plan.digest.dataLoss.length
      ? { ok: false, blocked: ['aws_db_instance.db'], message: `tenant ${plan.tenant}: apply refused — this plan would lose data` }
      : { ok: true, allowed: [] };
  }
  async apply(plan: TenantPlan) {
    this.calls.push(`${plan.tenant}:apply`);
    return 'applied' as const;
  }
  async outputs() {
    return {};
  }
}

const passGate: HealthGate = { name: 'pass', check: async () => ({ ok: true, detail: 'fine' }) };

describe('rollout engine (in-memory driver)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'hafleet-engine-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function journal(waves: string[][], overrides: Partial<RolloutRequest> = {}): RolloutJournal {
    const tenants = Object.fromEntries(
      waves.flatMap((w, i) => w.map((t) => [t, { wave: i, state: 'pending' as const, attempts: 0, steps: [] }])),
    );
    return RolloutJournal.create(root, {
      id: newRolloutId(),
      createdAt: new Date().toISOString(),
      status: 'running',
      request: {
        changes: [{ path: 'app.release', value: '2025.4.0' }],
        reapply: false,
        selection: { tenants: [], tags: [], where: [] },
        waves: 'test',
        maxParallel: 1,
        waveDelayMs: 0,
        maxFailures: 1,
        allowDestroy: [],
        gates: [{ kind: 'none' }],
        applyImmediately: false,
        ...overrides,
      },
      waves: waves.map((tenants, i) => ({ label: `w${i + 1}`, tenants })),
      tenants,
      runs: [],
    });
  }

  it('runs every step in order per tenant and records each with timings', async () => {
    const driver = new InMemoryDriver();
    const data = await executeRollout({ journal: journal([['a'], ['b']]), driver, gates: [passGate] });
    expect(data.status).toBe('completed');
    expect(driver.calls).toEqual(['a:spec', 'a:synth', 'a:plan', 'a:apply', 'b:spec', 'b:synth', 'b:plan', 'b:apply']);
    expect(data.tenants['a']!.steps.map((s) => [s.step, s.ok])).toEqual([
      ['spec', true],
      ['synth', true],
      ['plan', true],
      ['guard', true],
      ['apply', true],
      ['gate', true],
    ]);
    for (const s of data.tenants['a']!.steps) expect(Date.parse(s.endedAt!)).toBeGreaterThanOrEqual(Date.parse(s.startedAt));
  });

  it('synthesises with apply_immediately only when the request says so, and records what waits for the window', async () => {
    const waiting = await executeRollout({ journal: journal([['a']]), driver: new InMemoryDriver({ resized: ['a'] }), gates: [passGate] });
    expect(waiting.tenants['a']!.plan!.deferred).toEqual([
      { address: 'aws_db_instance.db', type: 'aws_db_instance', attributes: ['instance_class'], window: 'sun:16:00-sun:16:30' },
    ]);
    expect(waiting.tenants['a']!.steps.find((s) => s.step === 'plan')!.detail).toBe('+1 ~0 -0, 1 waits for the maintenance window');

    const driver = new InMemoryDriver({ resized: ['a'] });
    const now = await executeRollout({ journal: journal([['a']], { applyImmediately: true }), driver, gates: [passGate] });
    expect(driver.calls).toContain('a:synth (apply immediately)');
    expect(now.tenants['a']!.plan!.deferred).toEqual([]);
  });

  it('refuses data loss at the guard: the tenant fails there, nothing is applied, the rollout halts', async () => {
    const driver = new InMemoryDriver({ dataLoss: ['a'] });
    const data = await executeRollout({ journal: journal([['a', 'b']]), driver, gates: [passGate] });
    expect(data.status).toBe('halted');
    expect(data.tenants['a']).toMatchObject({
      state: 'failed',
      step: 'guard',
      error: 'tenant a: apply refused — this plan would lose data',
    });
    expect(data.tenants['b']).toMatchObject({ state: 'skipped', attempts: 0 });
    expect(driver.calls).not.toContain('a:apply');
  });

  it('with --max-failures 2 and 2 in parallel: goes on after one failure, stops after the second, starts nothing after', async () => {
    const driver = new InMemoryDriver({ failPlan: ['b', 'c'], slowMs: 20 });
    const data = await executeRollout({
      journal: journal([['a', 'b', 'c', 'd', 'e'], ['f']], { maxParallel: 2, maxFailures: 2 }),
      driver,
      gates: [passGate],
    });
    expect(data.status).toBe('halted');
    expect(data.stopReason).toBe('halted after 2 failures (--max-failures 2); last: c');
    expect(Object.fromEntries(Object.entries(data.tenants).map(([t, r]) => [t, r.state]))).toEqual({
      a: 'healthy',
      b: 'failed',
      c: 'failed',
      d: 'healthy',
      e: 'skipped',
      f: 'skipped',
    });
    expect(driver.calls.filter((c) => c.startsWith('e:') || c.startsWith('f:'))).toEqual([]);
  });

  it('pauses when the operator says no between waves; resuming asks again and goes on', async () => {
    const j = journal([['a'], ['b'], ['c']]);
    const asked: string[] = [];
    const paused = await executeRollout({
      journal: j,
      driver: new InMemoryDriver(),
      gates: [passGate],
      confirmWave: async (w) => (asked.push(w.label), false),
    });
    expect(paused.status).toBe('paused');
    expect(asked).toEqual(['w2']);
    expect(Object.values(paused.tenants).map((t) => t.state)).toEqual(['healthy', 'skipped', 'skipped']);

    const resumed = await executeRollout({
      journal: RolloutJournal.load(root, j.id),
      driver: new InMemoryDriver(),
      gates: [passGate],
      confirmWave: async (w) => (asked.push(w.label), true),
    });
    expect(resumed.status).toBe('completed');
    expect(asked).toEqual(['w2', 'w3']); // the first wave of a run starts without asking
  });

  it('an interrupt before a tenant starts leaves it to resume; one between steps stops before the next step', async () => {
    const stop = new AbortController();
    const driver = new InMemoryDriver();
    const gate: HealthGate = { name: 'slow', check: async () => (stop.abort(), { ok: true, detail: 'fine' }) };
    const data = await executeRollout({ journal: journal([['a', 'b']]), driver, gates: [gate], interrupt: stop.signal });
    expect(data.status).toBe('interrupted');
    // The gate passed as the interrupt came: a is healthy; b never started.
    expect(data.tenants['a']!.state).toBe('healthy');
    expect(data.tenants['b']).toMatchObject({ state: 'skipped', note: 'not started: interrupted by a signal' });
  });

  it('gives the command gate the tenant’s fields as HAFLEET_* variables', async () => {
    const gate = new CommandGate({
      kind: 'command',
      command:
        'echo "$HAFLEET_TENANT $HAFLEET_DOMAIN $HAFLEET_REGION $HAFLEET_RING $HAFLEET_WAVE $HAFLEET_HEALTH_URL"; test "$HAFLEET_RELEASE" = "$EXPECTED"',
      timeoutMs: 5_000,
    });
    const target: GateTarget = {
      tenant: spec.name,
      spec,
      rolloutId: 'r1',
      wave: 'canary',
      appliedSince: new Date().toISOString(),
      outputs: async () => ({}),
      signal: new AbortController().signal,
    };
    process.env['EXPECTED'] = spec.app.release ?? '';
    const ok = await gate.check(target);
    expect(ok).toEqual({
      ok: true,
      detail: expect.stringContaining(
        `exited 0: ${spec.name} ${spec.domain} ${spec.region} ${spec.rollout.ring} canary https://${spec.domain}${spec.app.healthCheckPath}`,
      ),
    });
    process.env['EXPECTED'] = 'something else';
    expect((await gate.check(target)).ok).toBe(false);
    delete process.env['EXPECTED'];
    const slow = await new CommandGate({ kind: 'command', command: 'sleep 5', timeoutMs: 200 }).check(target);
    expect(slow).toEqual({ ok: false, detail: '`sleep 5` timed out after 200ms' });
  });
});
