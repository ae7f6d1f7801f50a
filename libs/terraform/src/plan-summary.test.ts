import { describe, expect, it } from 'vitest';
import { classifyActions, formatPlanSummary, summarisePlan, type PlanJson } from './plan-summary.js';

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
        resources: [{ address: 'aws_vpc.main', mode: 'managed' }, { address: 'data.aws_ami.latest', mode: 'data' }],
        child_modules: [{ resources: [{ address: 'module.db.aws_db_instance.main', mode: 'managed' }] }],
      },
    },
  };

  it('counts like terraform: replacements in add, destroy and replace; reads ignored', () => {
    const s = summarisePlan(plan);
    expect({ add: s.add, change: s.change, destroy: s.destroy, replace: s.replace, noop: s.noop, forget: s.forget })
      .toEqual({ add: 3, change: 1, destroy: 3, replace: 2, noop: 1, forget: 1 });
    expect(s.resourceCount).toBe(2);
    expect(s.replacements.map((r) => r.address)).toEqual(['aws_db_instance.main', 'aws_s3_bucket.content']);
    expect(s.deletions).toEqual([
      { address: 'aws_efs_file_system.shared', type: 'aws_efs_file_system', actions: ['delete'], action: 'delete' },
    ]);
    expect(s.changes).toHaveLength(7);
    expect(s.changes.find((c) => c.address === 'data.aws_ami.latest')?.action).toBe('read');
    expect(formatPlanSummary(s)).toBe('3 to add, 1 to change, 3 to destroy (2 replacements, 1 to forget)');
  });

  it('handles an empty plan and formats singular replacement', () => {
    const empty = summarisePlan({});
    expect(empty).toMatchObject({ add: 0, change: 0, destroy: 0, replace: 0, resourceCount: 0, changes: [] });
    expect(formatPlanSummary(empty)).toBe('0 to add, 0 to change, 0 to destroy');
    expect(formatPlanSummary({ ...empty, add: 3, change: 1, replace: 1 })).toBe(
      '3 to add, 1 to change, 0 to destroy (1 replacement)',
    );
  });

  it('refuses unknown action lists rather than guessing', () => {
    expect(classifyActions(['create', 'delete'])).toBe('replace');
    expect(() => classifyActions(['explode'])).toThrow(/Unknown terraform plan actions/);
  });
});
