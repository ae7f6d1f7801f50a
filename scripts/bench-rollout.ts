/**
 * `npm run bench:rollout`: what the rollout engine itself costs.
 *
 *   journal   a 140-tenant rollout (canary, 10 %, 100 %; 4 at a time) with a driver that does
 *             nothing, so the figure is the engine's own work: the journal is checksummed and
 *             written atomically after every step of every tenant. Prints saves, time per save,
 *             journal size and the whole run.
 *   fixture   N fixture tenants (terraform_data stacks, real terraform, local state) rolled to a
 *             new release, 2 at a time: wall time and the median of each step per tenant, from
 *             the journal's timestamps.
 * Usage: npm run bench:rollout [-- --tenants 140 --fixtures 6]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  RolloutJournal,
  STEPS,
  copyWorkspaceInputs,
  executeRollout,
  newRolloutId,
  planRollout,
  planWaves,
  startRollout,
  type RolloutRequest,
  type TenantDriver,
} from '@hafleet/rollout';
import { fixtureDriver, writeFixtureTenants } from '@hafleet/rollout/testing';
import { loadTenantSpec, tenantSpecFiles } from '@hafleet/tenant-spec';
import { findWorkspaceRoot } from '@hafleet/entry-point';

const workspaceRoot = findWorkspaceRoot(import.meta.url);
const { values } = parseArgs({ options: { tenants: { type: 'string', default: '140' }, fixtures: { type: 'string', default: '6' } } });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const ms = (n: number) => `${n.toFixed(1)} ms`;

const request = (overrides: Partial<RolloutRequest>): RolloutRequest => ({
  changes: [{ path: 'app.release', value: '2025.4.0' }],
  reapply: false,
  selection: { tenants: [], tags: [], where: [] },
  waves: 'canary,10%,100%',
  maxParallel: 4,
  waveDelayMs: 0,
  maxFailures: 1,
  allowDestroy: [],
  gates: [{ kind: 'none' }],
  applyImmediately: false,
  ...overrides,
});

async function journalCost(count: number): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'hafleet-bench-rollout-'));
  try {
    const spec = loadTenantSpec(tenantSpecFiles(workspaceRoot)[0]!, workspaceRoot).spec;
    const names = Array.from({ length: count }, (_, i) => `t-${String(i).padStart(3, '0')}`);
    const { waves } = planWaves(
      names.map((name, i) => ({ name, ring: i === 0 ? 'canary' : 'general' })),
      'canary,10%,100%',
    );
    const noop: TenantDriver = {
      updateSpec: async (tenant) => ({ spec: { ...spec, name: tenant }, changed: true }),
      synth: async () => {},
      plan: async (tenant) => ({
        tenant,
        digest: { add: 0, change: 1, destroy: 0, replace: 0, resourceCount: 120, hasChanges: true, dataLoss: [], deferred: [] },
      }),
      guard: () => ({ ok: true, allowed: [] }),
      apply: async () => 'applied',
      outputs: async () => ({}),
    };
    const journal = RolloutJournal.create(root, {
      id: newRolloutId(),
      createdAt: new Date().toISOString(),
      status: 'running',
      request: request({}),
      waves: waves.map((w) => ({ label: w.label, tenants: [...w.tenants] })),
      tenants: Object.fromEntries(
        waves.flatMap((w, i) => w.tenants.map((t) => [t, { wave: i, state: 'pending' as const, attempts: 0, steps: [] }])),
      ),
      runs: [],
    });
    const save = journal.save.bind(journal);
    const saves: number[] = [];
    journal.save = () => {
      const started = performance.now();
      save();
      saves.push(performance.now() - started);
    };
    const started = performance.now();
    const data = await executeRollout({ journal, driver: noop, gates: [] });
    const wall = performance.now() - started;
    console.log(
      `journal: ${count} tenants, ${data.status}: ${saves.length} atomic saves, median ${ms(median(saves))}, max ${ms(Math.max(...saves))}; ` +
        `journal ${(statSync(journal.file).size / 1024).toFixed(0)} KiB; whole run ${ms(wall)} (${ms(wall / count)} per tenant)`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function fixtureCost(count: number): Promise<void> {
  const copy = copyWorkspaceInputs(workspaceRoot);
  try {
    const root = copy.root;
    writeFixtureTenants(
      root,
      Array.from({ length: count }, (_, i) => ({ name: `fx-${String(i + 1).padStart(2, '0')}`, ring: i === 0 ? 'canary' : 'general' })),
    );
    const driver = fixtureDriver(root);
    await executeRollout({
      journal: startRollout(root, planRollout(root, request({ reapply: true, changes: [], waves: '100%', maxParallel: 2 }))),
      driver,
      gates: [],
    });
    const started = performance.now();
    const data = await executeRollout({ journal: startRollout(root, planRollout(root, request({ maxParallel: 2 }))), driver, gates: [] });
    const wall = performance.now() - started;
    const perStep = STEPS.map((step) => {
      const took = Object.values(data.tenants).flatMap((t) =>
        t.steps.filter((s) => s.step === step).map((s) => Date.parse(s.endedAt!) - Date.parse(s.startedAt)),
      );
      return `${step} ${ms(median(took))}`;
    });
    console.log(
      `fixture: ${count} tenants rolled to a new release, 2 at a time, real terraform: ${data.status} in ${ms(wall)}; median per tenant: ${perStep.join(', ')}`,
    );
  } finally {
    copy.dispose();
  }
}

await journalCost(Number(values.tenants));
await fixtureCost(Number(values.fixtures));
