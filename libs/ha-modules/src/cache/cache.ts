import { Construct } from 'constructs';
import { ElasticacheParameterGroup } from '@cdktf/provider-aws/lib/elasticache-parameter-group';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import { ElasticacheUser } from '@cdktf/provider-aws/lib/elasticache-user';
import { ElasticacheUserGroup } from '@cdktf/provider-aws/lib/elasticache-user-group';
import { boundedName } from '../naming.js';
import { assertPlacement, subnetIdsOf, zonesOf, type SubnetPlacement } from '../network/placement.js';
import { TierSecurityGroup } from '../network/tier-security-group.js';

export type CachePurpose = 'sessions' | 'application';
export type CacheEngine = 'valkey' | 'redis';

export interface CacheClusterProps {
  /** Tenant name: prefix of every resource name and Name tag. */
  readonly name: string;
  /**
   * What the cache holds; part of every name, so a tenant can have both. Sessions keep the engine's
   * `volatile-lru` eviction (only keys with a TTL go); an application cache evicts any key (`allkeys-lru`).
   * @default 'sessions'
   */
  readonly purpose?: CachePurpose;
  /** @default 'valkey' (version 8.0); 'redis' runs Redis OSS 7.1 */
  readonly engine?: CacheEngine;
  /** @default 'cache.r7g.large' */
  readonly nodeType?: string;
  /** Replicas of the primary (≥ 1, ≤ 5); the group has 1 + replicas nodes. @default 1 */
  readonly replicasPerNodeGroup?: number;
  /**
   * The private data subnets (`Network.dataPlacement`), in at least 2 zones: the nodes are spread
   * over their zones in turn, the primary in the first.
   */
  readonly placement: SubnetPlacement;
  /**
   * Security groups of the app and worker instances: the only sources allowed on port 6379 (≥ 1).
   * Each also gets its egress rule to the cache, so the connection is complete.
   */
  readonly allowedSecurityGroupIds: string[];
  /** The tenant's KMS key for data at rest and snapshots. */
  readonly kmsKeyArn: string;
  /** Days of daily snapshots kept, 1–35. @default 7 */
  readonly snapshotRetentionDays?: number;
  /** Daily snapshot window, UTC `hh:mm-hh:mm`; choose the tenant's night. @default '01:00-02:00' */
  readonly snapshotWindow?: string;
  /** Weekly maintenance window, UTC `ddd:hh:mm-ddd:hh:mm`, not overlapping the snapshot window. @default 'sun:02:30-sun:03:30' */
  readonly maintenanceWindow?: string;
  /**
   * The password clients send with `AUTH <password>` (the `default` user's, which is what Moodle's,
   * Totara's and most Redis clients can do), e.g. a `CredentialsSecret`'s; 16–128 characters.
   */
  readonly authPassword: string;
  /** Apply node-type and engine changes now instead of in the maintenance window. @default false */
  readonly applyImmediately?: boolean;
}

const PORT = 6379;
/** ElastiCache replication group, user and user group ids: 40 characters. */
const ID_MAX = 40;
const ENGINES: Record<CacheEngine, { version: string; family: string }> = {
  valkey: { version: '8.0', family: 'valkey8' },
  redis: { version: '7.1', family: 'redis7' },
};
/** Everything but administration (CONFIG, FLUSHALL, KEYS, MONITOR, DEBUG...). */
const APP_ACCESS_STRING = 'on ~* +@all -@dangerous';
/**
 * Users and user group of engine "redis": a "valkey" user group may not hold a user without a
 * password, and a "redis" group is accepted by both Valkey and Redis OSS replication groups.
 */
const RBAC_ENGINE = 'redis';

/**
 * A Valkey/Redis OSS replication group (cluster mode disabled) that survives the loss of a node or
 * a zone: a primary and replicas in several zones, automatic failover, Multi-AZ, TLS required,
 * encrypted at rest with the tenant's key, daily snapshots and a final snapshot on deletion.
 * Clients authenticate as the `default` user with `authPassword` (RBAC, password mode): what the
 * PHP session handlers and most Redis clients can do, unlike IAM tokens. The access string allows
 * no administration commands.
 */
export class CacheCluster extends Construct {
  readonly replicationGroupId: string;
  /** Host name of the primary. */
  readonly primaryEndpoint: string;
  /** Host name spreading reads over the replicas. */
  readonly readerEndpoint: string;
  readonly port: number;
  readonly securityGroupId: string;
  /**
   * Ids of the member cache clusters (nodes), `<replicationGroupId>-001`, `-002`...: the names
   * ElastiCache gives them, known at synthesis so that per-node alarms can be declared.
   */
  readonly memberClusterIds: string[];
  readonly replicationGroupArn: string;
  /** User name clients authenticate as. */
  readonly username = 'default';

