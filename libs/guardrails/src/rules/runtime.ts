import { RUNTIME_PARAMETERS, applicationProfile, runtimeParameterPath } from '@hafleet/app-profiles';
import { maintenanceWindows } from '@hafleet/tenant-spec';
import { fail, notApplicable, pass, verdictOf, type PolicyRule } from '../rule.js';
import type { StackResource } from '../synthesized-stack.js';
import { block, num, policyStatements, servesLoadBalancer, shown, strings, usesStackKey } from './support.js';

/**
 * The runtime contract: what the instances, the on-call operator and the learners see once a
 * stack is applied. Every instance learns its configuration from the tenant's own published path;
 * the application never holds the master credentials; health checks do not depend on the database;
 * a release launches before it terminates; maintenance happens in the client's night.
 */

/** The one job allowed to read the master secret (TenantStack's `db-provisioner`). */
const isProvisioner = (resource: StackResource): boolean => /(?:^|\/)db-provisioner\//.test(resource.path);

const WINDOW_ATTRIBUTES: Readonly<
  Record<string, ReadonlyArray<readonly [attribute: string, pick: (w: ReturnType<typeof maintenanceWindows>) => string]>>
> = {
  aws_db_instance: [
    ['backup_window', (w) => w.database.backupWindow],
    ['maintenance_window', (w) => w.database.maintenanceWindow],
  ],
  aws_rds_cluster: [
    ['preferred_backup_window', (w) => w.database.backupWindow],
    ['preferred_maintenance_window', (w) => w.database.maintenanceWindow],
  ],
  aws_rds_cluster_instance: [['preferred_maintenance_window', (w) => w.database.maintenanceWindow]],
  aws_elasticache_replication_group: [
    ['snapshot_window', (w) => w.cache.snapshotWindow],
    ['maintenance_window', (w) => w.cache.maintenanceWindow],
  ],
};

