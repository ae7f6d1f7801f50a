import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '@hafleet/testing';
import { executeRollout, type RolloutEvent } from './engine.js';
import { createGates, gateConfigs } from './gates/index.js';
import { RolloutJournal, type JournalData, type RolloutRequest } from './journal.js';
import { planRollout, startRollout } from './rollout-plan.js';
import { fixtureApplies, fixtureDriver, fixtureState, writeFixtureTenants, type FixtureState } from './testing/index.js';
import { specFile } from './workspace-copy.js';

/**
 * The rollout engine end to end with the real terraform binary: six fixture tenants whose stacks
 * are built-in terraform_data resources with local state. Outcomes are read from terraform's own
 * state files (serial, content hash, applied release) and from a log terraform's local-exec
 * provisioner appends to on every apply of a new release — not from the journal alone.
 */

const TENANTS = ['fx-01', 'fx-02', 'fx-03', 'fx-04', 'fx-05', 'fx-06'];

function request(overrides: Partial<RolloutRequest>): RolloutRequest {
  return {
    changes: [],
    reapply: false,
    selection: { tenants: [], tags: [], where: [] },
    waves: '100%',
    maxParallel: 2,
    waveDelayMs: 0,
    maxFailures: 1,
    allowDestroy: [],
    gates: [{ kind: 'none' }],
    applyImmediately: false,
    ...overrides,
  };
}

async function run(root: string, journal: RolloutJournal, events: RolloutEvent[] = []): Promise<JournalData> {
  return executeRollout({
    journal,
    driver: fixtureDriver(root),
    gates: createGates(journal.data.request.gates),
    onEvent: (e) => events.push(e),
  });
}

const states = (root: string) => Object.fromEntries(TENANTS.map((t) => [t, fixtureState(root, t)])) as Record<string, FixtureState>;
const release = (root: string, tenant: string) =>
  (JSON.parse(readFileSync(specFile(root, tenant), 'utf8')) as { app: { release: string } }).app.release;

describe('rollout of 6 fixture tenants in 3 waves, real terraform, local state', () => {
  let workspace: TempWorkspace;
  let root: string;
  let gateDir: string;
  let baseline: Record<string, FixtureState>;
  let afterHalt: Record<string, FixtureState>;
  let rolloutId: string;

  beforeAll(async () => {
    workspace = tempWorkspace();
    root = workspace.root;
    gateDir = mkdtempSync(join(tmpdir(), 'hafleet-gate-'));
    writeFixtureTenants(
      root,
      TENANTS.map((name, i) => ({ name, ring: i === 0 ? 'canary' : 'general', release: '2025.3.0' })),
    );
    // Every tenant live on the old release first: a --reapply rollout, no gate.
    const initial = await run(root, startRollout(root, planRollout(root, request({ reapply: true, maxParallel: 3 }))));
    expect(initial.status).toBe('completed');
    baseline = states(root);
  });
  afterAll(() => {
    workspace?.dispose();
    rmSync(gateDir, { recursive: true, force: true });
  });

  it('starts from every tenant applied once on 2025.3.0', () => {
    for (const tenant of TENANTS) {
      expect(baseline[tenant]).toMatchObject({ release: '2025.3.0', tainted: [] });
      expect(fixtureApplies(root, tenant)).toEqual([expect.stringContaining('release=2025.3.0')]);
    }
  });

  it("halts when tenant 4's gate fails: 1–3 applied, 4 failed, 5–6 never started", async () => {
    writeFileSync(join(gateDir, 'unhealthy-fx-04'), 'down for the test');
    const planned = planRollout(
      root,
      request({
        changes: [{ path: 'app.release', value: '2025.4.0' }],
        waves: 'canary,50%,100%',
        maxParallel: 1,
        gates: gateConfigs({
          gates: [`command:if [ -e '${gateDir}'/unhealthy-$HAFLEET_TENANT ]; then echo "$HAFLEET_TENANT is down"; exit 1; fi`],
        }),
      }),
    );
    expect(planned.waves).toEqual([
      { label: 'canary', tenants: ['fx-01'] },
      { label: '50%', tenants: ['fx-02', 'fx-03'] },
      { label: '100%', tenants: ['fx-04', 'fx-05', 'fx-06'] },
    ]);
    const journal = startRollout(root, planned);
    rolloutId = journal.id;
    const events: RolloutEvent[] = [];
    const data = await run(root, journal, events);
    afterHalt = states(root);

    expect(data.status).toBe('halted');
    expect(Object.fromEntries(TENANTS.map((t) => [t, data.tenants[t]!.state]))).toEqual({
      'fx-01': 'healthy',
      'fx-02': 'healthy',
      'fx-03': 'healthy',
      'fx-04': 'failed',
      'fx-05': 'skipped',
      'fx-06': 'skipped',
    });
    expect(data.tenants['fx-04']).toMatchObject({ step: 'gate', applied: 'applied' });
    expect(data.tenants['fx-04']!.error).toMatch(/command gate: .* exited 1: fx-04 is down$/);

    // Terraform's state: 1–4 moved to the new release with a new serial; 5–6 byte for byte as before.
    for (const tenant of ['fx-01', 'fx-02', 'fx-03', 'fx-04']) {
      expect(afterHalt[tenant]!.release).toBe('2025.4.0');
      expect(afterHalt[tenant]!.serial).toBeGreaterThan(baseline[tenant]!.serial);
      expect(fixtureApplies(root, tenant)).toHaveLength(2);
    }
    for (const tenant of ['fx-05', 'fx-06']) {
      expect(afterHalt[tenant]).toEqual(baseline[tenant]);
      expect(fixtureApplies(root, tenant)).toHaveLength(1);
      expect(release(root, tenant)).toBe('2025.3.0'); // spec not even edited
      expect(events.some((e) => e.kind === 'step' && e.tenant === tenant)).toBe(false);
    }
    expect(release(root, 'fx-04')).toBe('2025.4.0');
  });

  it('resumes after the gate is fixed: 4–6 applied, 1–3 untouched', async () => {
    rmSync(join(gateDir, 'unhealthy-fx-04'));
    const journal = RolloutJournal.load(root, rolloutId);
    const events: RolloutEvent[] = [];
    const data = await run(root, journal, events);
    const after = states(root);

    expect(data.status).toBe('completed');
    expect(TENANTS.every((t) => data.tenants[t]!.state === 'healthy')).toBe(true);
    // 1–3: never started again — same state file, same single upgrade apply, one attempt.
    for (const tenant of ['fx-01', 'fx-02', 'fx-03']) {
      expect(after[tenant]).toEqual(afterHalt[tenant]);
      expect(fixtureApplies(root, tenant)).toHaveLength(2);
      expect(data.tenants[tenant]!.attempts).toBe(1);
      expect(events.some((e) => e.kind === 'step' && e.tenant === tenant)).toBe(false);
    }
    // 4: re-planned, nothing left to apply (its release was applied before the gate failed), gated.
    expect(data.tenants['fx-04']).toMatchObject({ attempts: 2, applied: 'unchanged', plan: { hasChanges: false } });
    expect(after['fx-04']).toEqual(afterHalt['fx-04']);
    expect(fixtureApplies(root, 'fx-04')).toHaveLength(2);
    // 5–6: applied now.
    for (const tenant of ['fx-05', 'fx-06']) {
      expect(after[tenant]!.release).toBe('2025.4.0');
      expect(after[tenant]!.serial).toBeGreaterThan(baseline[tenant]!.serial);
      expect(after[tenant]!.lineage).toBe(baseline[tenant]!.lineage);
      expect(fixtureApplies(root, tenant)).toEqual([expect.stringContaining('2025.3.0'), expect.stringContaining('release=2025.4.0')]);
      expect(data.tenants[tenant]).toMatchObject({ attempts: 1, applied: 'applied', specChanged: true });
    }
    expect(data.runs).toHaveLength(2);
  });

  it('resuming a completed rollout applies nothing', async () => {
    const before = states(root);
    const data = await run(root, RolloutJournal.load(root, rolloutId));
    expect(data.status).toBe('completed');
    expect(states(root)).toEqual(before);
  });
});

