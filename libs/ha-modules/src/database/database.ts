import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { IAM_ROLE_NAME_MAX, serviceTrustPolicy } from '../iam.js';
import { boundedName } from '../naming.js';
import { assertPlacement, subnetIdsOf, zonesOf, type SubnetPlacement } from '../network/placement.js';
import { TierSecurityGroup } from '../network/tier-security-group.js';
import { CredentialsSecret } from '../secrets/credentials-secret.js';

/** The application's database user (the provisioner alternates `<name>_a` / `<name>_b` on rotation). */
export const APP_USERNAME = 'hafleet_app';

export type DatabaseEngine = 'mysql' | 'postgres' | 'aurora-mysql' | 'aurora-postgresql';

export interface DatabaseProps {
  /** Tenant name: prefix of every resource name and Name tag. */
  readonly name: string;
  /** `mysql`/`postgres`: RDS Multi-AZ instance; `aurora-*`: Aurora cluster with a writer and readers. */
  readonly engine: DatabaseEngine;
  /**
   * Engine version. A major version alone lets AWS pick its current minor and lets automatic minor
   * upgrades happen without the plan trying to roll them back.
   * @default mysql '8.0', postgres '16', aurora-mysql '8.0' (Aurora MySQL 3), aurora-postgresql '16'
   */
  readonly engineVersion?: string;
  /** Instance class of every database instance, e.g. `db.r6g.large`. */
  readonly instanceClass: string;
  /** RDS only: initial gp3 storage; storage autoscales up to 4×. @default 100 */
  readonly allocatedStorageGiB?: number;
  /** Aurora only: reader instances, spread over the zones other than the writer's (≥ 1). @default 1 */
  readonly readerCount?: number;
  /**
   * The private data subnets (`Network.dataPlacement`), in at least 2 zones. Aurora's writer goes
   * to the first zone, its readers to the others in turn.
   */
  readonly placement: SubnetPlacement;
  /**
   * Security groups of the app and worker instances: the only sources allowed on the engine port (≥ 1).
   * Each also gets its egress rule to the database, so the connection is complete.
   */
  readonly allowedSecurityGroupIds: string[];
  /** The tenant's KMS key: storage, master-password secret and Performance Insights. */
  readonly kmsKeyArn: string;
  /** Days of automated backups (point-in-time recovery), 7–35. @default 14 */
  readonly backupRetentionDays?: number;
  /** Database created at launch. @default the tenant name with hyphens replaced by underscores */
  readonly databaseName?: string;
  /** Master user; its password is generated and kept in Secrets Manager by RDS. @default 'hafleet_admin' */
  readonly masterUsername?: string;
  /**
   * Daily backup and weekly maintenance windows in UTC (`hh:mm-hh:mm`, `ddd:hh:mm-ddd:hh:mm`), in
   * the client's night and apart from each other. @default AWS picks them (often in the client's day)
   */
  readonly windows?: { readonly backupWindow: string; readonly maintenanceWindow: string };
  /** Apply instance-class, storage and engine changes now instead of in the maintenance window. @default false */
  readonly applyImmediately?: boolean;
  /**
   * Create the database from this snapshot (a DB snapshot for RDS, a cluster snapshot for Aurora;
   * an AWS Backup recovery point ARN is one): the restore drill's and a DR restore's database.
   * @default an empty database
   */
  readonly snapshotIdentifier?: string;
}

interface EngineTraits {
  readonly kind: 'instance' | 'cluster';
  readonly port: number;
  readonly defaultVersion: string;
  /** Parameter-group family for a version, or undefined when the version is not recognised. */
  readonly family: (version: string) => string | undefined;
  readonly logExports: string[];
  /** TLS-only connections, plus what the exported logs need to have content. */
  readonly parameters: { name: string; value: string; applyMethod: 'immediate' | 'pending-reboot' }[];
  readonly maxUsernameLength: number;
}

/** Parameter-group family `<prefix><version part>`, e.g. mysql8.0 from "8.0.39", postgres16 from "16.4". */
const versionFamily = (prefix: string, versionPart: RegExp) => (version: string) => {
  const match = versionPart.exec(version);
  return match ? `${prefix}${match[1]}` : undefined;
};
/** "8.0", "8.0.39", "8.0.mysql_aurora.3.08.2" → "8.0" */
const MAJOR_MINOR = /^(\d+\.\d+)(?:\.|$)/;
/** "16", "16.4" → "16" */
const MAJOR = /^(\d+)(?:\.\d+)?$/;

