import { describe, expect, it } from 'vitest';
import { database } from '../testing/data-fixtures.js';
import { offlineAwsProvider } from '../testing/offline.js';
import { createdCounts, describeWithTerraform, expectOnlyCreates, planOffline } from '../testing/plan-offline.js';
import { policyOf, serviceTrust } from '../testing/policy.js';
import { connectionRules, securityGroupRules } from '../testing/security-group-rules.js';
import { addOutputs, ref, synthesize, testStack } from '../testing/synth.js';
import { APP_SECURITY_GROUP_ID, DATA_SUBNET_IDS, KMS_KEY_ARN, placementOf, VPC_ID, WORKER_SECURITY_GROUP_ID } from '../testing/values.js';
import type { DatabaseProps } from './database.js';

const OUTPUTS = [
  'endpoint',
  'readerEndpoint',
  'port',
  'securityGroupId',
  'masterUserSecretArn',
  'arn',
  'identifier',
  'kind',
  'readerIdentifiers',
] as const;

const synthDatabase = (overrides: Partial<DatabaseProps> = {}) =>
  synthesize(testStack((scope) => addOutputs(scope, database(scope, overrides), OUTPUTS)));

/** Guarantees the RDS instance and the Aurora cluster share. */
const DATA_GUARANTEES = {
  storage_encrypted: true,
  kms_key_id: KMS_KEY_ARN,
  manage_master_user_password: true,
  master_user_secret_kms_key_id: KMS_KEY_ARN,
  backup_retention_period: 14,
  deletion_protection: true,
  skip_final_snapshot: false,
  final_snapshot_identifier: 'acme-db-final',
  delete_automated_backups: false,
  copy_tags_to_snapshot: true,
  iam_database_authentication_enabled: true,
  apply_immediately: false,
};

/** Guarantees of every database instance, RDS or Aurora. */
const INSTANCE_GUARANTEES = {
  instance_class: 'db.r6g.large',
  publicly_accessible: false,
  auto_minor_version_upgrade: true,
  performance_insights_enabled: true,
  performance_insights_kms_key_id: KMS_KEY_ARN,
  monitoring_interval: 60,
};

