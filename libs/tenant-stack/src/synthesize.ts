import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { replaceDirAtomic, writeFileAtomic } from '@hafleet/fs-safe';
import {
  POLICY_REPORT_FILE,
  SynthesizedStack,
  assertCompliant,
  assertSuppressionsValid,
  compactPolicyReport,
  evaluatePolicy,
  formatPolicyReportFile,
  policyContext,
  policyReportKey,
  stackDigest,
  type CompactPolicyReport,
  type PolicyContext,
  type PolicyReport,
} from '@hafleet/guardrails';
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
  /**
   * The guardrails' verdict on the stack: counts and findings (any unsuppressed error fails
   * synthesis). The whole report, passes included, is in `POLICY_REPORT_FILE` beside the stack.
   */
  readonly policy: CompactPolicyReport;
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
}

/**
 * The digest of the libraries synthesis loads (`stackLibsDigest`), per workspace, computed once
 * per process: hashing every library source costs more than synthesising a tenant, and this
 * process runs the code it loaded at start whatever changes on disk meanwhile. Only paths that
 * write stacks (and their records) need it.
 */
const libsDigests = new Map<string, string>();
function libsDigest(workspaceRoot: string): string {
  let digest = libsDigests.get(workspaceRoot);
  if (digest === undefined) libsDigests.set(workspaceRoot, (digest = stackLibsDigest(workspaceRoot)));
  return digest;
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
    // The guardrails judge exactly what terraform would get, before anything replaces the old
    // output. Each tenant's whole report goes to disk with its stack; only its counts and findings stay.
    const reports = tenants.map(({ spec }, i) => {
      const synthesized = synthesizeOne(staging, spec, settings);
      version = synthesized.version;
      manifests[spec.name] = synthesized.manifest;
      const report = record(staging, spec.name, settings, checkStack(staging, spec, settings));
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
      const report = record(staging, spec.name, settings, checkStack(staging, spec, settings));
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
      const { report } = checkStack(staging, spec, settings);
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

/** A stack in staging as the guardrails judged it: the report, the context it was judged in, the bytes judged. */
interface CheckedStack {
  readonly report: PolicyReport;
  readonly context: PolicyContext;
  readonly bytes: Buffer;
}

/** The guardrails over the stack synthesised into `staging` (the file read and parsed once). */
function checkStack(staging: string, spec: LoadedTenant['spec'], settings: Settings): CheckedStack {
  const bytes = readFileSync(join(stackDir(staging, spec.name), STACK_FILE));
  const context = policyContext({ spec, fleet: settings.fleet, fleetTenants: settings.fleetTenants });
  return { report: evaluatePolicy(new SynthesizedStack(JSON.parse(bytes.toString('utf8'))), context), context, bytes };
}

/**
 * Writes beside a checked stack in staging what it was made from (so plan and apply can tell when
 * it no longer matches its spec) and the guardrails' whole report on it (so readers need not
 * evaluate again); returns what the run keeps of the report.
 */
function record(staging: string, tenant: string, settings: Settings, checked: CheckedStack): CompactPolicyReport {
  const dir = stackDir(staging, tenant);
  const inputs = currentStackInputs(settings.workspaceRoot, tenant, settings.mode, libsDigest(settings.workspaceRoot));
  writeFileSync(join(dir, STACK_INPUTS_FILE), `${JSON.stringify(inputs, null, 2)}\n`);
  const key = policyReportKey(stackDigest(checked.bytes), checked.context, inputs.libs);
  writeFileSync(join(dir, POLICY_REPORT_FILE), formatPolicyReportFile(key, checked.report));
  return compactPolicyReport(checked.report);
}

/** Moves a recorded stack from staging to its place, saying whether it differs from the old one. */
function place(staging: string, tenant: string, settings: Settings, policy: CompactPolicyReport): SynthesizedTenant {
  const dir = stackDir(settings.outdir, tenant);
  const file = join(dir, STACK_FILE);
  const changed = !existsSync(file) || !readFileSync(file).equals(readFileSync(join(stackDir(staging, tenant), STACK_FILE)));
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
 * never reset, so no key is reused. Token creation stacks are skipped meanwhile (see withoutTokenStackTraces).
 */
function releasingTokens(build: () => void): void {
  const registry = () => (globalThis as { __cdktfTokenMap?: TokenRegistry }).__cdktfTokenMap;
  const before = registry();
  const kept = before && { strings: new Set(before.stringTokenMap.keys()), numbers: new Set(before.numberTokenMap.keys()) };
  try {
    withoutTokenStackTraces(build);
  } finally {
    const after = registry();
    if (after) {
      for (const key of [...after.stringTokenMap.keys()]) if (!kept?.strings.has(key)) after.stringTokenMap.delete(key);
      for (const key of [...after.numberTokenMap.keys()]) if (!kept?.numbers.has(key)) after.numberTokenMap.delete(key);
    }
  }
}

/**
 * cdktf's stack-trace module (CommonJS): tokens call its functions through this exports object,
 * `captureStackTrace` in cdktf 0.21, `captureCreationStack` in cdktn (which also has a switch for it).
 */
const cdktfStackTrace = createRequire(import.meta.url)('cdktf/lib/tokens/private/stack-trace.js') as {
  captureStackTrace: (below?: unknown) => string[];
  captureCreationStack?: () => string[];
};
const CDKTN_SWITCH = 'CDKTN_DISABLE_CREATION_STACK';

/**
 * cdktf records the full creation stack of every token it makes (tens of thousands per tenant),
 * only to quote it if that token later fails to resolve: capturing and formatting those stacks was
 * a fifth of synth time. Inside `build` tokens get an empty creation stack; errors keep their own
 * stacks (and source maps), and a token that cannot resolve is still reported by cdktf, by name.
 */
function withoutTokenStackTraces<T>(build: () => T): T {
  if (cdktfStackTrace.captureCreationStack) {
    const previous = process.env[CDKTN_SWITCH];
    process.env[CDKTN_SWITCH] = 'true';
    try {
      return build();
    } finally {
      if (previous === undefined) delete process.env[CDKTN_SWITCH];
      else process.env[CDKTN_SWITCH] = previous;
    }
  }
  const capture = cdktfStackTrace.captureStackTrace;
  cdktfStackTrace.captureStackTrace = () => [];
  try {
    return build();
  } finally {
    cdktfStackTrace.captureStackTrace = capture;
  }
}
