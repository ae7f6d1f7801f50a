import { forEachTenant } from '@hafleet/fleet';
import type { DestroyAllowance, PlanDigest, SpecChange, TenantDriver } from './driver.js';
import { sleep } from './durations.js';
import type { GateTarget, HealthGate } from './gates/gate.js';
import { RolloutJournal, type JournalData, type RolloutStatus, type Step, type TenantRecord, type TenantState } from './journal.js';

/**
 * The rollout engine: waves in order, at most `maxParallel` tenants at a time inside a wave, each
 * tenant through spec → synth → plan → guard → apply → gate, the journal saved after every step.
 * It stops at `maxFailures` failures (default 1) or on an interrupt and never starts another
 * tenant after that; tenants already running finish their current step (an apply cannot be cut
 * short safely). Resuming runs every tenant that is not healthy again from its first step, so a
 * tenant stopped mid-apply is re-planned rather than given its stale plan.
 */

export interface RolloutCounts {
  readonly total: number;
  readonly pending: number;
  readonly applying: number;
  readonly healthy: number;
  readonly failed: number;
  readonly skipped: number;
}

export type RolloutEvent =
  | {
      readonly kind: 'wave';
      readonly wave: number;
      readonly waves: number;
      readonly label: string;
      readonly tenants: readonly string[];
      readonly counts: RolloutCounts;
    }
  | { readonly kind: 'wave-delay'; readonly wave: number; readonly ms: number }
  | {
      readonly kind: 'step';
      readonly tenant: string;
      readonly wave: number;
      readonly step: Step;
      readonly detail?: string;
      readonly counts: RolloutCounts;
    }
  | {
      readonly kind: 'tenant';
      readonly tenant: string;
      readonly wave: number;
      readonly state: TenantState;
      readonly detail?: string;
      readonly counts: RolloutCounts;
    }
  | { readonly kind: 'stop'; readonly status: RolloutStatus; readonly reason: string; readonly counts: RolloutCounts };

export interface ExecuteRolloutOptions {
  readonly journal: RolloutJournal;
  readonly driver: TenantDriver;
  readonly gates: readonly HealthGate[];
  readonly onEvent?: (event: RolloutEvent) => void;
  /** Aborted on SIGINT/SIGTERM: start nothing new, let running steps end, record where each tenant is. */
  readonly interrupt?: AbortSignal;
  /** Options changed for this run (`--resume` with new --max-parallel, gates…), kept in the journal's run list. */
  readonly overrides?: Record<string, unknown>;
  /** Asked before every wave but the first of this run; false pauses the rollout. Default: go on. */
  readonly confirmWave?: (next: {
    readonly wave: number;
    readonly label: string;
    readonly tenants: readonly string[];
    readonly counts: RolloutCounts;
  }) => Promise<boolean>;
}

class Interrupted extends Error {}
class StepFailed extends Error {}

