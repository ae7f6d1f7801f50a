import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { replaceDirAtomic, writeFileAtomic } from '@hafleet/fs-safe';
import { SynthesizedStack, assertCompliant, assertSuppressionsValid, evaluatePolicy, policyContext, type PolicyReport } from '@hafleet/guardrails';
import { SpecValidationError, loadFleet, loadFleetConfig, tenantSpecFiles, type FleetConfig, type LoadedTenant } from '@hafleet/tenant-spec';
import { App } from 'cdktf';
import { applyImmediatelyFromEnv, stackModeFromEnv, type StackMode } from './mode.js';
import { DEFAULT_OUTDIR, STACK_FILE, STACK_INPUTS_FILE, currentStackInputs, offlineStatePath, stackDir, stackLibsDigest } from '@hafleet/tenant-spec';
import { TenantStack } from './tenant-stack.js';

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

export interface SynthesizedTenant {
  readonly tenant: string;
  readonly dir: string;
  readonly file: string;
  /** The guardrails' verdict on the stack: passes and suppressed findings (any unsuppressed error fails synthesis). */
  readonly policy: PolicyReport;
  /** The stack differs from the one that was there before (or there was none). */
  readonly changed: boolean;
}

/** One tenant of `synthesizeEach`: its stack, or why it has none (its old output left as it was). */
export type TenantSynthOutcome = { readonly tenant: string; readonly ok: true; readonly stack: SynthesizedTenant } | { readonly tenant: string; readonly ok: false; readonly error: Error };

interface Settings {
  readonly workspaceRoot: string;
  readonly outdir: string;
  readonly mode: StackMode;
  readonly applyImmediately: boolean;
  readonly fleet: FleetConfig;
  /** Every tenant folder's name: isolation rules look for each other tenant, selected or not. */
  readonly fleetTenants: readonly string[];
  /** Digest of the libraries synthesis loads, computed once per run (see `stackLibsDigest`). */
  readonly libs: string;
}

function settingsFor(options: SynthesizeOptions, outdir?: string): Settings {
  const workspaceRoot = resolve(options.workspaceRoot);
  return {
    workspaceRoot,
    outdir: resolve(outdir ?? options.outdir ?? join(workspaceRoot, DEFAULT_OUTDIR)),
    mode: options.mode ?? stackModeFromEnv(),
    applyImmediately: options.applyImmediately ?? applyImmediatelyFromEnv(),
    fleet: loadFleetConfig(workspaceRoot),
    fleetTenants: tenantSpecFiles(workspaceRoot).map((file) => basename(dirname(file))),
    libs: stackLibsDigest(workspaceRoot),
  };
}

/**
 * Validates the fleet, then synthesises the chosen tenants. Output appears atomically: everything
 * is synthesised into a staging folder first, so a bad spec, a failing construct or a stack that
 * breaks a guardrail (`PolicyViolationError`) leaves the previous `cdktf.out` exactly as it was.
 * Each tenant gets its own App, released once its stack is on disk and checked, so memory stays
 * flat however large the fleet.
 */
