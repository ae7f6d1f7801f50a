import { describe, expect, it } from 'vitest';
import { cacheCluster } from '../testing/data-fixtures.js';
import { offlineAwsProvider } from '../testing/offline.js';
import { createdCounts, describeWithTerraform, expectOnlyCreates, planOffline } from '../testing/plan-offline.js';
import { connectionRules, securityGroupRules } from '../testing/security-group-rules.js';
import { addOutputs, ref, synthesize, testStack } from '../testing/synth.js';
import { APP_SECURITY_GROUP_ID, DATA_SUBNET_IDS, KMS_KEY_ARN, placementOf, VPC_ID, WORKER_SECURITY_GROUP_ID } from '../testing/values.js';
import type { CacheClusterProps } from './cache.js';

const OUTPUTS = [
  'replicationGroupId',
  'primaryEndpoint',
  'readerEndpoint',
  'port',
  'securityGroupId',
  'memberClusterIds',
  'replicationGroupArn',
  'username',
] as const;

function synthCache(overrides: Partial<CacheClusterProps> = {}) {
  const synth = synthesize(testStack((scope) => addOutputs(scope, cacheCluster(scope, overrides), OUTPUTS)));
  const users = () => {
    const all = Object.entries(synth.resources('aws_elasticache_user'));
    if (all.length !== 1) throw new Error(`expected exactly one cache user, got ${all.length}`);
    return { app: all[0]! };
  };
  return { ...synth, users };
}