export function countTenants(data: JournalData): RolloutCounts {
  const records = Object.values(data.tenants);
  const count = (state: TenantState) => records.filter((r) => r.state === state).length;
  return {
    total: records.length,
    pending: count('pending'),
    applying: count('applying'),
    healthy: count('healthy'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
}

const now = () => new Date().toISOString();

/**
 * Runs (or resumes) the rollout in `journal` and returns its final state. Holds the rollout's lock
 * while it runs (taking it here unless the caller opened the journal with it), and refuses a
 * journal that changed on disk since it was read.
 */
export async function executeRollout(options: ExecuteRolloutOptions): Promise<JournalData> {
  const { journal } = options;
  const ownLock = !journal.locked;
  if (ownLock) journal.lock();
  try {
    journal.assertCurrent();
    return await runRollout(options);
  } finally {
    if (ownLock) journal.release();
  }
}

async function runRollout(options: ExecuteRolloutOptions): Promise<JournalData> {
  const { journal, driver, gates } = options;
  const data = journal.data;
  const interrupt = options.interrupt ?? new AbortController().signal;
  const emit = (event: RolloutEvent) => options.onEvent?.(event);
  const { changes, allowDestroy, maxParallel, maxFailures, waveDelayMs } = data.request;

  journal.claim();
  data.status = 'running';
  data.stopReason = undefined;
  data.runs.push({ pid: process.pid, startedAt: now(), ...(options.overrides ? { overrides: options.overrides } : {}) });
  journal.save();

  const startedThisRun = new Set<string>();
  let failures = 0;
  let stop: { status: RolloutStatus; reason: string } | undefined;
  const interruptedStop = () => ({ status: 'interrupted' as const, reason: 'interrupted by a signal' });
  let firstWave = true;

  for (const [index, wave] of data.waves.entries()) {
    const todo = wave.tenants.filter((t) => journal.tenant(t).state !== 'healthy');
    if (todo.length === 0) continue;
    if (!firstWave) {
      if (waveDelayMs > 0) {
        emit({ kind: 'wave-delay', wave: index, ms: waveDelayMs });
        await sleep(waveDelayMs, interrupt);
      }
      if (interrupt.aborted) {
        stop = interruptedStop();
        break;
      }
      const go = await (options.confirmWave?.({ wave: index, label: wave.label, tenants: todo, counts: countTenants(data) }) ?? true);
      if (interrupt.aborted) {
        stop = interruptedStop(); // a signal while the question was open
        break;
      }
      if (!go) {
        stop = { status: 'paused', reason: `paused by the operator before wave ${index + 1} (${wave.label})` };
        break;
      }
    }
    firstWave = false;
    emit({ kind: 'wave', wave: index, waves: data.waves.length, label: wave.label, tenants: todo, counts: countTenants(data) });

    await forEachTenant(
      todo,
      async (tenant) => {
        if (stop || interrupt.aborted) return; // never start a tenant after a stop
        startedThisRun.add(tenant);
        const state = await rollTenant(tenant, index);
        if (state === 'failed' && ++failures >= maxFailures && !stop) {
          stop = {
            status: 'halted',
            reason: `halted after ${failures} failure${failures === 1 ? '' : 's'} (--max-failures ${maxFailures}); last: ${tenant}`,
          };
        }
      },
      { maxParallel },
    );
    if (!stop && interrupt.aborted) stop = interruptedStop();
    if (stop) break;
  }

  if (stop) {
    for (const [tenant, record] of Object.entries(data.tenants)) {
      if (record.state === 'healthy' || startedThisRun.has(tenant)) continue;
      record.state = 'skipped';
      delete record.step;
      delete record.error;
      record.note = `not started: ${stop.reason}`;
    }
  }
  const counts = countTenants(data);
  const status: RolloutStatus = stop?.status ?? (counts.healthy === counts.total ? 'completed' : 'failed');
  data.status = status;
  data.stopReason = stop?.reason;
  data.runner = undefined;
  const run = data.runs.at(-1)!;
  run.endedAt = now();
  run.status = status;
  journal.save();
  emit({
    kind: 'stop',
    status,
    reason: stop?.reason ?? (status === 'completed' ? 'every tenant healthy' : `${counts.failed} tenant(s) failed`),
    counts,
  });
  return data;

  async function rollTenant(tenant: string, wave: number): Promise<TenantState> {
    const record = journal.tenant(tenant);
    Object.assign(record, {
      state: 'applying',
      attempts: record.attempts + 1,
      startedAt: now(),
      steps: [],
    } satisfies Partial<TenantRecord>);
    for (const key of ['step', 'endedAt', 'specChanged', 'plan', 'applied', 'gates', 'error', 'note'] as const) delete record[key];
    journal.save();

    const step = async <T>(
      name: Step,
      run: (onStep: (detail: string) => void) => Promise<T>,
      describe?: (value: T) => string | undefined,
    ): Promise<T> => {
      if (interrupt.aborted) throw new Interrupted(`interrupted before ${name}`);
      const entry = { step: name, startedAt: now() } as TenantRecord['steps'][number];
      record.step = name;
      record.steps.push(entry);
      journal.save();
      emit({ kind: 'step', tenant, wave, step: name, counts: countTenants(data) });
      const onStep = (detail: string) => emit({ kind: 'step', tenant, wave, step: name, detail, counts: countTenants(data) });
      try {
        const value = await run(onStep);
        Object.assign(entry, { endedAt: now(), ok: true, ...(describe?.(value) ? { detail: describe(value) } : {}) });
        return value;
      } catch (error) {
        Object.assign(entry, { endedAt: now(), ok: false, detail: messageOf(error) });
        // A step cut short by the interrupt (terraform got the same signal) is not a failure.
        if (interrupt.aborted && !(error instanceof StepFailed)) throw new Interrupted(`interrupted during ${name}`);
        throw error;
      } finally {
        journal.save();
      }
    };

    try {
      const update = await step(
        'spec',
        () => driver.updateSpec(tenant, changes as SpecChange[]),
        (u) => (u.changed ? 'spec updated' : 'spec already up to date'),
      );
      record.specChanged = update.changed;
      await step('synth', (onStep) => driver.synth(tenant, { onStep, applyImmediately: data.request.applyImmediately }));
      const plan = await step(
        'plan',
        (onStep) => driver.plan(tenant, { onStep }),
        (p) => describePlan(p.digest),
      );
      record.plan = {
        ...plan.digest,
        dataLoss: [...plan.digest.dataLoss],
        deferred: plan.digest.deferred.map((d) => ({ ...d, attributes: [...d.attributes] })),
      };
      await step(
        'guard',
        async () => {
          const decision = driver.guard(plan, allowDestroy as DestroyAllowance[]);
          if (!decision.ok) throw new StepFailed(decision.message);
          return decision;
        },
        (d) => (d.ok && d.allowed.length ? `allowed: ${d.allowed.join(', ')}` : 'no data loss'),
      );
      const appliedSince = now();
      record.applied = await step(
        'apply',
        (onStep) => driver.apply(plan, allowDestroy as DestroyAllowance[], { onStep }),
        (s) => s,
      );
      await step(
        'gate',
        async () => {
          record.gates = [];
          const target = gateTarget(tenant, wave, update.spec, appliedSince);
          for (const gate of gates) {
            const result = await gate.check(target);
            record.gates.push({ gate: gate.name, ok: result.ok, detail: result.detail });
            journal.save();
            if (!result.ok && interrupt.aborted) throw new Interrupted(`interrupted during the ${gate.name} gate`);
            if (!result.ok) throw new StepFailed(`${gate.name} gate: ${result.detail}`);
          }
          return record.gates;
        },
        (results) => results.map((r) => `${r.gate}: ${r.detail}`).join('; ') || 'no gate (--gate none)',
      );
      record.state = 'healthy';
    } catch (error) {
      if (error instanceof Interrupted) {
        // Left "applying": resume re-plans it from the spec step (idempotent), never reuses the plan.
        record.note = `${error.message}; resume re-plans it`;
      } else {
        record.state = 'failed';
        record.error = messageOf(error);
      }
    }
    record.endedAt = now();
    journal.save();
    emit({ kind: 'tenant', tenant, wave, state: record.state, detail: record.error ?? record.note, counts: countTenants(data) });
    return record.state;
  }

  function gateTarget(tenant: string, wave: number, spec: GateTarget['spec'], appliedSince: string): GateTarget {
    let outputs: Promise<Record<string, unknown>> | undefined;
    return {
      tenant,
      spec,
      rolloutId: data.id,
      wave: data.waves[wave]!.label,
      appliedSince,
      outputs: () => (outputs ??= driver.outputs(tenant)),
      signal: interrupt,
    };
  }
}

/** "+1 ~2 -0 (1 replace)" — short enough for a progress line. */
export function describePlan(digest: PlanDigest): string {
  if (!digest.hasChanges) return 'no changes';
  const replace = digest.replace ? ` (${digest.replace} replace)` : '';
  const loss = digest.dataLoss.length ? `, DATA LOSS: ${digest.dataLoss.map((d) => d.address).join(', ')}` : '';
  const waiting = digest.deferred.length
    ? `, ${digest.deferred.length} wait${digest.deferred.length === 1 ? 's' : ''} for the maintenance window`
    : '';
  return `+${digest.add} ~${digest.change} -${digest.destroy}${replace}${loss}${waiting}`;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