export function synthesizeTenants(options: SynthesizeOptions): SynthesizedTenant[] {
  const settings = settingsFor(options);
  const tenants = loadFleet(settings.workspaceRoot, { only: options.only });
  assertSuppressionsValid(tenants, settings.workspaceRoot);

  mkdirSync(join(settings.outdir, 'stacks'), { recursive: true });
  const staging = mkdtempSync(join(settings.outdir, '.staging-'));
  try {
    const manifests: Record<string, unknown> = {};
    let version = '';
    // The guardrails judge exactly what terraform would get, before anything replaces the old output.
    const reports = tenants.map(({ spec }, i) => {
      const synthesized = synthesizeOne(staging, spec, settings);
      version = synthesized.version;
      manifests[spec.name] = synthesized.manifest;
      const report = checkStack(staging, spec, settings);
      options.onTenant?.(spec.name, i + 1, tenants.length);
      return report;
    });
    assertCompliant(reports);
    const stacks = tenants.map(({ spec }, i) => place(staging, spec.name, settings, reports[i]!));
    // cdktf-cli reads the manifest; it only describes the whole fleet after a whole-fleet synth.
    if (!options.only) writeFileAtomic(join(settings.outdir, 'manifest.json'), `${JSON.stringify({ version, stacks: manifests }, null, 2)}\n`);
    return stacks;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Synthesises the chosen tenants one by one, each on its own: a tenant whose spec, construct or
 * guardrails fail is reported and keeps its old output, the others are written (each atomically).
 * The fleet is loaded and validated once. What Nx's batched synth runs: one result per task.
 */
export function* synthesizeEach(options: SynthesizeOptions & { readonly only: readonly string[] }): Generator<TenantSynthOutcome> {
  const settings = settingsFor(options);
  const { tenants, failed } = loadEachTenant(settings.workspaceRoot, options.only);
  yield* failed;
  mkdirSync(join(settings.outdir, 'stacks'), { recursive: true });
  for (const tenant of tenants) {
    const { spec } = tenant;
    const staging = mkdtempSync(join(settings.outdir, '.staging-'));
    try {
      assertSuppressionsValid([tenant], settings.workspaceRoot);
      synthesizeOne(staging, spec, settings);
      const report = checkStack(staging, spec, settings);
      assertCompliant([report]);
      yield { tenant: spec.name, ok: true, stack: place(staging, spec.name, settings, report) };
    } catch (error) {
      yield { tenant: spec.name, ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
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
    const failed = only.filter((t) => bad.has(t)).map((t): TenantSynthOutcome => ({ tenant: t, ok: false, error: new SpecValidationError(error.problems.filter((p) => p.tenant === t)) }));
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
      const report = checkStack(staging, spec, settings);
      rmSync(stackDir(staging, spec.name), { recursive: true, force: true });
      return report;
    });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** One tenant's stack into `staging/stacks/<tenant>`, in an App of its own (released on return). */
function synthesizeOne(staging: string, spec: LoadedTenant['spec'], settings: Settings): { version: string; manifest: unknown } {
  const { workspaceRoot, outdir, mode, applyImmediately, fleet } = settings;
  releasingTokens(() => {
    // cdktf's own validations shell out to `terraform version` once per stack; terraform validate covers them.
    const app = new App({ outdir: staging, stackTraces: false, skipValidation: true });
    new TenantStack(app, { spec, mode, applyImmediately, fleet, localStatePath: offlineStatePath(workspaceRoot, outdir, spec.name) });
    app.synth();
  });
  const manifest = JSON.parse(readFileSync(join(staging, 'manifest.json'), 'utf8')) as { version: string; stacks: Record<string, unknown> };
  return { version: manifest.version, manifest: manifest.stacks[spec.name] };
}

/** The guardrails over the stack synthesised into `staging`. */
function checkStack(staging: string, spec: LoadedTenant['spec'], settings: Settings): PolicyReport {
  const stack = SynthesizedStack.read(join(stackDir(staging, spec.name), STACK_FILE));
  return evaluatePolicy(stack, policyContext({ spec, fleet: settings.fleet, fleetTenants: settings.fleetTenants }));
}

/**
 * Moves a checked stack from staging to its place, with the record of what it was made from (so
 * plan and apply can tell when it no longer matches its spec), saying whether it differs from the old one.
 */
function place(staging: string, tenant: string, settings: Settings, policy: PolicyReport): SynthesizedTenant {
  const dir = stackDir(settings.outdir, tenant);
  const file = join(dir, STACK_FILE);
  const staged = readFileSync(join(stackDir(staging, tenant), STACK_FILE));
  const changed = !existsSync(file) || !readFileSync(file).equals(staged);
  const inputs = currentStackInputs(settings.workspaceRoot, tenant, settings.mode, settings.libs);
  writeFileSync(join(stackDir(staging, tenant), STACK_INPUTS_FILE), `${JSON.stringify(inputs, null, 2)}\n`);
  replaceDirAtomic(stackDir(staging, tenant), dir);
  return { tenant, dir, file, policy, changed };
}

/** cdktf's one token registry per process (cdktf/lib/tokens/private/token-map.js, `global.__cdktfTokenMap`). */
type TokenRegistry = { stringTokenMap: Map<unknown, unknown>; numberTokenMap: Map<unknown, unknown> };

/**
 * Builds one tenant's stack, then forgets the tokens it registered. cdktf keeps every token it ever
 * makes in a process-wide map, and tokens point into their constructs: without this, every
 * tenant's whole construct tree stays alive and memory grows with the fleet (1.9 GB at 681
 * tenants). Tokens that existed before (made when modules load) are kept; the token counter is
 * never reset, so no key is reused. Source maps are off meanwhile (see withoutSourceMaps).
 */
function releasingTokens(build: () => void): void {
  const registry = () => (globalThis as { __cdktfTokenMap?: TokenRegistry }).__cdktfTokenMap;
  const before = registry();
  const kept = before && { strings: new Set(before.stringTokenMap.keys()), numbers: new Set(before.numberTokenMap.keys()) };
  try {
    withoutSourceMaps(build);
  } finally {
    const after = registry();
    if (after) {
      for (const key of [...after.stringTokenMap.keys()]) if (!kept?.strings.has(key)) after.stringTokenMap.delete(key);
      for (const key of [...after.numberTokenMap.keys()]) if (!kept?.numbers.has(key)) after.numberTokenMap.delete(key);
    }
  }
}

/**
 * cdktf captures a stack trace for every token it creates; with source maps on (tsx turns them
 * on) each capture maps every frame, which costs a quarter of synth time. Errors thrown here
 * carry their own message, so their stack positions matter less than the time.
 */
function withoutSourceMaps<T>(build: () => T): T {
  const enabled = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    return build();
  } finally {
    process.setSourceMapsEnabled(enabled);
  }
}
