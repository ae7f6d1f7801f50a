import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_PARAMETERS, applicationProfile, runtimeParameterPath } from '@hafleet/app-profiles';
import { policyStatements, type StackResource, type SynthesizedStack } from '@hafleet/guardrails';
import { maintenanceWindows } from '@hafleet/tenant-spec';
import { synthesizeExamples, type ExampleStacks } from './testing/example-stacks.js';

/**
 * The runtime contract of every example tenant, read from its synthesized Terraform JSON: what the
 * instances may read (their own tenant's path, app secrets and key, nothing wider), that the
 * application never holds the master credentials, that health checks and releases cannot take
 * the site down, that maintenance falls in the client's night, and that every value the boot
 * script reads is published.
 */
let examples: ExampleStacks;
beforeAll(() => {
  examples = synthesizeExamples();
});
afterAll(() => examples.dispose());

const TENANTS = ['harbour-health', 'lakeside-state', 'northwind-university'];

/** Inline policies of the role a launch template's instance profile carries. */
function instancePolicies(stack: SynthesizedStack, template: StackResource): StackResource[] {
  const [profile] = stack.referenced((template.values['iam_instance_profile'] as { arn: string }).arn);
  const [role] = stack.referenced(profile!.values['role']);
  return stack.ofType('aws_iam_role_policy').filter((p) => stack.referenced(p.values['role']).some((r) => r.address === role!.address));
}

const templateOf = (stack: SynthesizedStack, tier: 'web' | 'worker' | 'db-provisioner') =>
  stack.ofType('aws_launch_template').find((t) => t.path.endsWith(`/${tier}/instances/launch-template`))!;

