import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '@hafleet/fs-safe';
import { assertCompliant, assertSuppressionsValid, type PolicyReport } from '@hafleet/guardrails';
import { SpecValidationError, loadFleet, stackDir, type LoadedTenant } from '@hafleet/tenant-spec';
import type { StackMode } from './mode.js';
import {
  checkStack,
  libsDigest,
  place,
  settingsFor,
  stageTenant,
  synthesizeOne,
  type PlacedStack,
  type Settings,
  type StagedTenant,
} from './stage.js';
import { inSynthThreads, synthThreadCount } from './synth-threads.js';

export interface SynthesizeOptions {
  readonly workspaceRoot: string;
  /** Tenants to synthesise; default every tenant. */
  readonly only?: readonly string[];
  /** Default `<workspaceRoot>/cdktf.out`. */
  readonly outdir?: string;
  /** Default from HAFLEET_MODE, else offline. */
  readonly mode?: StackMode;
  /**
   * Database and cache changes apply at once rather than in their maintenance window (see
   * TenantStackProps). Default from HAFLEET_APPLY_IMMEDIATELY, else false.
   */
  readonly applyImmediately?: boolean;
  /** Called after each tenant's stack is synthesised and checked (progress for long fleet runs). */
  readonly onTenant?: (tenant: string, done: number, total: number) => void;
}

export interface ParallelSynthesizeOptions extends SynthesizeOptions {
  /**
   * Tenants synthesised at once, each in a synth thread (synth-threads.ts); fewer when the run is
   * too small to repay starting threads (`TENANTS_PER_THREAD` each). 1: all in this thread. Default 2.
   */
  readonly maxParallel?: number;
}

/**
 * A tenant's stack in place. `policy` is the guardrails' verdict on it: counts and findings (any
 * unsuppressed error fails synthesis); the whole report, passes included, is in `POLICY_REPORT_FILE`
 * beside the stack.
 */
export type SynthesizedTenant = PlacedStack;

/** One tenant of `synthesizeEach`: its stack, or why it has none (its old output left as it was). */
export type TenantSynthOutcome =
  | { readonly tenant: string; readonly ok: true; readonly stack: SynthesizedTenant }
  | { readonly tenant: string; readonly ok: false; readonly error: Error };

/** A whole-fleet run in progress: the validated tenants and the staging folder everything goes to first. */
interface FleetRun {
  readonly settings: Settings;
  readonly tenants: readonly LoadedTenant[];
  readonly staging: string;
}

function startFleetRun(options: SynthesizeOptions): FleetRun {
  const settings = settingsFor(options);
  const tenants = loadFleet(settings.workspaceRoot, { only: options.only });
  assertSuppressionsValid(tenants, settings.workspaceRoot);
  mkdirSync(join(settings.outdir, 'stacks'), { recursive: true });
  return { settings, tenants, staging: mkdtempSync(join(settings.outdir, '.staging-')) };
}

/** Every tenant staged and checked: now, and only now, the stacks replace the old ones. */
function finishFleetRun(
  { settings, tenants, staging }: FleetRun,
  staged: readonly StagedTenant[],
  options: SynthesizeOptions,
): SynthesizedTenant[] {
  assertCompliant(staged.map((s) => s.report));
  const stacks = tenants.map(({ spec }, i) => place(staging, spec.name, settings, staged[i]!.report));
  // cdktf-cli reads the manifest; it only describes the whole fleet after a whole-fleet synth.
  if (!options.only) {
    const manifests = Object.fromEntries(tenants.map(({ spec }, i) => [spec.name, staged[i]!.manifest]));
    writeFileAtomic(
      join(settings.outdir, 'manifest.json'),
      `${JSON.stringify({ version: staged.at(-1)?.version ?? '', stacks: manifests }, null, 2)}\n`,
    );
  }
  return stacks;
}

