import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OUTDIR, STACK_FILE, stackDir } from '@hafleet/tenant-spec';
import { tempWorkspace, type TempWorkspace } from '@hafleet/testing';
import { workspaceDriver } from './workspace-driver.js';

describe('the real workspace driver synthesises the real stack as the rollout asks', () => {
  const TENANT = 'northwind-university'; // Aurora: the cluster, its instances and the caches
  let workspace: TempWorkspace;
  beforeAll(() => {
    workspace = tempWorkspace({ tenants: [TENANT] });
  });
  afterAll(() => workspace.dispose());

  /** apply_immediately of every database and cache resource in the tenant's synthesised stack. */
  const applyImmediately = () => {
    const resources = (
      JSON.parse(readFileSync(join(stackDir(join(workspace.root, DEFAULT_OUTDIR), TENANT), STACK_FILE), 'utf8')) as {
        resource: Record<string, Record<string, { apply_immediately?: unknown }>>;
      }
    ).resource;
    return ['aws_rds_cluster', 'aws_rds_cluster_instance', 'aws_elasticache_replication_group'].flatMap((type) =>
      Object.values(resources[type] ?? {}).map((r) => [type, r.apply_immediately]),
    );
  };

  it('apply_immediately true for a --apply-immediately run only, false otherwise', async () => {
    const driver = workspaceDriver({ workspaceRoot: workspace.root });
    await driver.synth(TENANT, { applyImmediately: true });
    const now = applyImmediately();
    expect(new Set(now.map(([type]) => type))).toEqual(
      new Set(['aws_rds_cluster', 'aws_rds_cluster_instance', 'aws_elasticache_replication_group']),
    );
    expect(now.every(([, value]) => value === true)).toBe(true);
    await driver.synth(TENANT);
    expect(applyImmediately()).toEqual(now.map(([type]) => [type, false]));
  });
});