const MYSQL_SLOW_QUERY_LOG = [
  { name: 'slow_query_log', value: '1', applyMethod: 'immediate' },
  { name: 'long_query_time', value: '1', applyMethod: 'immediate' },
  { name: 'log_output', value: 'FILE', applyMethod: 'immediate' },
] as const;
const POSTGRES_SLOW_QUERY_LOG = { name: 'log_min_duration_statement', value: '1000', applyMethod: 'immediate' } as const;
// Static on some versions: pending-reboot is accepted either way and a new database starts with it.
const POSTGRES_FORCE_SSL = { name: 'rds.force_ssl', value: '1', applyMethod: 'pending-reboot' } as const;

const ENGINES: Record<DatabaseEngine, EngineTraits> = {
  mysql: {
    kind: 'instance',
    port: 3306,
    defaultVersion: '8.0',
    family: versionFamily('mysql', MAJOR_MINOR),
    logExports: ['error', 'slowquery'],
    parameters: [{ name: 'require_secure_transport', value: '1', applyMethod: 'immediate' }, ...MYSQL_SLOW_QUERY_LOG],
    maxUsernameLength: 16,
  },
  postgres: {
    kind: 'instance',
    port: 5432,
    defaultVersion: '16',
    family: versionFamily('postgres', MAJOR),
    logExports: ['postgresql', 'upgrade'],
    parameters: [POSTGRES_FORCE_SSL, POSTGRES_SLOW_QUERY_LOG],
    maxUsernameLength: 63,
  },
  'aurora-mysql': {
    kind: 'cluster',
    port: 3306,
    defaultVersion: '8.0',
    family: versionFamily('aurora-mysql', MAJOR_MINOR),
    logExports: ['error', 'slowquery'],
    parameters: [{ name: 'require_secure_transport', value: 'ON', applyMethod: 'immediate' }, ...MYSQL_SLOW_QUERY_LOG],
    maxUsernameLength: 16,
  },
  'aurora-postgresql': {
    kind: 'cluster',
    port: 5432,
    defaultVersion: '16',
    family: versionFamily('aurora-postgresql', MAJOR),
    logExports: ['postgresql'],
    parameters: [POSTGRES_FORCE_SSL, POSTGRES_SLOW_QUERY_LOG],
    maxUsernameLength: 63,
  },
};

const MONITORING_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole';
const MONITORING_INTERVAL_SECONDS = 60;
/** The free tier of Performance Insights. */
const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;
/** RDS identifiers: 63 characters. */
const IDENTIFIER_MAX = 63;

/**
 * The tenant's relational database, highly available and unreadable without the tenant's key:
 * an RDS Multi-AZ instance (MySQL, PostgreSQL) or an Aurora cluster with a writer and readers in
 * other zones. No password exists outside Secrets Manager; connections must use TLS; only the
 * given security groups reach the engine port; deletion needs deletion protection lifted first
 * and leaves a final snapshot and the automated backups behind.
 */
export class Database extends Construct {
  /** Writer endpoint (host name). */
  readonly endpoint: string;
  /** Reader endpoint (host name); for an RDS instance, the same as `endpoint`. */
  readonly readerEndpoint: string;
  readonly port: number;
  readonly securityGroupId: string;
  /** Secrets Manager secret holding the master user's credentials, managed and rotated by RDS. */
  readonly masterUserSecretArn: string;
  /** ARN of the instance or cluster, e.g. for AWS Backup. */
  readonly arn: string;
  /** DB instance identifier or DB cluster identifier, e.g. for CloudWatch alarms. */
  readonly identifier: string;
  readonly kind: 'instance' | 'cluster';
  /** Aurora reader instance identifiers; empty for an RDS instance. */
  readonly readerIdentifiers: string[];
  /** Every DB instance: the instance itself, or an Aurora cluster's writer and readers. */
  readonly instanceIdentifiers: string[];
  /** The database (schema) created at launch. */
  readonly databaseName: string;
  /**
   * The application user's secret `{username, password}`: created empty here and written by the
   * database provisioner (a job inside the VPC with the master secret), so the password never
   * reaches the terraform state and the application never uses the master user.
   */
  readonly appCredentials: CredentialsSecret;
  /** What must exist before a client can connect: the instance, or the cluster and its writer. */
  readonly available: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const settings = withDefaults(props);
    const { name, traits, identifier } = settings;
    this.kind = traits.kind;
    this.port = traits.port;
    this.databaseName = settings.databaseName;
    this.appCredentials = new CredentialsSecret(this, 'app-credentials', {
      secretName: `hafleet/${name}/database/app`,
      description: `${name}: the application's database user (written by the database provisioner)`,
      kmsKeyArn: props.kmsKeyArn,
      username: APP_USERNAME,
      writer: 'external',
    });
    const applyImmediately = props.applyImmediately ?? false;
    const windows = props.windows;