/**
 * Validates the fleet, then synthesises the chosen tenants. Output appears atomically: everything
 * is synthesised into a staging folder first, so a bad spec, a failing construct or a stack that
 * breaks a guardrail (`PolicyViolationError`) leaves the previous `cdktf.out` exactly as it was.
 * Each tenant gets its own App, released once its stack is on disk and checked, and its whole
 * guardrail report goes to disk with it: memory stays flat however large the fleet.
 */
export function synthesizeTenants(options: SynthesizeOptions): SynthesizedTenant[] {
  const run = startFleetRun(options);
  try {
    return finishFleetRun(run, stageHere(run, options), options);
  } finally {
    rmSync(run.staging, { recursive: true, force: true });
  }
}

/**
 * `synthesizeTenants` with up to `maxParallel` tenants at once, each in a synth thread: the same
 * validation, staging, guardrails and all-or-nothing output. The first failing tenant stops the
 * run (the tenants under way finish, nothing is written). What `fleet synth` runs.
 */
export async function synthesizeTenantsInParallel(options: ParallelSynthesizeOptions): Promise<SynthesizedTenant[]> {
  const run = startFleetRun(options);
  try {
    const threads = synthThreadCount(run.tenants.length, options.maxParallel ?? 2);
    const staged = threads === 1 ? stageHere(run, options) : await stageInThreads(run, threads, options);
    return finishFleetRun(run, staged, options);
  } finally {
    rmSync(run.staging, { recursive: true, force: true });
  }
}

function stageHere(run: FleetRun, options: SynthesizeOptions): StagedTenant[] {
  const libs = libsDigest(run.settings.workspaceRoot);
  return run.tenants.map(({ spec }, i) => {
    const staged = stageTenant(run.staging, spec, run.settings, libs);
    options.onTenant?.(spec.name, i + 1, run.tenants.length);
    return staged;
  });
}

async function stageInThreads(run: FleetRun, threads: number, options: SynthesizeOptions): Promise<StagedTenant[]> {
  const staged: StagedTenant[] = [];
  const data = { settings: run.settings, libs: libsDigest(run.settings.workspaceRoot) };
  const indexed = run.tenants.map(({ spec }, index) => ({ spec, index }));
  let done = 0;
  for await (const { spec, index, tenant } of inSynthThreads(indexed, threads, data, async ({ spec, index }, stage) => ({
    spec,
    index,
    tenant: await stage(run.staging, spec),
  }))) {
    staged[index] = tenant;
    options.onTenant?.(spec.name, ++done, run.tenants.length);
  }
  return staged;
}

/**
 * Synthesises the chosen tenants one by one, each on its own: a tenant whose spec, construct or
 * guardrails fail is reported and keeps its old output, the others are written (each atomically).
 * The fleet is loaded and validated once.
 */
export function* synthesizeEach(options: SynthesizeOptions & { readonly only: readonly string[] }): Generator<TenantSynthOutcome> {
  const settings = settingsFor(options);
  const { tenants, failed } = loadEachTenant(settings.workspaceRoot, options.only);
  yield* failed;
  yield* eachHere(tenants, settings);
}

function* eachHere(tenants: readonly LoadedTenant[], settings: Settings): Generator<TenantSynthOutcome> {
  mkdirSync(join(settings.outdir, 'stacks'), { recursive: true });
  const libs = libsDigest(settings.workspaceRoot);
  for (const tenant of tenants) yield eachTenant(tenant, settings, (staging) => stageTenant(staging, tenant.spec, settings, libs));
}

/**
 * `synthesizeEach` with up to `maxParallel` tenants at once, each in a synth thread; outcomes in
 * the order tenants finish. What Nx's batched synth runs: one result per task, as soon as it is known.
 */
export async function* synthesizeEachInParallel(
  options: ParallelSynthesizeOptions & { readonly only: readonly string[] },
): AsyncGenerator<TenantSynthOutcome> {
  const settings = settingsFor(options);
  const { tenants, failed } = loadEachTenant(settings.workspaceRoot, options.only);
  yield* failed;
  const threads = synthThreadCount(tenants.length, options.maxParallel ?? 2);
  if (threads === 1) {
    yield* eachHere(tenants, settings);
    return;
  }
  mkdirSync(join(settings.outdir, 'stacks'), { recursive: true });
  const data = { settings, libs: libsDigest(settings.workspaceRoot) };
  yield* inSynthThreads(tenants, threads, data, (tenant, stage) => eachTenant(tenant, settings, (staging) => stage(staging, tenant.spec)));
}

