import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureWorkspace, tempWorkspace, type FixtureWorkspace, type TempWorkspace, runFleet } from '@hafleet/testing';

/**
 * `fleet plan | show | apply | drift` as an operator runs them: the real CLI in a child process and
 * the real terraform, in a copy of the workspace whose tenants' stacks are replaced by fixtures of
 * built-in `terraform_data` resources (local state, no provider), so they can really be applied.
 */
const fleet = runFleet;

const HOLDS = 'the tenant database (fixture)';

describe('fleet plan, show, apply and drift (real terraform, terraform_data fixtures)', () => {
  let workspace: TempWorkspace;
  let stacks: FixtureWorkspace;
  const report = (command: string) => JSON.parse(readFileSync(join(workspace.root, '.hafleet/runs', `${command}.json`), 'utf8'));

  beforeAll(() => {
    workspace = tempWorkspace({ tenants: ['harbour-health', 'northwind-university'] });
    stacks = fixtureWorkspace(workspace.root);
    stacks.stack('harbour-health', { database: { holds: HOLDS }, web: {} });
    stacks.stack('northwind-university', { files: {} });
  });
  afterAll(() => workspace.dispose());

  it('refuses to apply without a saved plan', () => {
    const { code, stderr } = fleet(workspace, 'apply', 'harbour-health');
    expect(code).toBe(1);
    expect(stderr).toMatch(/tenant harbour-health: no saved plan .* — fix: run `npx nx run harbour-health:plan`/);
  });

  it('plans the fleet: table, markdown for the pull request, JSON, run report', () => {
    const { code, stdout, stderr } = fleet(workspace, 'plan');
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/harbour-health\s+2\s+0\s+0\s+0\s+0\s+changes/);
    expect(stderr).toMatch(/\[\d\/2 done, \d running\] harbour-health: plan › init/);
    expect(stderr).toMatch(/\[\d\/2\] northwind-university: plan 1 to add, 0 to change, 0 to destroy/);
    expect(readFileSync(join(workspace.root, '.hafleet/plan-summary.md'), 'utf8')).toContain(
      '| harbour-health | 2 | 0 | 0 | 0 | 0 | changes |',
    );
    expect(report('plan')).toMatchObject({ succeeded: ['harbour-health', 'northwind-university'], failed: [], skipped: [] });
  });

  it('applies every saved plan; a plan with nothing to do is skipped', () => {
    const first = fleet(workspace, 'apply');
    expect(first.code, first.stderr).toBe(0);
    expect(report('apply')).toMatchObject({ succeeded: ['harbour-health', 'northwind-university'] });
    expect(fleet(workspace, 'plan', 'northwind-university').code).toBe(0);
    const second = fleet(workspace, 'apply', 'northwind-university', '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual([expect.objectContaining({ tenant: 'northwind-university', status: 'unchanged' })]);
    expect(report('apply')).toMatchObject({ succeeded: [], skipped: ['northwind-university'] });
  });

  it('exit 3 and what would be lost when a plan replaces a stateful resource; the exact allowance lets it through', () => {
    stacks.stack('harbour-health', { database: { holds: HOLDS, generation: '2' }, web: {} });
    expect(fleet(workspace, 'plan').stdout).toContain(
      'harbour-health: replace terraform_data.database: the tenant database (fixture) (allow with --allow-destroy harbour-health:terraform_data.database)',
    );

    const shown = fleet(workspace, 'show', '--markdown');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('- **harbour-health**: replace `terraform_data.database` — the tenant database (fixture)');

    const refused = fleet(workspace, 'apply', '--max-parallel', '1');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      [
        'tenant harbour-health: apply refused — this plan would lose data:',
        '  replace terraform_data.database: the tenant database (fixture)',
        'Nothing was applied. If losing this is intended, allow exactly these resources for this run:',
        '  --allow-destroy harbour-health:terraform_data.database',
      ].join('\n'),
    );
    // The refusal stopped the run: the next tenant was not touched.
    expect(report('apply')).toMatchObject({ failed: ['harbour-health'], skipped: ['northwind-university'] });

    const wrong = fleet(workspace, 'apply', 'harbour-health', '--allow-destroy', 'harbour-health:terraform_data.web');
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('warning: --allow-destroy harbour-health:terraform_data.web matched nothing in the plan');

    const allowed = fleet(workspace, 'apply', 'harbour-health', '--allow-destroy', 'harbour-health:terraform_data.database');
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stderr).toContain('harbour-health: allowed and applied the loss of terraform_data.database');
    expect(existsSync(join(workspace.root, '.hafleet/tenants/harbour-health/tfplan'))).toBe(false);
  });

  it.each([
    [['apply', '--allow-destroy', 'terraform_data.database'], /--allow-destroy "terraform_data.database" names no tenant — fix:/],
    [
      ['apply', 'harbour-health', '--allow-destroy', 'northwind-university:aws_s3_bucket.x'],
      /names tenant northwind-university, which this run does not apply — fix: one of harbour-health/,
    ],
  ])('exits 2 on a bad allowance %j', (args, message) => {
    const { code, stderr } = fleet(workspace, ...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('drift: exit 0 in sync, exit 4 and the tenant named once its state is changed behind terraform’s back', () => {
    expect(fleet(workspace, 'drift').code).toBe(0);
    const state = stacks.readState('northwind-university');
    state.resources[0]!.instances[0]!.attributes['output'] = { value: 'edited by hand', type: 'string' };
    stacks.writeState('northwind-university', { ...state, serial: state.serial + 1 });
    const { code, stdout } = fleet(workspace, 'drift');
    expect(code).toBe(4);
    expect(stdout).toMatch(/harbour-health\s+in sync/);
    expect(stdout).toMatch(/northwind-university\s+DRIFTED\s+0\s+1/);
    expect(report('drift').tenants.map((t: { detail: string }) => t.detail)).toEqual(['in sync', 'DRIFTED: output files']);
  });
});