    const securityGroup = new TierSecurityGroup(this, 'Default', {
      name: `${name}-db`,
      description: `${name}: database, reachable from the app and worker instances only`,
      vpcId: props.placement.vpcId,
    });
    securityGroup.allowFrom(props.allowedSecurityGroupIds, traits.port, (n) => `Database port from allowed security group ${n}`);
    this.securityGroupId = securityGroup.securityGroupId;

    const subnetGroup = new DbSubnetGroup(this, 'subnet-group', {
      name: identifier,
      description: `${name}: database subnets`,
      subnetIds: subnetIdsOf(props.placement),
      tags: { Name: `${name}-db` },
    });

    const monitoringRole = new IamRole(this, 'monitoring-role', {
      name: boundedName(name, 'db-monitoring', IAM_ROLE_NAME_MAX),
      assumeRolePolicy: serviceTrustPolicy('monitoring.rds.amazonaws.com'),
      tags: { Name: `${name}-db-monitoring` },
    });
    const monitoringPolicy = new IamRolePolicyAttachment(this, 'monitoring-policy', {
      role: monitoringRole.name,
      policyArn: MONITORING_POLICY_ARN,
    });
    // Instance-level guarantees shared by the RDS instance and every Aurora instance.
    const instanceSettings = {
      instanceClass: props.instanceClass,
      publiclyAccessible: false,
      autoMinorVersionUpgrade: true,
      copyTagsToSnapshot: true,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: props.kmsKeyArn,
      performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_RETENTION_DAYS,
      monitoringInterval: MONITORING_INTERVAL_SECONDS,
      monitoringRoleArn: monitoringRole.arn,
      applyImmediately,
      // RDS checks that it can assume the role with its policy at creation.
      dependsOn: [monitoringPolicy],
    };
    // Storage and data-protection guarantees shared by the RDS instance and the Aurora cluster.
    const dataSettings = {
      engine: props.engine,
      engineVersion: settings.engineVersion,
      port: traits.port,
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.kmsKeyArn,
      backupRetentionPeriod: settings.backupRetentionDays,
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${identifier}-final`,
      // Point-in-time recovery stays possible after an accidental deletion.
      deleteAutomatedBackups: false,
      copyTagsToSnapshot: true,
      enabledCloudwatchLogsExports: traits.logExports,
      iamDatabaseAuthenticationEnabled: true,
      applyImmediately,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroupId],
      ...(props.snapshotIdentifier ? { snapshotIdentifier: props.snapshotIdentifier } : {}),
      tags: { Name: `${name}-db` },
    };
    const parameterGroup = {
      // The family is in the name, so that a major upgrade creates the new group before dropping the old.
      name: `${identifier}-${settings.family.replace(/\./g, '-')}`,
      family: settings.family,
      description: `${name}: TLS-only connections and slow-query logging`,
      parameter: traits.parameters.map((p) => ({ ...p })),
      tags: { Name: `${name}-db` },
      lifecycle: { createBeforeDestroy: true },
    };

    if (traits.kind === 'instance') {
      const parameters = new DbParameterGroup(this, 'parameter-group', parameterGroup);
      const instance = new DbInstance(this, 'instance', {
        ...dataSettings,
        ...instanceSettings,
        identifier,
        dbName: settings.databaseName,
        username: settings.masterUsername,
        multiAz: true,
        storageType: 'gp3',
        allocatedStorage: settings.allocatedStorageGiB,
        maxAllocatedStorage: settings.allocatedStorageGiB * 4,
        parameterGroupName: parameters.name,
        backupWindow: windows?.backupWindow,
        maintenanceWindow: windows?.maintenanceWindow,
      });
      this.endpoint = instance.address;
      this.readerEndpoint = instance.address;
      this.masterUserSecretArn = instance.masterUserSecret.get(0).secretArn;
      this.arn = instance.arn;
      this.identifier = instance.identifier;
      this.readerIdentifiers = [];
      this.instanceIdentifiers = [instance.identifier];
      this.available = [instance];
      return;
    }

    const parameters = new RdsClusterParameterGroup(this, 'cluster-parameter-group', parameterGroup);
    const cluster = new RdsCluster(this, 'cluster', {
      ...dataSettings,
      clusterIdentifier: identifier,
      databaseName: settings.databaseName,
      masterUsername: settings.masterUsername,
      dbClusterParameterGroupName: parameters.name,
      preferredBackupWindow: windows?.backupWindow,
      preferredMaintenanceWindow: windows?.maintenanceWindow,
    });
    const zones = zonesOf(props.placement);
    const clusterInstance = (role: string, zone: string, promotionTier: number) =>
      new RdsClusterInstance(this, role, {
        ...instanceSettings,
        identifier: boundedName(identifier, role, IDENTIFIER_MAX),
        clusterIdentifier: cluster.id,
        engine: cluster.engine,
        availabilityZone: zone,
        promotionTier,
        preferredMaintenanceWindow: windows?.maintenanceWindow,
        tags: { Name: `${name}-db-${role}` },
      });
    const writer = clusterInstance('writer', zones[0]!, 0);
    // Readers take the other zones in turn; the first reader is the preferred failover target.
    const readers = Array.from({ length: settings.readerCount }, (_, index) =>
      clusterInstance(`reader-${index + 1}`, zones[1 + (index % (zones.length - 1))]!, index === 0 ? 0 : 1),
    );
    this.endpoint = cluster.endpoint;
    this.readerEndpoint = cluster.readerEndpoint;
    this.masterUserSecretArn = cluster.masterUserSecret.get(0).secretArn;
    this.arn = cluster.arn;
    this.identifier = cluster.clusterIdentifier;
    this.readerIdentifiers = readers.map((reader) => reader.identifier);
    this.instanceIdentifiers = [writer.identifier, ...this.readerIdentifiers];
    this.available = [cluster, writer];
  }
}

interface DatabaseSettings {
  readonly name: string;
  readonly traits: EngineTraits;
  readonly identifier: string;
  readonly engineVersion: string;
  readonly family: string;
  readonly allocatedStorageGiB: number;
  readonly readerCount: number;
  readonly backupRetentionDays: number;
  readonly databaseName: string;
  readonly masterUsername: string;
}

function withDefaults(props: DatabaseProps): DatabaseSettings {
  const fail = (message: string): never => {
    throw new Error(`Database ${props.name}: ${message}`);
  };
  const traits = ENGINES[props.engine] ?? fail(`engine must be one of ${Object.keys(ENGINES).join(', ')}, got "${props.engine}"`);
  const engineVersion = props.engineVersion ?? traits.defaultVersion;
  const family =
    traits.family(engineVersion) ??
    fail(`engineVersion "${engineVersion}" is not a ${props.engine} version (e.g. "${traits.defaultVersion}")`);
  const isCluster = traits.kind === 'cluster';

  if (props.allocatedStorageGiB !== undefined && isCluster)
    fail('allocatedStorageGiB applies to RDS engines only: Aurora storage grows by itself; remove it');
  if (props.readerCount !== undefined && !isCluster)
    fail('readerCount applies to Aurora engines only: an RDS Multi-AZ instance has a standby, not readers; remove it');
  const allocatedStorageGiB = props.allocatedStorageGiB ?? 100;
  const readerCount = props.readerCount ?? 1;
  const backupRetentionDays = props.backupRetentionDays ?? 14;
  const databaseName = props.databaseName ?? props.name.replace(/-/g, '_');
  const masterUsername = props.masterUsername ?? 'hafleet_admin';

  if (!Number.isInteger(allocatedStorageGiB) || allocatedStorageGiB < 20 || allocatedStorageGiB > 16384) {
    fail(`allocatedStorageGiB must be a whole number between 20 and 16384 (max 4× must stay ≤ 65536), got ${allocatedStorageGiB}`);
  }
  if (!Number.isInteger(readerCount) || readerCount < 1 || readerCount > 15)
    fail(`readerCount must be a whole number between 1 and 15, got ${readerCount}`);
  if (!Number.isInteger(backupRetentionDays) || backupRetentionDays < 7 || backupRetentionDays > 35) {
    fail(
      `backupRetentionDays must be a whole number between 7 and 35 (the fleet keeps at least 7 days of backups), got ${backupRetentionDays}`,
    );
  }
  assertPlacement(`Database ${props.name}`, props.placement, { minZones: 2, give: 'the data subnets (Network.dataPlacement)' });
  if (props.allowedSecurityGroupIds.length === 0)
    fail('allowedSecurityGroupIds needs at least one security group (the app instances), or nothing can reach the database');
  if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(databaseName)) {
    fail(`databaseName must start with a letter and hold only letters, digits and underscores (≤ 63), got "${databaseName}"`);
  }
  const usernamePattern = new RegExp(`^[A-Za-z][A-Za-z0-9_]{0,${traits.maxUsernameLength - 1}}$`);
  if (!usernamePattern.test(masterUsername)) {
    fail(
      `masterUsername must start with a letter and hold only letters, digits and underscores ` +
        `(≤ ${traits.maxUsernameLength} for ${props.engine}), got "${masterUsername}"`,
    );
  }

  return {
    name: props.name,
    traits,
    // RDS identifiers are lower case; a hash keeps long tenant names apart.
    identifier: boundedName(props.name.toLowerCase(), 'db', IDENTIFIER_MAX),
    engineVersion,
    family,
    allocatedStorageGiB,
    readerCount,
    backupRetentionDays,
    databaseName,
    masterUsername,
  };
}
