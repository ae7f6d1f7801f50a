import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNx, tempWorkspace, type TempWorkspace } from '@hafleet/testing';

/**
 * `nx run-many -t synth` through the batch executor (real Nx, real synthesis): every uncached
 * tenant in one batch process, one result and one cache entry per tenant.
 */
// Each test runs real Nx (graph, then a batch worker that loads cdktf): slow on a shared machine.
describe('batched synth under Nx', { timeout: 300_000 }, () => {
  let workspace: TempWorkspace;
  const specFile = (tenant: string) => join(workspace.root, 'tenants', tenant, 'tenant.json');
  const editSpec = (tenant: string, edit: (spec: Record<string, any>) => Record<string, any>) =>
    writeFileSync(specFile(tenant), JSON.stringify(edit(JSON.parse(readFileSync(specFile(tenant), 'utf8')))));
  const synthAll = () => {
    const run = runNx(workspace, 'run-many', '-t', 'synth', '--projects', 'tag:type:tenant', '--output-style=stream');
    // Nx colours its output when the outer run (npm test) forces colour.
    return { ...run, output: stripVTControlCharacters(run.output) };
  };

  beforeAll(() => {
    workspace = tempWorkspace({ tenants: ['harbour-health', 'lakeside-state'] });
  });
  afterAll(() => workspace.dispose());

  it('synthesises the uncached tenants in one batch and says per tenant what changed', () => {
    const run = synthAll();
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('Running 2 tasks with @hafleet/nx-plugin:synth');
    expect(run.output).toMatch(
      /harbour-health: stack changed \(cdktf\.out\/stacks\/harbour-health\/cdk\.tf\.json\); guardrails: \d+ checks passed/,
    );
    expect(run.output).toContain('synth: 2/2 done');
    for (const tenant of ['harbour-health', 'lakeside-state']) {
      expect(JSON.parse(readFileSync(join(workspace.root, 'cdktf.out/stacks', tenant, 'cdk.tf.json'), 'utf8')).terraform).toBeDefined();
    }
  });

  it('re-runs only the tenant whose spec changed; the other comes from the cache', () => {
    editSpec('lakeside-state', (spec) => ({
      ...spec,
      alerts: { ...spec.alerts, emails: [...spec.alerts.emails, 'night-shift@example.org'] },
    }));
    const run = synthAll();
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('Nx read the output from the cache instead of running the command for 1 out of 2 tasks');
    expect(run.output).toMatch(/> nx run harbour-health:synth +\[(local cache|existing outputs match the cache, left as is)\]/);
    expect(run.output).toContain('lakeside-state: stack changed');
  });

  it('fails only the tenant with a broken spec, names its field, and still writes the other', () => {
    editSpec('lakeside-state', (spec) => ({ ...spec, network: { ...spec.network, vpcCidr: '10.0.0.0/33' } }));
    editSpec('harbour-health', (spec) => ({
      ...spec,
      alerts: { ...spec.alerts, emails: [...spec.alerts.emails, 'night-shift@example.org'] },
    }));
    const before = readFileSync(join(workspace.root, 'cdktf.out/stacks/lakeside-state/cdk.tf.json'), 'utf8');
    const run = synthAll();
    expect(run.code, run.output).not.toBe(0);
    expect(run.output).toMatch(/lakeside-state.*network\.vpcCidr/);
    expect(run.output).toMatch(/Failed tasks:\s+- lakeside-state:synth\s/);
    expect(run.output).toContain('harbour-health: stack changed');
    expect(readFileSync(join(workspace.root, 'cdktf.out/stacks/lakeside-state/cdk.tf.json'), 'utf8')).toBe(before);
  });
});