export const RUNTIME_RULES: readonly PolicyRule[] = [
  {
    id: 'HAF-RUN-001',
    severity: 'error',
    area: 'runtime',
    description: "The load balancer probes the profile's shallow health path, never a page that needs the database",
    resourceTypes: ['aws_lb_target_group'],
    fix: 'leave app.healthCheckPath to the profile (a static file the boot writes once the instance is configured)',
    check(group, _stack, { spec }) {
      const path = block(group.values['health_check'])?.['path'];
      const { deepPath } = applicationProfile(spec.app.profile).health;
      return verdictOf([
        path !== spec.app.healthCheckPath && `health_check.path is ${shown(path)}, not ${shown(spec.app.healthCheckPath)}`,
        (path === deepPath || path === '/') &&
          `health_check.path ${shown(path)} needs the database: a 60 s failover would replace every instance`,
      ]);
    },
  },
  {
    id: 'HAF-RUN-002',
    severity: 'error',
    area: 'runtime',
    description: 'A release launches new web instances before it terminates old ones: capacity never drops below the desired count',
    resourceTypes: ['aws_autoscaling_group'],
    fix: 'set instance_refresh.preferences max_healthy_percentage above 100 (spec web.maxHealthyPercent) and min_healthy_percentage to 100',
    check(group) {
      if (!servesLoadBalancer(group)) return notApplicable;
      const preferences = block(block(group.values['instance_refresh'])?.['preferences']) ?? {};
      const max = num(preferences['max_healthy_percentage']) ?? 100;
      const min = num(preferences['min_healthy_percentage']) ?? 90;
      return verdictOf([
        max <= 100 && `max_healthy_percentage is ${max}: the refresh terminates before it launches`,
        min < 100 && `min_healthy_percentage is ${min}: the refresh runs below the desired count`,
      ]);
    },
  },
  {
    id: 'HAF-RUN-003',
    severity: 'error',
    area: 'runtime',
    description: 'Only the database provisioner may read the master user secret: the application connects as its own user',
    resourceTypes: ['aws_iam_role_policy'],
    fix: "grant the application's own secret (Database.appCredentials) instead of masterUserSecretArn",
    check(policy) {
      if (isProvisioner(policy)) return pass;
      const text = String(policy.values['policy'] ?? '');
      return verdictOf([/master_user_secret/.test(text) && 'grants access to the master user secret']);
    },
  },
  {
    id: 'HAF-RUN-004',
    severity: 'error',
    area: 'runtime',
    description: 'Instance policies name their resources: no "*" resource, except metric publishing scoped by namespace',
    resourceTypes: ['aws_iam_role_policy'],
    fix: 'list the ARNs the role needs; cloudwatch:PutMetricData alone may use "*" with a cloudwatch:namespace condition',
    check(policy) {
      const statements = policyStatements(policy.values['policy']);
      if (!statements) return fail('the policy document cannot be read, so its resources cannot be checked');
      return verdictOf(
        statements
          .filter((s) => s.Effect !== 'Deny' && strings(s.Resource).includes('*'))
          .map((s) => {
            const actions = strings(s.Action);
            const scopedMetrics =
              actions.length > 0 &&
              actions.every((a) => a === 'cloudwatch:PutMetricData') &&
              s.Condition?.['StringEquals']?.['cloudwatch:namespace'] !== undefined;
            return !scopedMetrics && `allows ${shown(actions)} on "*"`;
          }),
      );
    },
  },
  {
    id: 'HAF-RUN-005',
    severity: 'error',
    area: 'runtime',
    description: "Parameter Store access stays inside the tenant's own runtime path",
    resourceTypes: ['aws_iam_role_policy'],
    fix: 'grant ssm:GetParameter* on arn:aws:ssm:<region>:<account>:parameter/hafleet/<tenant> and its /* only',
    check(policy, _stack, { tenant }) {
      const statements = policyStatements(policy.values['policy']) ?? [];
      const ssm = statements.filter((s) => strings(s.Action).some((a) => a.startsWith('ssm:Get')));
      if (ssm.length === 0) return notApplicable;
      const own = runtimeParameterPath(tenant).replace(/\/$/, '');
      return verdictOf(
        ssm
          .flatMap((s) => strings(s.Resource))
          .map((arn) => {
            const path = /:parameter(\/.*)$/.exec(arn)?.[1];
            return (path === undefined || (path !== own && path !== `${own}/*`)) && `reads ${shown(arn)}, outside ${own}/`;
          }),
      );
    },
  },
  {
    id: 'HAF-RUN-006',
    severity: 'error',
    area: 'runtime',
    description: "The database and cache keep their backup and maintenance windows in the client's night",
    resourceTypes: Object.keys(WINDOW_ATTRIBUTES),
    fix: "set the windows from maintenanceWindows(spec.timeZone) (TenantStack does); AWS's own pick often falls in the client's day",
    check(resource, _stack, { spec }) {
      const windows = maintenanceWindows(spec.timeZone);
      return verdictOf(
        WINDOW_ATTRIBUTES[resource.type]!.map(([attribute, pick]) => {
          const expected = pick(windows);
          return (
            resource.values[attribute] !== expected &&
            `${attribute} is ${shown(resource.values[attribute])}, not ${expected} (night in ${spec.timeZone})`
          );
        }),
      );
    },
  },
  {
    id: 'HAF-RUN-007',
    severity: 'error',
    area: 'runtime',
    description:
      'The stack publishes every runtime value the instances read at boot, under its own path, credentials references encrypted with the tenant key',
    resourceTypes: ['provider.aws'],
    fix: 'publish every RUNTIME_PARAMETERS key through RuntimeConfiguration (TenantStack does)',
    check(provider, stack, { tenant }) {
      if (provider.values['alias'] !== undefined) return notApplicable;
      const path = runtimeParameterPath(tenant);
      const published = new Map(stack.ofType('aws_ssm_parameter').map((p) => [String(p.values['name']), p]));
      return verdictOf(
        RUNTIME_PARAMETERS.flatMap((parameter) => {
          const found = published.get(`${path}${parameter.key}`);
          if (!found) return 'optional' in parameter && parameter.optional ? [] : [`${path}${parameter.key} is not published`];
          if (!parameter.secure) return [];
          return [
            found.values['type'] !== 'SecureString' && `${path}${parameter.key} is ${shown(found.values['type'])}, not SecureString`,
            found.values['type'] === 'SecureString' &&
              !usesStackKey(stack, found.values['key_id']) &&
              `${path}${parameter.key} is not encrypted with the tenant key`,
          ];
        }),
      );
    },
  },
  {
    id: 'HAF-RUN-008',
    severity: 'error',
    area: 'runtime',
    description:
      'Every instance template boots the platform: its user data configures the instance from the published runtime configuration',
    resourceTypes: ['aws_launch_template'],
    fix: 'give the launch template the user data of @hafleet/instance-boot (renderUserData, renderDatabaseProvisionerUserData), base64-encoded',
    check(template, _stack, { tenant }) {
      const userData = template.values['user_data'];
      if (typeof userData !== 'string' || userData === '')
        return fail('has no user_data: an instance would boot the release AMI knowing nothing of its tenant');
      const text = /^[A-Za-z0-9+/=]+$/.test(userData) ? Buffer.from(userData, 'base64').toString('utf8') : userData;
      return verdictOf([
        !text.startsWith('#cloud-config') && 'user_data is not a #cloud-config document',
        !text.includes(runtimeParameterPath(tenant)) && `user_data never reads ${runtimeParameterPath(tenant)}`,
      ]);
    },
  },
];
