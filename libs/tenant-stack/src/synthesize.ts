import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { replaceDirAtomic } from '@hafleet/fs-safe';
import { SynthesizedStack, assertCompliant, assertSuppressionsValid, evaluatePolicy, policyContext, type PolicyReport } from '@hafleet/guardrails';
import { loadFleet, loadFleetConfig, tenantSpecFiles, type FleetConfig, type LoadedTenant } from '@hafleet/tenant-spec';
import { App } from 'cdktf';
import { stackModeFromEnv, type StackMode } from './mode.js';
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
}

export interface SynthesizedTenant {
  readonly tenant: string;
  readonly dir: string;
  readonly file: string;
  /** The guardrails' verdict on the stack: passes and suppressed findings (any unsuppressed error fails synthesis). */
  readonly policy: PolicyReport;
}

/**
 * Validates the fleet, then synthesises the chosen tenants. Output appears atomically per tenant:
 * everything is synthesised into a staging folder first, so a bad spec, a failing construct or a
 * stack that breaks a guardrail (`PolicyViolationError`) leaves the previous `cdktf.out` exactly
 * as it was.
 */
export function synthesizeTenants(options: SynthesizeOptions): SynthesizedTenant[] {
  const workspaceRoot = resolve(options.workspaceRoot);
  const outdir = resolve(options.outdir ?? join(workspaceRoot, DEFAULT_OUTDIR));
  const mode = options.mode ?? stackModeFromEnv();
  const tenants = loadFleet(workspaceRoot, { only: options.only });
  const fleet = loadFleetConfig(workspaceRoot);
  assertSuppressionsValid(tenants, workspaceRoot);

  mkdirSync(join(outdir, 'stacks'), { recursive: true });
  const staging = mkdtempSync(join(outdir, '.staging-'));
  try {
    synthesizeInto(staging, tenants, { workspaceRoot, outdir, mode, fleet });
    // The guardrails judge exactly what terraform would get, before anything replaces the old output.
    const reports = checkStagedStacks(staging, tenants, fleet, workspaceRoot);
    assertCompliant(reports);
    // What each stack was made from, so plan and apply can tell when it no longer matches its spec.
    const libs = stackLibsDigest(workspaceRoot);
    for (const { spec } of tenants) {
      writeFileSync(join(stackDir(staging, spec.name), STACK_INPUTS_FILE), `${JSON.stringify(currentStackInputs(workspaceRoot, spec.name, mode, libs), null, 2)}\n`);
    }
    const stacks = tenants.map(({ spec }, i) => {
      const dir = stackDir(outdir, spec.name);
      replaceDirAtomic(stackDir(staging, spec.name), dir);
      return { tenant: spec.name, dir, file: join(dir, STACK_FILE), policy: reports[i]! };
    });
    // cdktf-cli reads the manifest; it only describes the whole fleet after a whole-fleet synth.
    if (!options.only) renameSync(join(staging, 'manifest.json'), join(outdir, 'manifest.json'));
    return stacks;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The guardrails' reports on the chosen tenants, synthesised into a throw-away folder: nothing is
 * written to the workspace and nothing fails but bad specs (SpecValidationError), so findings can
 * be shown rather than thrown. What `fleet policy` and `fleet validate` run.
 */
export function evaluateTenantPolicies(options: Omit<SynthesizeOptions, 'outdir'>): PolicyReport[] {
  const workspaceRoot = resolve(options.workspaceRoot);
  const mode = options.mode ?? stackModeFromEnv();
  const tenants = loadFleet(workspaceRoot, { only: options.only });
  const fleet = loadFleetConfig(workspaceRoot);
  assertSuppressionsValid(tenants, workspaceRoot);
  const staging = mkdtempSync(join(tmpdir(), 'hafleet-policy-'));
  try {
    // State paths as a real synth would write them, so the stacks judged are the stacks synth writes.
    synthesizeInto(staging, tenants, { workspaceRoot, outdir: join(workspaceRoot, DEFAULT_OUTDIR), mode, fleet });
    return checkStagedStacks(staging, tenants, fleet, workspaceRoot);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function synthesizeInto(staging: string, tenants: readonly LoadedTenant[], settings: { workspaceRoot: string; outdir: string; mode: StackMode; fleet: FleetConfig }): void {
  const { workspaceRoot, outdir, mode, fleet } = settings;
  withoutSourceMaps(() => {
    // cdktf's own validations shell out to `terraform version` once per stack; terraform validate covers them.
    const app = new App({ outdir: staging, stackTraces: false, skipValidation: true });
    for (const { spec } of tenants) {
      new TenantStack(app, { spec, mode, fleet, localStatePath: offlineStatePath(workspaceRoot, outdir, spec.name) });
    }
    app.synth();
  });
}

/** Runs the guardrails over the stacks synthesised into `staging`, one report per tenant, in order. */
function checkStagedStacks(staging: string, tenants: readonly LoadedTenant[], fleet: FleetConfig, workspaceRoot: string): PolicyReport[] {
  // Isolation rules look for every other tenant's name, selected or not.
  const fleetTenants = tenantSpecFiles(workspaceRoot).map((file) => basename(dirname(file)));
  return tenants.map(({ spec }) =>
    evaluatePolicy(SynthesizedStack.read(join(stackDir(staging, spec.name), STACK_FILE)), policyContext({ spec, fleet, fleetTenants })),
  );
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
