import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POLICY_REPORT_FILE } from '@hafleet/guardrails';
import {
  DEFAULT_OUTDIR,
  STACK_FILE,
  TENANTS_DIR,
  TENANT_SPEC_FILE,
  loadFleetConfig,
  stackDir,
  stackLibsDigest,
} from '@hafleet/tenant-spec';
import { synthesizeTenants } from '@hafleet/tenant-stack';
import { tempWorkspace, type TempWorkspace } from '@hafleet/testing';
import { collectTenant } from './collect.js';
import { loadTenantStacks } from './fleet-stacks.js';

/**
 * `fleet report` takes each tenant's guardrail results from the report synth saved beside its
 * stack, and only while that report describes these very stack bytes, spec, fleet and rules;
 * otherwise it runs the rules again.
 */
const TENANT = 'harbour-health';

describe('guardrail results in the fleet report', () => {
  let workspace: TempWorkspace;
  const dir = () => stackDir(join(workspace.root, DEFAULT_OUTDIR), TENANT);
  let synthesized: { stack: string; report: string; spec: string };

  /** The tenant's report as the fleet report collects it, and whether the saved guardrail report was reused. */
  async function collect(libs = stackLibsDigest(workspace.root)) {
    const [tenant] = await loadTenantStacks({ workspaceRoot: workspace.root, only: [TENANT] });
    let reused: boolean | undefined;
    const options = {
      workspaceRoot: workspace.root,
      rollouts: [],
      fleet: loadFleetConfig(workspace.root),
      fleetTenants: [TENANT],
      libs,
      onPolicy: (r: boolean) => (reused = r),
    };
    return { report: collectTenant(tenant!, options), reused };
  }

  beforeAll(() => {
    workspace = tempWorkspace({ tenants: [TENANT] });
    synthesizeTenants({ workspaceRoot: workspace.root, mode: 'offline' });
    const specFile = join(workspace.root, TENANTS_DIR, TENANT, TENANT_SPEC_FILE);
    synthesized = {
      stack: readFileSync(join(dir(), STACK_FILE), 'utf8'),
      report: readFileSync(join(dir(), POLICY_REPORT_FILE), 'utf8'),
      spec: readFileSync(specFile, 'utf8'),
    };
  });
  afterAll(() => workspace.dispose());
  beforeEach(() => {
    writeFileSync(join(dir(), STACK_FILE), synthesized.stack);
    writeFileSync(join(dir(), POLICY_REPORT_FILE), synthesized.report);
    writeFileSync(join(workspace.root, TENANTS_DIR, TENANT, TENANT_SPEC_FILE), synthesized.spec);
  });

  it('reuses the report synth saved beside an unchanged stack, and shows what that report says', async () => {
    const fresh = await collect();
    expect(fresh.reused).toBe(true);
    expect(fresh.report.policy).toMatchObject({ errors: 0, suppressed: 0 });
    expect(fresh.report.policy.passed).toBeGreaterThan(100);

    // Proof that the saved file is what is shown: one pass in it marked suppressed, key untouched.
    const edited = synthesized.report.replace(
      /"rule":"HAF-PROT-001",(.*?)"result":"pass"/,
      '"rule":"HAF-PROT-001",$1"result":"suppressed","reason":"from the saved report"',
    );
    expect(edited).not.toBe(synthesized.report);
    writeFileSync(join(dir(), POLICY_REPORT_FILE), edited);
    const { report, reused } = await collect();
    expect(reused).toBe(true);
    expect(report.policy).toMatchObject({ suppressed: 1, passed: fresh.report.policy.passed - 1 });
    expect(report.findings).toEqual([
      expect.objectContaining({ rule: 'HAF-PROT-001', result: 'suppressed', reason: 'from the saved report' }),
    ]);
  });

  it('evaluates the rules again when the stack is not the one the saved report judged', async () => {
    const stack = JSON.parse(synthesized.stack) as { resource: { aws_db_instance: Record<string, { deletion_protection: boolean }> } };
    for (const db of Object.values(stack.resource.aws_db_instance)) db.deletion_protection = false;
    writeFileSync(join(dir(), STACK_FILE), JSON.stringify(stack, null, 2));
    const { report, reused } = await collect();
    expect(reused).toBe(false);
    expect(report.policy.errors).toBe(1);
    expect(report.findings).toEqual([
      expect.objectContaining({ rule: 'HAF-PROT-001', result: 'fail', message: 'deletion_protection is false' }),
    ]);
  });

  it('evaluates the rules again when the spec changed since (a suppression added), or the rules did', async () => {
    const spec = JSON.parse(synthesized.spec) as { guardrails?: { suppressions?: unknown[] } };
    spec.guardrails = { suppressions: [{ rule: 'HAF-PROT-001', resource: 'database/instance', reason: 'added after synth' }] };
    writeFileSync(join(workspace.root, TENANTS_DIR, TENANT, TENANT_SPEC_FILE), JSON.stringify(spec));
    const afterSpec = await collect();
    expect(afterSpec.reused).toBe(false);
    // Evaluated with the new spec: the suppression matches nothing failing, and says so.
    expect(afterSpec.report.policy.unusedSuppressions).toBe(1);

    writeFileSync(join(workspace.root, TENANTS_DIR, TENANT, TENANT_SPEC_FILE), synthesized.spec);
    expect((await collect('rules of another version')).reused).toBe(false);
  });

  it('never trusts a half-written report', async () => {
    writeFileSync(join(dir(), POLICY_REPORT_FILE), synthesized.report.slice(0, synthesized.report.length / 2));
    const { report, reused } = await collect();
    expect(reused).toBe(false);
    expect(report.policy).toMatchObject({ errors: 0 });
  });
});