describe('Database', () => {
  describe('RDS Multi-AZ instance', () => {
    it('is Multi-AZ, encrypted with the tenant key, with a managed password and protected against deletion', () => {
      const { single } = synthDatabase();
      const [, instance] = single('aws_db_instance');
      const [subnetGroupId] = single('aws_db_subnet_group');
      const [securityGroupId] = single('aws_security_group');
      expect(instance).toMatchObject({
        ...DATA_GUARANTEES,
        ...INSTANCE_GUARANTEES,
        identifier: 'acme-db',
        engine: 'mysql',
        engine_version: '8.0',
        port: 3306,
        multi_az: true,
        db_name: 'acme',
        username: 'hafleet_admin',
        storage_type: 'gp3',
        allocated_storage: 100,
        max_allocated_storage: 400,
        db_subnet_group_name: ref('aws_db_subnet_group', subnetGroupId, 'name'),
        vpc_security_group_ids: [ref('aws_security_group', securityGroupId)],
        enabled_cloudwatch_logs_exports: ['error', 'slowquery'],
      });
      for (const secret of ['password', 'password_wo']) expect(instance).not.toHaveProperty(secret);
      expect(Object.keys(synthDatabase({ engine: 'aurora-mysql' }).resources('aws_db_instance'))).toEqual([]);
    });

    it('places the subnet group over the data subnets', () => {
      const [, subnetGroup] = synthDatabase().single('aws_db_subnet_group');
      expect(subnetGroup).toMatchObject({ name: 'acme-db', subnet_ids: DATA_SUBNET_IDS });
    });

    it('forces TLS and fills the slow-query log on MySQL', () => {
      const { single } = synthDatabase();
      const [groupId, group] = single('aws_db_parameter_group');
      expect(group).toMatchObject({ family: 'mysql8.0', name: 'acme-db-mysql8-0', lifecycle: { create_before_destroy: true } });
      expect(group['parameter']).toEqual([
        { name: 'require_secure_transport', value: '1', apply_method: 'immediate' },
        { name: 'slow_query_log', value: '1', apply_method: 'immediate' },
        { name: 'long_query_time', value: '1', apply_method: 'immediate' },
        { name: 'log_output', value: 'FILE', apply_method: 'immediate' },
      ]);
      expect(single('aws_db_instance')[1]['parameter_group_name']).toBe(ref('aws_db_parameter_group', groupId, 'name'));
    });

    it('forces TLS on PostgreSQL and exports its logs', () => {
      const { single } = synthDatabase({ engine: 'postgres', allocatedStorageGiB: 250 });
      const [, instance] = single('aws_db_instance');
      expect(instance).toMatchObject({
        engine: 'postgres',
        engine_version: '16',
        port: 5432,
        multi_az: true,
        allocated_storage: 250,
        max_allocated_storage: 1000,
        enabled_cloudwatch_logs_exports: ['postgresql', 'upgrade'],
      });
      const [, group] = single('aws_db_parameter_group');
      expect(group['family']).toBe('postgres16');
      expect(group['parameter']).toContainEqual({ name: 'rds.force_ssl', value: '1', apply_method: 'pending-reboot' });
    });

    it('derives the parameter-group family from a pinned version', () => {
      expect(synthDatabase({ engineVersion: '8.4.5' }).single('aws_db_parameter_group')[1]).toMatchObject({
        family: 'mysql8.4',
        name: 'acme-db-mysql8-4',
      });
      expect(synthDatabase({ engine: 'postgres', engineVersion: '17.2' }).single('aws_db_parameter_group')[1]['family']).toBe('postgres17');
    });

    it('exposes its outputs, with the same endpoint for reads', () => {
      const { outputs, single } = synthDatabase();
      const [instanceId] = single('aws_db_instance');
      expect(outputs).toEqual({
        endpoint: ref('aws_db_instance', instanceId, 'address'),
        readerEndpoint: ref('aws_db_instance', instanceId, 'address'),
        port: 3306,
        securityGroupId: ref('aws_security_group', single('aws_security_group')[0]),
        masterUserSecretArn: ref('aws_db_instance', instanceId, 'master_user_secret[0].secret_arn'),
        arn: ref('aws_db_instance', instanceId, 'arn'),
        identifier: ref('aws_db_instance', instanceId, 'identifier'),
        kind: 'instance',
        readerIdentifiers: [],
      });
    });
  });

  describe('Aurora cluster', () => {
    it('carries the same data guarantees on the cluster', () => {
      const { single } = synthDatabase({ engine: 'aurora-postgresql' });
      const [, cluster] = single('aws_rds_cluster');
      const [subnetGroupId] = single('aws_db_subnet_group');
      const [securityGroupId] = single('aws_security_group');
      const [parameterGroupId, parameterGroup] = single('aws_rds_cluster_parameter_group');
      expect(cluster).toMatchObject({
        ...DATA_GUARANTEES,
        cluster_identifier: 'acme-db',
        engine: 'aurora-postgresql',
        engine_version: '16',
        port: 5432,
        database_name: 'acme',
        master_username: 'hafleet_admin',
        db_subnet_group_name: ref('aws_db_subnet_group', subnetGroupId, 'name'),
        vpc_security_group_ids: [ref('aws_security_group', securityGroupId)],
        db_cluster_parameter_group_name: ref('aws_rds_cluster_parameter_group', parameterGroupId, 'name'),
        enabled_cloudwatch_logs_exports: ['postgresql'],
      });
      expect(cluster).not.toHaveProperty('master_password');
      expect(parameterGroup).toMatchObject({ family: 'aurora-postgresql16' });
      expect(parameterGroup['parameter']).toContainEqual({ name: 'rds.force_ssl', value: '1', apply_method: 'pending-reboot' });
      expect(Object.keys(synthDatabase({ engine: 'aurora-postgresql' }).resources('aws_db_parameter_group'))).toEqual([]);
    });

    it('forces TLS on Aurora MySQL in the cluster parameter group', () => {
      const { single } = synthDatabase({ engine: 'aurora-mysql' });
      expect(single('aws_rds_cluster')[1]).toMatchObject({
        engine: 'aurora-mysql',
        engine_version: '8.0',
        port: 3306,
        enabled_cloudwatch_logs_exports: ['error', 'slowquery'],
      });
      const [, group] = single('aws_rds_cluster_parameter_group');
      expect(group).toMatchObject({ family: 'aurora-mysql8.0', name: 'acme-db-aurora-mysql8-0' });
      expect(group['parameter']).toContainEqual({ name: 'require_secure_transport', value: 'ON', apply_method: 'immediate' });
      expect(
        synthDatabase({ engine: 'aurora-mysql', engineVersion: '8.0.mysql_aurora.3.08.2' }).single('aws_rds_cluster_parameter_group')[1][
          'family'
        ],
      ).toBe('aurora-mysql8.0');
    });

    it('puts the writer in the first zone and spreads the readers over the others', () => {
      const { resources, single } = synthDatabase({ engine: 'aurora-mysql', readerCount: 3 });
      const [clusterId] = single('aws_rds_cluster');
      const instances = Object.values(resources('aws_rds_cluster_instance'));
      const placement = instances.map((i) => [i['identifier'], i['availability_zone'], i['promotion_tier']]);
      expect(placement.sort()).toEqual([
        ['acme-db-reader-1', 'eu-west-1b', 0],
        ['acme-db-reader-2', 'eu-west-1c', 1],
        ['acme-db-reader-3', 'eu-west-1b', 1],
        ['acme-db-writer', 'eu-west-1a', 0],
      ]);
      for (const instance of instances) {
        expect(instance).toMatchObject({
          ...INSTANCE_GUARANTEES,
          cluster_identifier: ref('aws_rds_cluster', clusterId),
          engine: ref('aws_rds_cluster', clusterId, 'engine'),
        });
        expect(instance['monitoring_role_arn']).toMatch(/^\$\{aws_iam_role\.database_monitoring-role_\w+\.arn\}$/);
      }
    });

    it('has one reader by default', () => {
      const { resources } = synthDatabase({ engine: 'aurora-postgresql' });
      const placement = Object.values(resources('aws_rds_cluster_instance')).map((i) => `${i['identifier']} ${i['availability_zone']}`);
      expect(placement.sort()).toEqual(['acme-db-reader-1 eu-west-1b', 'acme-db-writer eu-west-1a']);
    });

    it('exposes the cluster endpoints and reader identifiers', () => {
      const { outputs, resources, single } = synthDatabase({ engine: 'aurora-mysql', readerCount: 2 });
      const [clusterId] = single('aws_rds_cluster');
      const readers = Object.entries(resources('aws_rds_cluster_instance'))
        .filter(([, i]) => (i['identifier'] as string).includes('reader'))
        .map(([id]) => ref('aws_rds_cluster_instance', id, 'identifier'));
      expect(readers).toHaveLength(2);
      expect(outputs).toMatchObject({
        endpoint: ref('aws_rds_cluster', clusterId, 'endpoint'),
        readerEndpoint: ref('aws_rds_cluster', clusterId, 'reader_endpoint'),
        port: 3306,
        masterUserSecretArn: ref('aws_rds_cluster', clusterId, 'master_user_secret[0].secret_arn'),
        arn: ref('aws_rds_cluster', clusterId, 'arn'),
        identifier: ref('aws_rds_cluster', clusterId, 'cluster_identifier'),
        kind: 'cluster',
        readerIdentifiers: readers,
      });
    });
  });

  it('opens the engine port to the app and worker security groups only, ingress and egress, one rule each', () => {
    for (const [engine, port] of [
      ['postgres', 5432],
      ['aurora-mysql', 3306],
    ] as const) {
      const synth = synthDatabase({ engine });
      const [securityGroupId, securityGroup] = synth.single('aws_security_group');
      expect(securityGroup).toMatchObject({ name: 'acme-db', vpc_id: VPC_ID });
      expect(securityGroup['ingress']).toBeUndefined();
      expect(securityGroup['egress']).toBeUndefined();
      const sources = [APP_SECURITY_GROUP_ID, WORKER_SECURITY_GROUP_ID];
      expect(securityGroupRules(synth)).toEqual(connectionRules(ref('aws_security_group', securityGroupId), sources, port));
    }
  });

  it('lets RDS publish enhanced monitoring through a role only it can assume', () => {
    const { single } = synthDatabase();
    const [roleId, role] = single('aws_iam_role');
    expect(role['name']).toBe('acme-db-monitoring');
    expect(policyOf(role, 'assume_role_policy')).toEqual(serviceTrust('monitoring.rds.amazonaws.com'));
    const [attachmentId, attachment] = single('aws_iam_role_policy_attachment');
    expect(attachment).toEqual({
      role: ref('aws_iam_role', roleId, 'name'),
      policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
    });
    expect(single('aws_db_instance')[1]).toMatchObject({
      monitoring_role_arn: ref('aws_iam_role', roleId, 'arn'),
      depends_on: [`aws_iam_role_policy_attachment.${attachmentId}`],
    });
  });

  it('applies the given backup retention, names and user', () => {
    const { single } = synthDatabase({
      engine: 'aurora-mysql',
      backupRetentionDays: 30,
      databaseName: 'moodle',
      masterUsername: 'root_admin',
    });
    expect(single('aws_rds_cluster')[1]).toMatchObject({
      backup_retention_period: 30,
      database_name: 'moodle',
      master_username: 'root_admin',
    });
    expect(synthDatabase({ name: 'uni-of-sydney' }).single('aws_db_instance')[1]).toMatchObject({
      identifier: 'uni-of-sydney-db',
      db_name: 'uni_of_sydney',
    });
  });

  it('keeps identifiers within 63 characters for long tenant names', () => {
    const name = 'a-very-long-tenant-name-that-goes-on-and-on-for-sixty-characters';
    const { resources } = synthDatabase({ name, engine: 'aurora-mysql', readerCount: 2, databaseName: 'lms' });
    const identifiers = [
      ...Object.values(resources('aws_rds_cluster')).map((c) => c['cluster_identifier'] as string),
      ...Object.values(resources('aws_rds_cluster_instance')).map((i) => i['identifier'] as string),
    ];
    expect(new Set(identifiers).size).toBe(4);
    for (const identifier of identifiers) {
      expect(identifier.length).toBeLessThanOrEqual(63);
      expect(identifier).toMatch(/^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/);
    }
  });

  it('rejects unsafe or inconsistent settings with a clear message', () => {
    expect(() => synthDatabase({ backupRetentionDays: 3 })).toThrow(
      'Database acme: backupRetentionDays must be a whole number between 7 and 35 (the fleet keeps at least 7 days of backups), got 3',
    );
    expect(() => synthDatabase({ placement: placementOf(['subnet-1']) })).toThrow(
      'Database acme: placement needs subnets in at least 2 zones, got 1 (eu-west-1a); give the data subnets (Network.dataPlacement)',
    );
    expect(() => synthDatabase({ placement: placementOf(DATA_SUBNET_IDS, ['eu-west-1a', 'eu-west-1a', 'eu-west-1b']) })).toThrow(
      'Database acme: placement has more than one subnet in zone eu-west-1a; give the data subnets (Network.dataPlacement), one per zone',
    );
    expect(() => synthDatabase({ allowedSecurityGroupIds: [] })).toThrow(/allowedSecurityGroupIds needs at least one/);
    expect(() => synthDatabase({ engine: 'aurora-mysql', readerCount: 0 })).toThrow(/readerCount must be a whole number between 1 and 15/);
    expect(() => synthDatabase({ engine: 'mysql', readerCount: 2 })).toThrow(/readerCount applies to Aurora engines only/);
    expect(() => synthDatabase({ engine: 'aurora-postgresql', allocatedStorageGiB: 100 })).toThrow(
      /allocatedStorageGiB applies to RDS engines only/,
    );
    expect(() => synthDatabase({ allocatedStorageGiB: 10 })).toThrow(/allocatedStorageGiB must be a whole number between 20/);
    expect(() => synthDatabase({ engineVersion: 'latest' })).toThrow(/engineVersion "latest" is not a mysql version/);
    expect(() => synthDatabase({ name: '9lives' })).toThrow(/databaseName must start with a letter/);
    expect(() => synthDatabase({ masterUsername: 'a_very_long_admin_name' })).toThrow(/masterUsername must .*≤ 16 for mysql/);
  });
});

