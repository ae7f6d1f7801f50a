import { describe, expect, it } from 'vitest';
import { classifyActions, formatPlanSummary, planHasChanges, summariseDrift, summarisePlan, type PlanJson } from './plan-summary.js';
import { STATEFUL_RESOURCE_TYPES, statefulClassifier, statefulMarks } from './stateful.js';

const rc = (address: string, actions: string[], mode: 'managed' | 'data' = 'managed') => ({
  address,
  mode,
  type: address.split('.').at(-2) ?? 'x',
  change: { actions },
});

describe('summarisePlan (synthetic JSON)', () => {
  const plan: PlanJson = {
    resource_changes: [
      rc('aws_db_instance.main', ['delete', 'create']),
      rc('aws_s3_bucket.content', ['create', 'delete']),
      rc('aws_instance.web', ['update']),
      rc('aws_efs_file_system.shared', ['delete']),
      rc('aws_vpc.main', ['create']),
      rc('aws_subnet.a', ['no-op']),
      rc('data.aws_ami.latest', ['read'], 'data'),
      rc('aws_iam_role.legacy', ['forget']),
    ],
    planned_values: {
      root_module: {
        resources: [
          { address: 'aws_vpc.main', mode: 'managed' },
          { address: 'data.aws_ami.latest', mode: 'data' },
        ],
        child_modules: [{ resources: [{ address: 'module.db.aws_db_instance.main', mode: 'managed' }] }],
      },
    },
  };

  it('counts like terraform: replacements in add, destroy and replace; reads ignored', () => {
    const s = summarisePlan(plan);
    expect({ add: s.add, change: s.change, destroy: s.destroy, replace: s.replace, noop: s.noop, forget: s.forget }).toEqual({
      add: 3,
      change: 1,
      destroy: 3,
      replace: 2,
      noop: 1,
      forget: 1,
    });
    expect(s.resourceCount).toBe(2);
    expect(s.replacements.map((r) => r.address)).toEqual(['aws_db_instance.main', 'aws_s3_bucket.content']);
    expect(s.deletions).toEqual([
      {
        address: 'aws_efs_file_system.shared',
        type: 'aws_efs_file_system',
        actions: ['delete'],
        action: 'delete',
        stateful: true,
        holds: 'an EFS file system and every file on it',
      },
    ]);
    expect(s.changes).toHaveLength(7);
    expect(s.changes.find((c) => c.address === 'data.aws_ami.latest')?.action).toBe('read');
    expect(formatPlanSummary(s)).toBe('3 to add, 1 to change, 3 to destroy (2 replacements, 1 to forget)');
  });

  it('handles an empty plan and formats singular replacement', () => {
    const empty = summarisePlan({});
    expect(empty).toMatchObject({ add: 0, change: 0, destroy: 0, replace: 0, resourceCount: 0, changes: [] });
    expect(formatPlanSummary(empty)).toBe('0 to add, 0 to change, 0 to destroy');
    expect(formatPlanSummary({ ...empty, add: 3, change: 1, replace: 1 })).toBe('3 to add, 1 to change, 0 to destroy (1 replacement)');
  });

  it('refuses unknown action lists rather than guessing', () => {
    expect(classifyActions(['create', 'delete'])).toBe('replace');
    expect(() => classifyActions(['explode'])).toThrow(/Unknown terraform plan actions/);
  });
});

describe('stateful flag', () => {
  const plan: PlanJson = {
    resource_changes: [
      rc('aws_db_instance.main', ['delete', 'create']),
      rc('aws_s3_bucket.content', ['create', 'delete']),
      rc('aws_kms_key.tenant', ['delete']),
      rc('aws_backup_vault.main', ['delete']),
      rc('aws_elasticache_replication_group.sessions', ['delete', 'create']),
      rc('aws_rds_cluster.main', ['delete']),
      rc('aws_autoscaling_group.web', ['delete', 'create']),
      rc('aws_security_group.old', ['delete']),
      rc('aws_efs_file_system.shared', ['update']),
      rc('aws_vpc.main', ['create']),
      rc('aws_iam_role.legacy', ['forget']),
    ],
  };

  it('flags every replaced or deleted stateful resource, and only those, as data loss', () => {
    const s = summarisePlan(plan);
    expect(s.dataLoss.map((c) => c.address)).toEqual([
      'aws_db_instance.main',
      'aws_s3_bucket.content',
      'aws_kms_key.tenant',
      'aws_backup_vault.main',
      'aws_elasticache_replication_group.sessions',
      'aws_rds_cluster.main',
    ]);
    expect(s.dataLoss.every((c) => c.stateful && c.holds === STATEFUL_RESOURCE_TYPES[c.type])).toBe(true);
    // Stateful but only updated in place: flagged, not a loss.
    expect(s.changes.find((c) => c.address === 'aws_efs_file_system.shared')).toMatchObject({ stateful: true, action: 'update' });
    expect(s.replacements.find((c) => c.address === 'aws_autoscaling_group.web')?.stateful).toBe(false);
  });

  it('takes an injected classifier, and marks from the stack JSON', () => {
    const marks = statefulMarks({
      resource: {
        terraform_data: {
          database: { '//': { metadata: {}, hafleet: { stateful: 'the fixture database' } }, input: 'x' },
          flag: { '//': { hafleet: { stateful: true } } },
          web: { input: 'y' },
        },
      },
    });
    expect([...marks]).toEqual([
      ['terraform_data.database', 'the fixture database'],
      ['terraform_data.flag', 'terraform_data.flag (marked stateful in the stack)'],
    ]);
    const s = summarisePlan(
      {
        resource_changes: [
          rc('terraform_data.database', ['delete', 'create']),
          rc('terraform_data.web', ['delete', 'create']),
          rc('aws_s3_bucket.b["eu"]', ['delete']),
        ],
      },
      { stateful: statefulClassifier(marks) },
    );
    expect(s.dataLoss.map((c) => [c.address, c.holds])).toEqual([
      ['terraform_data.database', 'the fixture database'],
      ['aws_s3_bucket.b["eu"]', STATEFUL_RESOURCE_TYPES['aws_s3_bucket']],
    ]);
  });
});