describe.each(TENANTS)('%s', (tenant) => {
  const stack = () => examples.stacks.get(tenant)!;
  const spec = () => examples.specs.get(tenant)!;

  it('lets web and worker instances read their own parameter path, app secrets and key, and nothing wider', () => {
    const otherTenants = TENANTS.filter((t) => t !== tenant);
    for (const tier of ['web', 'worker'] as const) {
      const statements = instancePolicies(stack(), templateOf(stack(), tier)).flatMap((p) => policyStatements(p.values['policy'])!);
      expect(statements.length, tier).toBeGreaterThan(0);
      for (const statement of statements) {
        const resources = [statement.Resource].flat() as string[];
        const actions = [statement.Action].flat() as string[];
        if (resources.includes('*')) {
          // The only exception: metric publishing, which has no resource-level permissions.
          expect(actions, `${tier}: "*" resource`).toEqual(['cloudwatch:PutMetricData']);
          expect(statement.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': 'Hafleet/Worker' } });
          expect(tier).toBe('worker');
        }
        for (const resource of resources) {
          for (const other of otherTenants) expect(resource, `${tier} reaches ${other}`).not.toContain(other);
          if (actions.some((a) => a.startsWith('ssm:')))
            expect(resource).toMatch(new RegExp(`:parameter${runtimeParameterPath(tenant).replace(/\/$/, '')}(/\\*)?$`));
          if (actions.some((a) => a.startsWith('kms:')))
            expect(
              stack()
                .referenced(resource)
                .map((r) => r.type),
            ).toEqual(['aws_kms_key']);
          if (actions.includes('secretsmanager:GetSecretValue')) {
            const secrets = stack().referenced(resource);
            expect(
              secrets.map((s) => s.type),
              `${tier} reads ${resource}`,
            ).toEqual(['aws_secretsmanager_secret']);
            expect(resource).not.toContain('master_user_secret');
          }
        }
      }
    }
  });

  it('never lets the application read the master secret: only the one-shot provisioner can', () => {
    const readers = stack()
      .ofType('aws_iam_role_policy')
      .filter((p) => String(p.values['policy']).includes('master_user_secret'))
      .map((p) => p.path.replace(`${tenant}/`, ''));
    expect(readers).toEqual(['db-provisioner/instances/policy-provision-database']);
    const provisioner = stack()
      .ofType('aws_autoscaling_group')
      .find((g) => g.path.endsWith('db-provisioner/asg'))!;
    expect(provisioner.values).toMatchObject({
      min_size: 0,
      max_size: 1,
      desired_capacity: 1,
      lifecycle: { ignore_changes: ['desired_capacity'] },
    });
  });

  it("probes the profile's shallow health path, not a page that needs the database", () => {
    const profile = applicationProfile(spec().app.profile);
    const [group] = stack().ofType('aws_lb_target_group');
    expect((group!.values['health_check'] as { path: string }).path).toBe(profile.health.shallowPath);
    expect(profile.health.shallowPath).not.toBe(profile.health.deepPath);
    expect(group!.values['port']).toBe(profile.port);
    expect(group!.values['deregistration_delay']).toBe(String(profile.timeouts.deregistrationDelaySeconds));
    expect(stack().ofType('aws_lb')[0]!.values['idle_timeout']).toBe(profile.timeouts.requestSeconds);
  });

  it('launches new web instances before it terminates old ones during a release', () => {
    const web = stack()
      .ofType('aws_autoscaling_group')
      .find((g) => g.path.endsWith('/web/asg'))!;
    const preferences = (web.values['instance_refresh'] as { preferences: Record<string, unknown> }).preferences;
    expect(preferences['min_healthy_percentage']).toBe(100);
    expect(preferences['max_healthy_percentage']).toBeGreaterThan(100);
    expect(preferences['auto_rollback']).toBe(true);
  });

  it("keeps database and cache windows in the client's night", () => {
    const windows = maintenanceWindows(spec().timeZone);
    const database = [...stack().ofType('aws_db_instance'), ...stack().ofType('aws_rds_cluster')];
    expect(database).toHaveLength(1);
    const db = database[0]!.values;
    expect([db['backup_window'] ?? db['preferred_backup_window'], db['maintenance_window'] ?? db['preferred_maintenance_window']]).toEqual([
      windows.database.backupWindow,
      windows.database.maintenanceWindow,
    ]);
    for (const cache of stack().ofType('aws_elasticache_replication_group')) {
      expect([cache.values['snapshot_window'], cache.values['maintenance_window']]).toEqual([
        windows.cache.snapshotWindow,
        windows.cache.maintenanceWindow,
      ]);
      expect(cache.values['apply_immediately']).toBe(false);
    }
    const [plan] = stack().ofType('aws_backup_plan');
    expect((plan!.values['rule'] as Array<Record<string, unknown>>)[0]).toMatchObject({ schedule_expression_timezone: spec().timeZone });
  });

  it('publishes every runtime value the boot script reads under the tenant path, credentials references encrypted', () => {
    const published = new Map(
      stack()
        .ofType('aws_ssm_parameter')
        .map((p) => [p.values['name'], p.values]),
    );
    for (const parameter of RUNTIME_PARAMETERS) {
      const found = published.get(`${runtimeParameterPath(tenant)}${parameter.key}`);
      if (parameter.key === 'content/cdn-domain') expect(found !== undefined, parameter.key).toBe(spec().cdn !== undefined);
      else expect(found, parameter.key).toBeDefined();
      if (found && parameter.secure) expect(found).toMatchObject({ type: 'SecureString' });
    }
    expect([...published.keys()].every((name) => String(name).startsWith(runtimeParameterPath(tenant)))).toBe(true);
  });

  it('tags the release on the instances, so a release change alone changes the launch templates', () => {
    for (const tier of ['web', 'worker'] as const) {
      const specs = templateOf(stack(), tier).values['tag_specifications'] as Array<{ tags: Record<string, string> }>;
      expect(
        specs.every((s) => s.tags['release'] === spec().app.release),
        tier,
      ).toBe(true);
    }
  });
});