/** The real terraform and AWS provider accept all four engines, planned together in one stack. */
describeWithTerraform('Database with the real terraform', () => {
  it('initialises, validates and plans every engine offline', async () => {
    const summary = await planOffline((stack) => {
      offlineAwsProvider(stack);
      database(stack, { name: 'acme-mysql', engine: 'mysql' }, 'mysql');
      database(stack, { name: 'acme-postgres', engine: 'postgres' }, 'postgres');
      database(stack, { name: 'acme-aurora-mysql', engine: 'aurora-mysql', readerCount: 2 }, 'aurora-mysql');
      database(stack, { name: 'acme-aurora-pg', engine: 'aurora-postgresql' }, 'aurora-postgresql');
    });

    expectOnlyCreates(summary);
    expect(createdCounts(summary)).toMatchObject({
      aws_db_instance: 2,
      aws_db_parameter_group: 2,
      aws_rds_cluster: 2,
      aws_rds_cluster_parameter_group: 2,
      aws_rds_cluster_instance: 5,
      aws_db_subnet_group: 4,
      aws_security_group: 4,
      aws_vpc_security_group_ingress_rule: 8,
      aws_vpc_security_group_egress_rule: 8,
      aws_iam_role: 4,
      aws_iam_role_policy_attachment: 4,
    });
    expect(summary.resourceCount).toBe(summary.add);
  });
});