describe('changes and drift', () => {
  it('counts output-only changes as changes', () => {
    expect(planHasChanges(summarisePlan({}))).toBe(false);
    expect(planHasChanges(summarisePlan({ output_changes: { x: { actions: ['update'] }, y: { actions: ['no-op'] } } }))).toBe(true);
    expect(summarisePlan({ resource_changes: [rc('data.aws_ami.a', ['read'], 'data')] }).changes).toHaveLength(1);
    expect(planHasChanges(summarisePlan({ resource_changes: [rc('data.aws_ami.a', ['read'], 'data')] }))).toBe(false);
  });

  it('summarises resource drift and output drift from a refresh-only plan', () => {
    expect(summariseDrift({})).toEqual({ drifted: false, resources: [], outputs: [] });
    const drift = summariseDrift({
      resource_drift: [rc('aws_s3_bucket.content', ['update']), rc('aws_db_instance.main', ['delete']), rc('aws_vpc.main', ['no-op'])],
      output_changes: { vpc_id: { actions: ['update'] } },
    });
    expect(drift.drifted).toBe(true);
    expect(drift.resources.map((r) => [r.address, r.action, r.stateful])).toEqual([
      ['aws_s3_bucket.content', 'update', true],
      ['aws_db_instance.main', 'delete', true],
    ]);
    expect(drift.outputs).toEqual(['vpc_id']);
  });
});

describe('deferred: updates that wait for the maintenance window', () => {
  const update = (
    address: string,
    before: Record<string, unknown>,
    after: Record<string, unknown>,
    actions = ['update'],
    afterUnknown: Record<string, unknown> = {},
  ) => ({
    ...rc(address, actions),
    change: { actions, before, after, after_unknown: afterUnknown },
  });
  const deferredOf = (...changes: ReturnType<typeof update>[]) => summarisePlan({ resource_changes: changes }).deferred;

  it('Aurora cluster and instance read preferred_maintenance_window; null apply_immediately is AWS default false', () => {
    const window = 'sat:17:00-sat:17:30';
    expect(
      deferredOf(
        update(
          'aws_rds_cluster.main',
          { engine_version: '16.4' },
          { engine_version: '16.6', apply_immediately: null, preferred_maintenance_window: window },
        ),
        update(
          'aws_rds_cluster_instance.reader["1"]',
          { instance_class: 'db.r6g.large' },
          { instance_class: 'db.r6g.xlarge', preferred_maintenance_window: window },
        ),
      ),
    ).toEqual([
      { address: 'aws_rds_cluster.main', type: 'aws_rds_cluster', attributes: ['engine_version'], window },
      { address: 'aws_rds_cluster_instance.reader["1"]', type: 'aws_rds_cluster_instance', attributes: ['instance_class'], window },
    ]);
  });

  it('backup retention waits only when it turns backups on or off', () => {
    const retention = (from: number, to: number) =>
      update('aws_db_instance.main', { backup_retention_period: from }, { backup_retention_period: to });
    expect(deferredOf(retention(0, 7)).map((d) => d.attributes)).toEqual([['backup_retention_period']]);
    expect(deferredOf(retention(7, 0)).map((d) => d.attributes)).toEqual([['backup_retention_period']]);
    expect(deferredOf(retention(7, 14))).toEqual([]);
  });

  it('counts a deferrable value known only after apply; ignores replacements, immediate updates and other types', () => {
    expect(
      deferredOf(
        update('aws_elasticache_replication_group.s', {}, { maintenance_window: 'mon:15:00-mon:16:00' }, ['update'], {
          parameter_group_name: true,
        }),
      )[0]?.attributes,
    ).toEqual(['parameter_group_name']);
    expect(
      deferredOf(
        update('aws_db_instance.replaced', { instance_class: 'a' }, { instance_class: 'b' }, ['delete', 'create']),
        update('aws_db_instance.now', { instance_class: 'a' }, { instance_class: 'b', apply_immediately: true }),
        update('aws_db_instance.port', { port: 5432, apply_immediately: false }, { port: 5433, apply_immediately: false }),
        update('aws_elasticache_replication_group.grown', { num_cache_clusters: 2 }, { num_cache_clusters: 3 }),
        update('aws_instance.web', { instance_type: 'a' }, { instance_type: 'b' }),
      ),
    ).toEqual([]);
  });
});
