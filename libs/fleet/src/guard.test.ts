import { describe, expect, it } from 'vitest';
import { summarisePlan, type PlanJson } from '@hafleet/terraform';
import { forEachTenant } from './for-each-tenant.js';
import { guardPlan, parseAllowances, refusalMessage } from './guard.js';
import { buildRunReport } from './run-report.js';

const rc = (address: string, actions: string[]) => ({
  address,
  mode: 'managed' as const,
  type: address.split('.')[0]!,
  change: { actions },
});
const plan: PlanJson = {
  resource_changes: [
    rc('aws_db_instance.database_instance_1A2B', ['delete', 'create']),
    rc('aws_s3_bucket.content_bucket_3C4D["eu"]', ['delete']),
    rc('aws_autoscaling_group.web_asg', ['delete', 'create']),
  ],
};

describe('apply guard (synthetic plan JSON)', () => {
  const summary = summarisePlan(plan);

  it('blocks every stateful replacement or deletion without an exact allowance', () => {
    const verdict = guardPlan(
      'harbour-health',
      summary,
      parseAllowances(['northwind-university:aws_db_instance.database_instance_1A2B', 'harbour-health:aws_db_instance.database_instance']),
    );
    expect(verdict.ok).toBe(false);
    expect(verdict.blocked.map((c) => c.address)).toEqual([
      'aws_db_instance.database_instance_1A2B',
      'aws_s3_bucket.content_bucket_3C4D["eu"]',
    ]);
    expect(verdict.unused).toEqual([{ tenant: 'harbour-health', address: 'aws_db_instance.database_instance' }]);
  });

  it('passes when each loss is allowed for that tenant and address; a non-stateful replacement needs nothing', () => {
    const verdict = guardPlan(
      'harbour-health',
      summary,
      parseAllowances(['harbour-health:aws_db_instance.database_instance_1A2B,harbour-health:aws_s3_bucket.content_bucket_3C4D["eu"]']),
    );
    expect(verdict).toMatchObject({ ok: true, blocked: [], unused: [] });
    expect(verdict.allowed).toHaveLength(2);
  });

  it('says what would be lost and the exact flags to allow it', () => {
    const message = refusalMessage(guardPlan('harbour-health', summary));
    expect(message).toBe(
      [
        'tenant harbour-health: apply refused — this plan would lose data:',
        '  replace aws_db_instance.database_instance_1A2B: an RDS database: its data and automated backups',
        '  destroy aws_s3_bucket.content_bucket_3C4D["eu"]: an S3 bucket and every object version in it',
        'Nothing was applied. If losing this is intended, allow exactly these resources for this run:',
        `  --allow-destroy harbour-health:aws_db_instance.database_instance_1A2B --allow-destroy 'harbour-health:aws_s3_bucket.content_bucket_3C4D["eu"]'`,
      ].join('\n'),
    );
  });

  it.each([
    ['aws_db_instance.x', /names no tenant/],
    [':aws_db_instance.x', /names no tenant/],
    ['harbour-health:', /names no resource address/],
    ['harbour-health:aws db', /has a space/],
  ])('rejects the allowance %j with the fix', (value, why) => {
    expect(() => parseAllowances([value])).toThrow(why);
    expect(() => parseAllowances([value])).toThrow(/fix: --allow-destroy <tenant>:<address>/);
  });
});

describe('forEachTenant stopWhen and the run report', () => {
  it('starts no tenant after a stop, reports it skipped, and lists succeeded, failed, skipped', async () => {
    const started: string[] = [];
    const outcomes = await forEachTenant(
      ['a', 'b', 'c', 'd'],
      async (t) => {
        started.push(t);
        if (t === 'b') throw new Error('terraform failed\nmore detail');
        return t === 'a' ? 'applied' : 'unchanged';
      },
      { maxParallel: 1, stopWhen: (o) => !o.ok },
    );
    expect(started).toEqual(['a', 'b']);
    const report = buildRunReport('apply', new Date(), outcomes, (v) => ({ status: v === 'applied' ? 'succeeded' : 'skipped', detail: v }));
    expect(report).toMatchObject({ command: 'apply', succeeded: ['a'], failed: ['b'], skipped: ['c', 'd'] });
    expect(report.tenants.map((t) => t.detail)).toEqual([
      'applied',
      'terraform failed',
      'not started: the run stopped after b',
      'not started: the run stopped after b',
    ]);
  });
});