describe('parallelism and pacing, from the journal timestamps (real terraform)', () => {
  let workspace: TempWorkspace;
  afterAll(() => workspace?.dispose());

  it('runs at most --max-parallel tenants at once inside a wave, and waits --wave-delay between waves', async () => {
    workspace = tempWorkspace();
    const root = workspace.root;
    const tenants = ['px-01', 'px-02', 'px-03', 'px-04', 'px-05'];
    writeFixtureTenants(
      root,
      tenants.map((name, i) => ({ name, ring: i === 0 ? 'canary' : 'general', applySeconds: 2 })),
    );
    const journal = startRollout(
      root,
      planRollout(root, request({ reapply: true, waves: 'canary,100%', maxParallel: 2, waveDelayMs: 1_000 })),
    );
    const data = await run(root, journal);
    expect(data.status).toBe('completed');

    const span = (t: string) => ({ start: Date.parse(data.tenants[t]!.startedAt!), end: Date.parse(data.tenants[t]!.endedAt!) });
    /** Most tenants running at one instant: every start, counted against the spans it falls in. */
    const peak = (names: string[]) =>
      Math.max(...names.map((t) => names.filter((o) => span(o).start <= span(t).start && span(t).start < span(o).end).length));
    const wave2 = tenants.slice(1);
    expect(peak(wave2)).toBe(2);
    expect(peak(tenants)).toBe(2);
    // Every apply took its 2 s provisioner, so 4 tenants two at a time cannot have overlapped more.
    for (const t of wave2) expect(span(t).end - span(t).start).toBeGreaterThanOrEqual(2_000);
    // Wave 2 started only after the canary finished, and the delay after it.
    expect(Math.min(...wave2.map((t) => span(t).start))).toBeGreaterThanOrEqual(span('px-01').end + 1_000);
    console.log(
      'timeline (ms from start):',
      tenants.map((t) => `${t} ${span(t).start - span('px-01').start}–${span(t).end - span('px-01').start}`).join(', '),
    );
  });
});
