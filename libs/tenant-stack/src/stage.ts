import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { replaceDirAtomic } from '@hafleet/fs-safe';
import {
  POLICY_REPORT_FILE,
  SynthesizedStack,
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
import {
  DEFAULT_OUTDIR,
  STACK_FILE,
  STACK_INPUTS_FILE,
  currentStackInputs,
  loadFleetConfig,
  offlineStatePath,
  stackDir,
  stackLibsDigest,
  tenantSpecFiles,
  type FleetConfig,
  type TenantSpec,
} from '@hafleet/tenant-spec';
import { App } from 'cdktf';
import { applyImmediatelyFromEnv, stackModeFromEnv, type StackMode } from './mode.js';
import { TenantStack } from './tenant-stack.js';

/**
 * One tenant's synthesis into a staging folder: the stack, its guardrail check and its records.
 * What every synth path runs per tenant, in this thread or in a synth thread (synth-threads.ts).
 */

/** What a synth run needs besides the spec: plain data, so synth threads get a copy. */
export interface Settings {
  readonly workspaceRoot: string;
  readonly outdir: string;
  readonly mode: StackMode;
  readonly applyImmediately: boolean;
  readonly fleet: FleetConfig;
  /** Every tenant folder's name: isolation rules look for each other tenant, selected or not. */
  readonly fleetTenants: readonly string[];
}

/** The run options settings come from (SynthesizeOptions without the callbacks). */
export interface SettingsOptions {
  readonly workspaceRoot: string;
  readonly outdir?: string;
  readonly mode?: StackMode;
  readonly applyImmediately?: boolean;
}

/**
 * The digest of the libraries synthesis loads (`stackLibsDigest`), per workspace, computed once
 * per process: hashing every library source costs more than synthesising a tenant, and this
 * process runs the code it loaded at start whatever changes on disk meanwhile. Only paths that
 * write stacks (and their records) need it.
 */
const libsDigests = new Map<string, string>();
export function libsDigest(workspaceRoot: string): string {
  let digest = libsDigests.get(workspaceRoot);
  if (digest === undefined) libsDigests.set(workspaceRoot, (digest = stackLibsDigest(workspaceRoot)));
  return digest;
}

export function settingsFor(options: SettingsOptions, outdir?: string): Settings {
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
 * One tenant's stack into `staging/stacks/<tenant>`, in an App of its own (released on return).
 * The App writes into a folder of its own inside staging (its manifest is per App, and synth
 * threads share the staging folder); the stack is then moved beside the others.
 */
export function synthesizeOne(staging: string, spec: TenantSpec, settings: Settings): { version: string; manifest: unknown } {
  const { workspaceRoot, outdir, mode, applyImmediately, fleet } = settings;
  const appDir = mkdtempSync(join(staging, '.app-'));
  try {
    releasingTokens(() => {
      // cdktf's own validations shell out to `terraform version` once per stack; terraform validate covers them.
      const app = new App({ outdir: appDir, stackTraces: false, skipValidation: true });
      new TenantStack(app, { spec, mode, applyImmediately, fleet, localStatePath: offlineStatePath(workspaceRoot, outdir, spec.name) });
      app.synth();
    });
    const manifest = JSON.parse(readFileSync(join(appDir, 'manifest.json'), 'utf8')) as {
      version: string;
      stacks: Record<string, unknown>;
    };
    mkdirSync(join(staging, 'stacks'), { recursive: true });
    renameSync(stackDir(appDir, spec.name), stackDir(staging, spec.name));
    return { version: manifest.version, manifest: manifest.stacks[spec.name] };
  } finally {
    rmSync(appDir, { recursive: true, force: true });
  }
}

/** A stack in staging as the guardrails judged it: the report, the context it was judged in, the bytes judged. */
interface CheckedStack {
  readonly report: PolicyReport;
  readonly context: PolicyContext;
  readonly bytes: Buffer;
}

/** The guardrails over the stack synthesised into `staging` (the file read and parsed once). */
export function checkStack(staging: string, spec: TenantSpec, settings: Settings): CheckedStack {
  const bytes = readFileSync(join(stackDir(staging, spec.name), STACK_FILE));
  const context = policyContext({ spec, fleet: settings.fleet, fleetTenants: settings.fleetTenants });
  return { report: evaluatePolicy(new SynthesizedStack(JSON.parse(bytes.toString('utf8'))), context), context, bytes };
}

/**
 * Writes beside a checked stack in staging what it was made from (so plan and apply can tell when
 * it no longer matches its spec) and the guardrails' whole report on it (so readers need not
 * evaluate again); returns what the run keeps of the report.
 */
function record(staging: string, tenant: string, settings: Settings, checked: CheckedStack, libs: string): CompactPolicyReport {
  const dir = stackDir(staging, tenant);
  const inputs = currentStackInputs(settings.workspaceRoot, tenant, settings.mode, libs);
  writeFileSync(join(dir, STACK_INPUTS_FILE), `${JSON.stringify(inputs, null, 2)}\n`);
  const key = policyReportKey(stackDigest(checked.bytes), checked.context, inputs.libs);
  writeFileSync(join(dir, POLICY_REPORT_FILE), formatPolicyReportFile(key, checked.report));
  return compactPolicyReport(checked.report);
}

/** A tenant synthesised, checked and recorded in staging: its manifest entry and what the run keeps of its report. */
export interface StagedTenant {
  readonly version: string;
  readonly manifest: unknown;
  readonly report: CompactPolicyReport;
}

/**
 * Synthesises one tenant into `staging`, checks it and records its inputs and guardrail report
 * beside it. A failure says which tenant it was.
 */
export function stageTenant(staging: string, spec: TenantSpec, settings: Settings, libs: string): StagedTenant {
  try {
    const { version, manifest } = synthesizeOne(staging, spec, settings);
    return { version, manifest, report: record(staging, spec.name, settings, checkStack(staging, spec, settings), libs) };
  } catch (error) {
    const cause = error instanceof Error ? error : new Error(String(error));
    throw Object.assign(new Error(`tenant ${spec.name}: ${cause.message}`, { cause }), { name: cause.name });
  }
}

/** A stack moved into place. */
export interface PlacedStack {
  readonly tenant: string;
  readonly dir: string;
  readonly file: string;
  readonly policy: CompactPolicyReport;
  /** The stack differs from the one that was there before (or there was none). */
  readonly changed: boolean;
}

/** Moves a recorded stack from staging to its place, saying whether it differs from the old one. */
export function place(staging: string, tenant: string, settings: Settings, policy: CompactPolicyReport): PlacedStack {
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

/** cdktn's switch for token creation stacks (lib/tokens/private/stack-trace.js reads it on every token). */
const CREATION_STACK_SWITCH = 'CDKTN_DISABLE_CREATION_STACK';

/**
 * cdktf records the full creation stack of every token it makes (tens of thousands per tenant),
 * only to quote it if that token later fails to resolve: capturing and formatting those stacks was
 * a fifth of synth time. Inside `build` tokens get an empty creation stack; errors keep their own
 * stacks (and source maps), and a token that cannot resolve is still reported by cdktf, by name.
 */
function withoutTokenStackTraces<T>(build: () => T): T {
  const previous = process.env[CREATION_STACK_SWITCH];
  process.env[CREATION_STACK_SWITCH] = 'true';
  try {
    return build();
  } finally {
    if (previous === undefined) delete process.env[CREATION_STACK_SWITCH];
    else process.env[CREATION_STACK_SWITCH] = previous;
  }
}
