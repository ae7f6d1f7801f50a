import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeTenants, type SynthesizedTenant } from '@hafleet/tenant-stack';
import { tenantSpecFiles } from '@hafleet/tenant-spec';
import { tempWorkspace, WORKSPACE_ROOT, type TempWorkspace } from '@hafleet/testing';
import { STATEFUL_RESOURCE_TYPES, formatPlanSummary } from '@hafleet/terraform';
import { renderPlanTable } from './fleet-view.js';
import { guardPlan } from './guard.js';
import { planTenant } from './plan.js';
import { fleetContext } from './tenant-terraform.js';
import { validateTenantStack } from './validate.js';

/**
 * Every example tenant, end to end with the real terraform binary and AWS provider: synthesised,
 * `terraform validate`d and planned offline (dummy credentials, local state, no AWS calls).
 */
const examples = tenantSpecFiles(WORKSPACE_ROOT).map((file) => file.split('/').at(-2)!);

describe.each(examples)('example tenant %s', (tenant) => {
  let workspace: TempWorkspace;
  let stack: SynthesizedTenant;
  let managed: string[];

  beforeAll(() => {
    workspace = tempWorkspace();
    [stack] = synthesizeTenants({ workspaceRoot: workspace.root, only: [tenant], mode: 'offline' }) as [SynthesizedTenant];
    const json = JSON.parse(readFileSync(stack.file, 'utf8')) as { resource: Record<string, Record<string, unknown>> };
    managed = Object.entries(json.resource)
      .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
      .sort();
  });
  afterAll(() => workspace.dispose());

  it('keeps every resource address (a rename destroys and re-creates infrastructure)', async () => {
    await expect(`${managed.join('\n')}\n`).toMatchFileSnapshot(join('__snapshots__', `${tenant}.addresses.txt`));
  });

  it('passes a real terraform validate and plans offline: every resource created, nothing else', async () => {
    const ctx = fleetContext(workspace.root);
    const validation = await validateTenantStack(ctx, tenant);
    expect(validation.errorCount).toBe(0);

    const { summary, summaryFile, plannedAt } = await planTenant(ctx, tenant);
    expect(summary).toMatchObject({ add: managed.length, change: 0, destroy: 0, replace: 0, resourceCount: managed.length, dataLoss: [] });
    expect(
      summary.changes
        .filter((c) => c.action === 'create')
        .map((c) => c.address)
        .sort(),
    ).toEqual(managed);
    expect(JSON.parse(readFileSync(summaryFile, 'utf8'))).toMatchObject({ tenant, plannedAt, summary });

    // Every resource that holds data is flagged, and only those; a create-only plan passes the guard.
    const stateful = summary.changes.filter((c) => c.stateful);
    expect(stateful.map((c) => c.address).sort()).toEqual(managed.filter((a) => a.split('.')[0]! in STATEFUL_RESOURCE_TYPES));
    for (const type of ['aws_kms_key', 'aws_s3_bucket', 'aws_efs_file_system', 'aws_backup_vault', 'aws_elasticache_replication_group']) {
      expect(
        stateful.some((c) => c.type === type),
        type,
      ).toBe(true);
    }
    expect(stateful.some((c) => c.type === 'aws_db_instance' || c.type === 'aws_rds_cluster')).toBe(true);
    expect(guardPlan(tenant, summary).ok).toBe(true);

    // The summary a person reads: the fleet table row, terraform's line, and the stateful resources.
    const shown = [
      renderPlanTable([{ tenant, plan: { plannedAt, summary } }]),
      '',
      `${formatPlanSummary(summary)}; ${summary.resourceCount} resources after apply`,
      '',
      'stateful resources (apply refuses to replace or destroy them without --allow-destroy):',
      ...stateful.map((c) => `  ${c.action} ${c.address}: ${c.holds}`),
    ].join('\n');
    await expect(`${shown}\n`).toMatchFileSnapshot(join('__snapshots__', `${tenant}.plan-summary.txt`));
  });
});
