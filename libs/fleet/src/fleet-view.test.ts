import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { summarisePlan } from '@hafleet/terraform';
import { dataLossLines, planNotes, renderPlanMarkdown, renderPlanTable, writeFleetPlanView, type FleetPlanEntry } from './fleet-view.js';
import { fixtureWorkspace } from '@hafleet/testing';

const rc = (address: string, actions: string[]) => ({
  address,
  mode: 'managed' as const,
  type: address.split('.')[0]!,
  change: { actions },
});
const entries: FleetPlanEntry[] = [
  {
    tenant: 'harbour-health',
    plan: {
      plannedAt: '2025-06-01T10:00:00.000Z',
      summary: summarisePlan({
        resource_changes: [
          rc('aws_db_instance.db', ['delete', 'create']),
          rc('aws_launch_template.web', ['update']),
          rc('aws_vpc.main', ['no-op']),
        ],
      }),
    },
  },
  {
    tenant: 'northwind-university',
    plan: { plannedAt: '2025-06-01T10:00:01.000Z', summary: summarisePlan({ resource_changes: [rc('aws_vpc.main', ['no-op'])] }) },
  },
  { tenant: 'broken', error: 'tenant broken: no synthesized stack' },
];

describe('fleet plan view', () => {
  const ws = fixtureWorkspace();
  afterAll(() => ws.dispose());

  it('prints one row per tenant, data loss counted and failures marked', () => {
    expect(renderPlanTable(entries).split('\n')).toEqual([
      'tenant                add  change  destroy  replace  data loss  result',
      '────────────────────  ───  ──────  ───────  ───────  ─────────  ─────────────────────────',
      'harbour-health        1    1       1        1        1          DATA LOSS — apply refuses',
      'northwind-university  0    0       0        0        0          no changes',
      'broken                -    -       -        -        -          FAILED',
    ]);
    expect(dataLossLines(entries)).toEqual([
      'harbour-health: replace aws_db_instance.db: an RDS database: its data and automated backups ' +
        '(allow with --allow-destroy harbour-health:aws_db_instance.db)',
    ]);
  });

  it('writes plan-summary.json and a markdown pull-request comment, data loss first', () => {
    const { jsonFile, markdownFile } = writeFleetPlanView(ws.root, entries);
    const markdown = readFileSync(markdownFile, 'utf8');
    expect(markdown).toBe(renderPlanMarkdown(entries));
    expect(markdown).toContain(
      '**1** to add, **1** to change, **1** to destroy (1 replacements) · :warning: **1 stateful resource replaced or destroyed** · :x: **1 failed**',
    );
    expect(markdown).toContain('| harbour-health | 1 | 1 | 1 | 1 | 1 | DATA LOSS — apply refuses |');
    expect(markdown).toContain(
      '- **harbour-health**: replace `aws_db_instance.db` — an RDS database: ' +
        'its data and automated backups; allow with `--allow-destroy harbour-health:aws_db_instance.db`',
    );
    expect(markdown).toContain('- replace **(stateful)** `aws_db_instance.db`');
    expect(markdown.indexOf('Data that apply would lose')).toBeLessThan(markdown.indexOf('<details><summary>harbour-health'));
    const json = JSON.parse(readFileSync(jsonFile, 'utf8'));
    expect(json.tenants.map((t: { tenant: string }) => t.tenant)).toEqual(['harbour-health', 'northwind-university', 'broken']);
    expect(json.tenants[2]).toEqual({ tenant: 'broken', error: 'tenant broken: no synthesized stack' });
    expect(jsonFile).toBe(join(ws.root, '.hafleet', 'plan-summary.json'));
  });

  it('stays under a pull-request comment’s size limit for a huge plan', () => {
    const huge = Array.from({ length: 3000 }, (_, i) => rc(`aws_s3_bucket.b${i}`, ['delete']));
    const markdown = renderPlanMarkdown([
      { tenant: 'big', plan: { plannedAt: 'now', summary: summarisePlan({ resource_changes: huge }) } },
    ]);
    expect(markdown.length).toBeLessThan(65_536);
    expect(markdown).toContain('cut to fit a comment');
  });
});

describe('fleet plan view: changes that wait for the maintenance window', () => {
  const window = 'sun:16:00-sun:16:30';
  const resize = {
    address: 'module.database.aws_db_instance.main',
    mode: 'managed' as const,
    type: 'aws_db_instance',
    change: {
      actions: ['update'],
      before: { instance_class: 'db.r6g.large' },
      after: { instance_class: 'db.r6g.xlarge', apply_immediately: false, maintenance_window: window },
    },
  };
  const waiting: FleetPlanEntry[] = [
    {
      tenant: 'harbour-health',
      plan: {
        plannedAt: '2025-06-01T10:00:00.000Z',
        summary: summarisePlan({ resource_changes: [resize, rc('aws_launch_template.web', ['update'])] }),
      },
    },
    entries[1]!,
  ];

  it('says so in the table, in a note under it and in the markdown, with the window in UTC', () => {
    expect(renderPlanTable(waiting).split('\n')[2]).toMatch(/^harbour-health +0 +2 +0 +0 +0 +changes; 1 waits for the maintenance window$/);
    expect(planNotes(waiting)).toEqual([
      'waiting for the maintenance window — apply succeeds, but AWS makes these changes only in the window ' +
        '(fleet rollout --apply-immediately applies them at once):\n' +
        `  harbour-health: module.database.aws_db_instance.main (instance_class) waits for the maintenance window ${window} UTC`,
    ]);
    expect(planNotes(entries)).toEqual([
      `stateful resources replaced or destroyed — apply refuses these without --allow-destroy:\n  ${dataLossLines(entries)[0]}`,
    ]);
    const markdown = renderPlanMarkdown(waiting);
    expect(markdown).toContain('#### :hourglass: Waiting for the maintenance window');
    expect(markdown).toContain(
      `- **harbour-health**: \`module.database.aws_db_instance.main\` (\`instance_class\`) waits for the maintenance window ${window} UTC`,
    );
    expect(markdown).toContain(
      `- update **(stateful)** \`module.database.aws_db_instance.main\` — waits for the maintenance window ${window} UTC`,
    );
    expect(renderPlanMarkdown(entries)).not.toContain('maintenance window');
  });
});