describe('CacheCluster', () => {
  it('fails over automatically across zones, with a primary and a replica by default', () => {
    const [, group] = synthCache().single('aws_elasticache_replication_group');
    expect(group).toMatchObject({
      replication_group_id: 'acme-sessions',
      engine: 'valkey',
      engine_version: '8.0',
      node_type: 'cache.r7g.large',
      port: 6379,
      num_cache_clusters: 2,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      preferred_cache_cluster_azs: ['eu-west-1a', 'eu-west-1b'],
    });
    expect(group).not.toHaveProperty('num_node_groups');
  });

  it("spreads the nodes over the placement's zones in turn, primary first", () => {
    const [, group] = synthCache({ replicasPerNodeGroup: 3 }).single('aws_elasticache_replication_group');
    expect(group).toMatchObject({
      num_cache_clusters: 4,
      preferred_cache_cluster_azs: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1a'],
    });
  });

  it('encrypts at rest with the tenant key and requires TLS in transit', () => {
    const [, group] = synthCache().single('aws_elasticache_replication_group');
    expect(group).toMatchObject({
      at_rest_encryption_enabled: 'true',
      kms_key_id: KMS_KEY_ARN,
      transit_encryption_enabled: true,
      transit_encryption_mode: 'required',
    });
  });

  it('keeps daily snapshots and a final one, and upgrades minor versions in its maintenance window', () => {
    const { single } = synthCache({ snapshotRetentionDays: 14, snapshotWindow: '14:00-15:00', maintenanceWindow: 'sat:16:00-sat:17:00' });
    expect(single('aws_elasticache_replication_group')[1]).toMatchObject({
      snapshot_retention_limit: 14,
      snapshot_window: '14:00-15:00',
      maintenance_window: 'sat:16:00-sat:17:00',
      final_snapshot_identifier: 'acme-sessions-final',
      auto_minor_version_upgrade: 'true',
      apply_immediately: false,
    });
    expect(synthCache().single('aws_elasticache_replication_group')[1]).toMatchObject({
      snapshot_retention_limit: 7,
      snapshot_window: '01:00-02:00',
      maintenance_window: 'sun:02:30-sun:03:30',
    });
  });

  it('sits in the data subnets, reachable on 6379 from the allowed security groups only, ingress and egress', () => {
    const synth = synthCache();
    const { single } = synth;
    const [securityGroupId, securityGroup] = single('aws_security_group');
    const [subnetGroupId, subnetGroup] = single('aws_elasticache_subnet_group');
    expect(subnetGroup).toMatchObject({ name: 'acme-sessions', subnet_ids: DATA_SUBNET_IDS });
    expect(securityGroup).toMatchObject({ name: 'acme-cache-sessions', vpc_id: VPC_ID });
    expect(securityGroup['ingress']).toBeUndefined();
    expect(securityGroup['egress']).toBeUndefined();
    expect(single('aws_elasticache_replication_group')[1]).toMatchObject({
      subnet_group_name: ref('aws_elasticache_subnet_group', subnetGroupId, 'name'),
      security_group_ids: [ref('aws_security_group', securityGroupId)],
    });
    const sources = [APP_SECURITY_GROUP_ID, WORKER_SECURITY_GROUP_ID];
    expect(securityGroupRules(synth)).toEqual(connectionRules(ref('aws_security_group', securityGroupId), sources, 6379));
  });

  describe('authentication', () => {
    it('lets clients in with AUTH <password> as the default user, which PHP session handlers can do, and no administration', () => {
      const { single, users } = synthCache();
      const [appId, app] = users().app;
      expect(app).toEqual({
        engine: 'redis',
        user_id: 'acme-sessions-app',
        user_name: 'default',
        access_string: 'on ~* +@all -@dangerous',
        authentication_mode: { type: 'password', passwords: ['test-cache-password-0123456789'] },
        tags: { Name: 'acme-cache-sessions' },
      });
      const [userGroupId, userGroup] = single('aws_elasticache_user_group');
      expect(userGroup).toMatchObject({
        engine: 'redis',
        user_group_id: 'acme-sessions',
        user_ids: [ref('aws_elasticache_user', appId, 'user_id')],
      });
      const [, group] = single('aws_elasticache_replication_group');
      expect(group['user_group_ids']).toEqual([ref('aws_elasticache_user_group', userGroupId, 'user_group_id')]);
      expect(group).toMatchObject({ transit_encryption_enabled: true, transit_encryption_mode: 'required' });
      expect(group).not.toHaveProperty('auth_token');
    });

    it('gives each purpose its own user id, so a tenant can run both caches in one account', () => {
      const { users, single } = synthCache({ purpose: 'application' });
      expect(users().app[1]).toMatchObject({ user_id: 'acme-application-app', user_name: 'default' });
      expect(single('aws_elasticache_replication_group')[1]['replication_group_id']).toBe('acme-application');
    });

    it('applies node-type changes in the maintenance window unless asked for now', () => {
      expect(synthCache().single('aws_elasticache_replication_group')[1]['apply_immediately']).toBe(false);
      expect(synthCache({ applyImmediately: true }).single('aws_elasticache_replication_group')[1]['apply_immediately']).toBe(true);
    });
  });

  describe('parameter group', () => {
    it('matches the engine family and keeps the engine eviction policy for sessions', () => {
      const { single } = synthCache();
      const [groupId, group] = single('aws_elasticache_parameter_group');
      expect(group).toMatchObject({ name: 'acme-sessions-valkey8', family: 'valkey8', lifecycle: { create_before_destroy: true } });
      expect(group).not.toHaveProperty('parameter');
      expect(single('aws_elasticache_replication_group')[1]['parameter_group_name']).toBe(
        ref('aws_elasticache_parameter_group', groupId, 'name'),
      );
    });

    it('runs Redis OSS 7.1 with the redis7 family when asked', () => {
      const { single } = synthCache({ engine: 'redis' });
      expect(single('aws_elasticache_replication_group')[1]).toMatchObject({ engine: 'redis', engine_version: '7.1' });
      expect(single('aws_elasticache_parameter_group')[1]).toMatchObject({ name: 'acme-sessions-redis7', family: 'redis7' });
    });

    it('evicts any key of an application cache', () => {
      const [, group] = synthCache({ purpose: 'application' }).single('aws_elasticache_parameter_group');
      expect(group['parameter']).toEqual([{ name: 'maxmemory-policy', value: 'allkeys-lru' }]);
    });
  });

  it('exposes its outputs, with the member ids ElastiCache gives the nodes', () => {
    const { outputs, single, users } = synthCache({ replicasPerNodeGroup: 2 });
    const [groupId] = single('aws_elasticache_replication_group');
    expect(users().app).toBeDefined();
    expect(outputs).toEqual({
      replicationGroupId: ref('aws_elasticache_replication_group', groupId),
      primaryEndpoint: ref('aws_elasticache_replication_group', groupId, 'primary_endpoint_address'),
      readerEndpoint: ref('aws_elasticache_replication_group', groupId, 'reader_endpoint_address'),
      port: 6379,
      securityGroupId: ref('aws_security_group', single('aws_security_group')[0]),
      memberClusterIds: ['acme-sessions-001', 'acme-sessions-002', 'acme-sessions-003'],
      replicationGroupArn: ref('aws_elasticache_replication_group', groupId, 'arn'),
      username: 'default',
    });
  });

  it('keeps ids within 40 characters and distinct for long tenant names', () => {
    const name = 'a-very-long-tenant-name-of-forty-chars-x';
    expect(name).toHaveLength(40);
    const { resources, single } = synthCache({ name, purpose: 'application' });
    const ids = [
      single('aws_elasticache_replication_group')[1]['replication_group_id'],
      single('aws_elasticache_user_group')[1]['user_group_id'],
      ...Object.values(resources('aws_elasticache_user')).map((u) => u['user_id']),
    ] as string[];
    // The user group shares the replication group's id (separate namespaces); the user has its own.
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) {
      expect(id.length).toBeLessThanOrEqual(40);
      expect(id).toMatch(/^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/);
    }
  });

  it('rejects settings that would lose failover or reachability', () => {
    expect(() => synthCache({ replicasPerNodeGroup: 0 })).toThrow(
      'CacheCluster acme: replicasPerNodeGroup must be a whole number between 1 and 5 (failover needs a replica), got 0',
    );
    expect(() => synthCache({ placement: placementOf(['subnet-1']) })).toThrow(
      'CacheCluster acme: placement needs subnets in at least 2 zones, got 1 (eu-west-1a); give the data subnets (Network.dataPlacement)',
    );
    expect(() => synthCache({ placement: placementOf(['subnet-1', 'subnet-2'], ['eu-west-1a', 'eu-west-1a']) })).toThrow(
      /CacheCluster acme: placement has more than one subnet in zone eu-west-1a/,
    );
    expect(() => synthCache({ allowedSecurityGroupIds: [] })).toThrow(/allowedSecurityGroupIds needs at least one/);
    expect(() => synthCache({ snapshotRetentionDays: 0 })).toThrow(/snapshotRetentionDays must be a whole number between 1 and 35/);
  });
});

/** The real terraform and AWS provider accept both engines and both purposes. */
describeWithTerraform('CacheCluster with the real terraform', () => {
  it('initialises, validates and plans offline', async () => {
    const summary = await planOffline((stack) => {
      offlineAwsProvider(stack);
      cacheCluster(stack, {}, 'sessions');
      cacheCluster(stack, { purpose: 'application', engine: 'redis', replicasPerNodeGroup: 2 }, 'application');
    });

    expectOnlyCreates(summary);
    expect(createdCounts(summary)).toMatchObject({
      aws_elasticache_replication_group: 2,
      aws_elasticache_parameter_group: 2,
      aws_elasticache_subnet_group: 2,
      aws_elasticache_user: 2,
      aws_elasticache_user_group: 2,
      aws_security_group: 2,
      aws_vpc_security_group_ingress_rule: 4,
      aws_vpc_security_group_egress_rule: 4,
    });
    expect(summary.resourceCount).toBe(summary.add);
  });
});