  constructor(scope: Construct, id: string, props: CacheClusterProps) {
    super(scope, id);
    const settings = withDefaults(props);
    const { name, purpose, groupId } = settings;
    const engine = ENGINES[settings.engine];
    const tags = { Name: `${name}-cache-${purpose}` };

    const securityGroup = new TierSecurityGroup(this, 'Default', {
      name: `${name}-cache-${purpose}`,
      description: `${name}: ${purpose} cache, reachable from the app and worker instances only`,
      vpcId: props.placement.vpcId,
    });
    securityGroup.allowFrom(props.allowedSecurityGroupIds, PORT, (n) => `Cache port from allowed security group ${n}`);

    const subnetGroup = new ElasticacheSubnetGroup(this, 'subnet-group', {
      name: groupId,
      description: `${name}: ${purpose} cache subnets`,
      subnetIds: subnetIdsOf(props.placement),
      tags,
    });
    const parameterGroup = new ElasticacheParameterGroup(this, 'parameter-group', {
      // The family is in the name, so that an engine upgrade creates the new group before dropping the old.
      name: `${groupId}-${engine.family}`,
      family: engine.family,
      description: `${name}: ${purpose} cache`,
      parameter: purpose === 'application' ? [{ name: 'maxmemory-policy', value: 'allkeys-lru' }] : undefined,
      tags,
      lifecycle: { createBeforeDestroy: true },
    });

    // Every user group must hold a user named "default": here it is the application's, with a password.
    const appUser = new ElasticacheUser(this, 'default-user', {
      engine: RBAC_ENGINE,
      userId: boundedName(groupId, 'app', ID_MAX),
      userName: 'default',
      accessString: APP_ACCESS_STRING,
      authenticationMode: { type: 'password', passwords: [props.authPassword] },
      tags,
    });
    const userGroup = new ElasticacheUserGroup(this, 'user-group', {
      engine: RBAC_ENGINE,
      userGroupId: groupId,
      userIds: [appUser.userId],
      tags,
    });

    const nodeCount = 1 + settings.replicasPerNodeGroup;
    const zones = zonesOf(props.placement);
    const replicationGroup = new ElasticacheReplicationGroup(this, 'replication-group', {
      replicationGroupId: groupId,
      description: `${name}: ${purpose} cache`,
      engine: settings.engine,
      engineVersion: engine.version,
      parameterGroupName: parameterGroup.name,
      nodeType: settings.nodeType,
      port: PORT,
      numCacheClusters: nodeCount,
      preferredCacheClusterAzs: Array.from({ length: nodeCount }, (_, index) => zones[index % zones.length]!),
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      subnetGroupName: subnetGroup.name,
      securityGroupIds: [securityGroup.securityGroupId],
      atRestEncryptionEnabled: 'true',
      kmsKeyId: props.kmsKeyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      userGroupIds: [userGroup.userGroupId],
      snapshotRetentionLimit: settings.snapshotRetentionDays,
      snapshotWindow: settings.snapshotWindow,
      maintenanceWindow: settings.maintenanceWindow,
      finalSnapshotIdentifier: `${groupId}-final`,
      autoMinorVersionUpgrade: 'true',
      applyImmediately: props.applyImmediately ?? false,
      tags,
    });

    this.replicationGroupId = replicationGroup.id;
    this.primaryEndpoint = replicationGroup.primaryEndpointAddress;
    this.readerEndpoint = replicationGroup.readerEndpointAddress;
    this.port = PORT;
    this.securityGroupId = securityGroup.securityGroupId;
    this.memberClusterIds = Array.from({ length: nodeCount }, (_, index) => `${groupId}-${String(index + 1).padStart(3, '0')}`);
    this.replicationGroupArn = replicationGroup.arn;
  }
}

interface CacheSettings {
  readonly name: string;
  readonly purpose: CachePurpose;
  readonly engine: CacheEngine;
  readonly groupId: string;
  readonly nodeType: string;
  readonly replicasPerNodeGroup: number;
  readonly snapshotRetentionDays: number;
  readonly snapshotWindow: string;
  readonly maintenanceWindow: string;
}

function withDefaults(props: CacheClusterProps): CacheSettings {
  const fail = (message: string): never => {
    throw new Error(`CacheCluster ${props.name}: ${message}`);
  };
  const purpose = props.purpose ?? 'sessions';
  const engine = props.engine ?? 'valkey';
  const replicasPerNodeGroup = props.replicasPerNodeGroup ?? 1;
  const snapshotRetentionDays = props.snapshotRetentionDays ?? 7;

  if (purpose !== 'sessions' && purpose !== 'application') fail(`purpose must be "sessions" or "application", got "${purpose}"`);
  if (!(engine in ENGINES)) fail(`engine must be "valkey" or "redis", got "${engine}"`);
  if (!Number.isInteger(replicasPerNodeGroup) || replicasPerNodeGroup < 1 || replicasPerNodeGroup > 5) {
    fail(`replicasPerNodeGroup must be a whole number between 1 and 5 (failover needs a replica), got ${replicasPerNodeGroup}`);
  }
  if (!Number.isInteger(snapshotRetentionDays) || snapshotRetentionDays < 1 || snapshotRetentionDays > 35) {
    fail(`snapshotRetentionDays must be a whole number between 1 and 35, got ${snapshotRetentionDays}`);
  }
  assertPlacement(`CacheCluster ${props.name}`, props.placement, { minZones: 2, give: 'the data subnets (Network.dataPlacement)' });
  if (props.allowedSecurityGroupIds.length === 0)
    fail('allowedSecurityGroupIds needs at least one security group (the app instances), or nothing can reach the cache');

  return {
    name: props.name,
    purpose,
    engine,
    // ElastiCache ids are lower case; a hash keeps long tenant names apart.
    groupId: boundedName(props.name.toLowerCase(), purpose, ID_MAX),
    nodeType: props.nodeType ?? 'cache.r7g.large',
    replicasPerNodeGroup,
    snapshotRetentionDays,
    snapshotWindow: props.snapshotWindow ?? '01:00-02:00',
    maintenanceWindow: props.maintenanceWindow ?? 'sun:02:30-sun:03:30',
  };
}