/** One tenant of an each-run, in a staging folder of its own: placed if it stages and passes, else its failure. */
function eachTenant(tenant: LoadedTenant, settings: Settings, stage: (staging: string) => StagedTenant): TenantSynthOutcome;
function eachTenant(
  tenant: LoadedTenant,
  settings: Settings,
  stage: (staging: string) => Promise<StagedTenant>,
): Promise<TenantSynthOutcome>;
function eachTenant(
  tenant: LoadedTenant,
  settings: Settings,
  stage: (staging: string) => StagedTenant | Promise<StagedTenant>,
): TenantSynthOutcome | Promise<TenantSynthOutcome> {
  const name = tenant.spec.name;
  const staging = mkdtempSync(join(settings.outdir, '.staging-'));
  const failure = (error: unknown): TenantSynthOutcome => ({
    tenant: name,
    ok: false,
    error: error instanceof Error ? error : new Error(String(error)),
  });
  const finish = (staged: StagedTenant): TenantSynthOutcome => {
    assertCompliant([staged.report]);
    return { tenant: name, ok: true, stack: place(staging, name, settings, staged.report) };
  };
  const cleanUp = () => rmSync(staging, { recursive: true, force: true });
  let staged: StagedTenant | Promise<StagedTenant>;
  try {
    assertSuppressionsValid([tenant], settings.workspaceRoot);
    staged = stage(staging);
  } catch (error) {
    cleanUp();
    return failure(error);
  }
  if (!(staged instanceof Promise)) {
    try {
      return finish(staged);
    } catch (error) {
      return failure(error);
    } finally {
      cleanUp();
    }
  }
  return staged.then(finish).catch(failure).finally(cleanUp);
}

/** The valid specs among `only`, and one failure per tenant whose spec (or fleet-wide rule) fails. */
function loadEachTenant(workspaceRoot: string, only: readonly string[]): { tenants: LoadedTenant[]; failed: TenantSynthOutcome[] } {
  try {
    return { tenants: loadFleet(workspaceRoot, { only }), failed: [] };
  } catch (error) {
    if (!(error instanceof SpecValidationError)) throw error;
    const bad = new Set(error.problems.map((p) => p.tenant));
    // A problem that names no selected tenant (fleet.json) fails them all.
    if (!only.some((t) => bad.has(t))) throw error;
    const failed = only
      .filter((t) => bad.has(t))
      .map((t): TenantSynthOutcome => ({
        tenant: t,
        ok: false,
        error: new SpecValidationError(error.problems.filter((p) => p.tenant === t)),
      }));
    const rest = only.filter((t) => !bad.has(t));
    return { tenants: rest.length ? loadFleet(workspaceRoot, { only: rest }) : [], failed };
  }
}

/**
 * The guardrails' reports on the chosen tenants, synthesised into a throw-away folder: nothing is
 * written to the workspace and nothing fails but bad specs (SpecValidationError), so findings can
 * be shown rather than thrown. What `fleet policy` and `fleet validate` run.
 */
export function evaluateTenantPolicies(options: Omit<SynthesizeOptions, 'outdir'>): PolicyReport[] {
  // State paths as a real synth would write them, so the stacks judged are the stacks synth writes.
  const settings = settingsFor(options);
  const tenants = loadFleet(settings.workspaceRoot, { only: options.only });
  assertSuppressionsValid(tenants, settings.workspaceRoot);
  const staging = mkdtempSync(join(tmpdir(), 'hafleet-policy-'));
  try {
    return tenants.map(({ spec }) => {
      synthesizeOne(staging, spec, settings);
      const { report } = checkStack(staging, spec, settings);
      rmSync(stackDir(staging, spec.name), { recursive: true, force: true });
      return report;
    });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
