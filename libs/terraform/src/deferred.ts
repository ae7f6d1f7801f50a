/**
 * Changes AWS holds back for the maintenance window. With `apply_immediately` false (the
 * provider's default, and the stack's), RDS and ElastiCache accept an update but apply some of it
 * only in the resource's next maintenance window: terraform reports the apply done while the
 * database still runs the old instance class or engine. The plan summary names those changes.
 */

/** One planned update whose effect waits for the resource's maintenance window. */
export interface DeferredChange {
  readonly address: string;
  readonly type: string;
  /** The changed attributes AWS applies in the window, in the order of DEFERRED_ATTRIBUTES. */
  readonly attributes: readonly string[];
  /**
   * The maintenance window as AWS stores it, in UTC (`sun:16:00-sun:16:30`); undefined when the
   * plan does not know it yet (AWS picks one when none is set).
   */
  readonly window?: string;
}

/** A deferrable attribute; `when` narrows it to the changes AWS defers (default: any change). */
interface DeferredAttribute {
  readonly name: string;
  readonly when?: (before: unknown, after: unknown) => boolean;
}

const attrs = (...names: string[]): DeferredAttribute[] => names.map((name) => ({ name }));

/**
 * Per resource type: the window attribute and the attributes whose change waits for it.
 *
 * Sources (searched and read; attribute names are the AWS provider 5.100's):
 * - RDS instances: Amazon RDS User Guide, "Modifying an Amazon RDS DB instance", table "Settings
 *   for DB instances" (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.DBInstance.Modifying.html):
 *   "If you don't choose to apply the change immediately, it occurs during the next maintenance
 *   window" for allocated storage, certificate authority, DB engine version, DB instance class, DB
 *   instance identifier, IAM DB authentication, Kerberos authentication (domain), license model,
 *   Multi-AZ, network type, option group, Provisioned IOPS, storage type and DB subnet group; the
 *   backup retention period only when it changes from 0 to non-zero or back ("Otherwise, the change
 *   occurs during the next maintenance window"; non-zero to non-zero is applied at once). Storage
 *   throughput is part of the same storage modification as storage type and IOPS. Not deferred,
 *   so not listed: the DB parameter group ("The parameter group change occurs immediately"; its
 *   static parameters wait for a reboot, not the window), port, master password, maintenance and
 *   backup windows, monitoring, Performance Insights, deletion protection, security groups,
 *   max allocated storage, public access, copy tags, auto minor version upgrade, log exports.
 * - Aurora clusters: RDS API Reference, ModifyDBCluster, `ApplyImmediately` ("If this parameter is
 *   disabled, changes to the DB cluster are applied during the next maintenance window") and
 *   `EngineVersion` ("The change is applied during the next maintenance window unless
 *   ApplyImmediately is enabled"); instance class, storage and network type apply to Multi-AZ DB
 *   clusters as to DB instances. Aurora instances are DB instances (ModifyDBInstance): instance
 *   class and certificate authority as above (Aurora User Guide, "Modifying an Amazon Aurora DB
 *   cluster": "If you don't choose to apply changes immediately, the changes are deferred until
 *   the next maintenance window").
 * - ElastiCache replication groups: API Reference, ModifyReplicationGroup, `ApplyImmediately`
 *   ("If false, changes to the nodes in the replication group are applied on the next maintenance
 *   reboot"): node type, engine and engine version, and the parameter group ("applied as soon as
 *   possible ... when the ApplyImmediately parameter is specified as true"). Not deferred: the
 *   number of cache clusters, replicas and shards, which the provider changes with
 *   IncreaseReplicaCount / DecreaseReplicaCount / ModifyReplicationGroupShardConfiguration and
 *   `ApplyImmediately: true` whatever the resource says (terraform-provider-aws
 *   internal/service/elasticache/replication_group.go), nor the auth token (likewise).
 */
export const DEFERRED_ATTRIBUTES: Readonly<Record<string, { readonly window: string; readonly attributes: readonly DeferredAttribute[] }>> =
  {
    aws_db_instance: {
      window: 'maintenance_window',
      attributes: [
        ...attrs(
          'instance_class',
          'engine_version',
          'allocated_storage',
          'storage_type',
          'iops',
          'storage_throughput',
          'multi_az',
          'ca_cert_identifier',
          'identifier',
          'iam_database_authentication_enabled',
          'domain',
          'domain_iam_role_name',
          'license_model',
          'network_type',
          'option_group_name',
          'db_subnet_group_name',
        ),
        { name: 'backup_retention_period', when: (before, after) => (before === 0) !== (after === 0) },
      ],
    },
    aws_rds_cluster: {
      window: 'preferred_maintenance_window',
      attributes: attrs('engine_version', 'db_cluster_instance_class', 'allocated_storage', 'storage_type', 'iops', 'network_type'),
    },
    aws_rds_cluster_instance: {
      window: 'preferred_maintenance_window',
      attributes: attrs('instance_class', 'ca_cert_identifier'),
    },
    aws_elasticache_replication_group: {
      window: 'maintenance_window',
      attributes: attrs('node_type', 'engine', 'engine_version', 'parameter_group_name'),
    },
  };

/** The parts of a resource change in `terraform show -json` that deferral reads. */
export interface ChangeValues {
  readonly actions: readonly string[];
  readonly before?: Record<string, unknown> | null;
  readonly after?: Record<string, unknown> | null;
  /** `true` for attributes known only after apply. */
  readonly after_unknown?: Record<string, unknown> | null;
}

/**
 * The deferred part of one planned resource change, or undefined: only in-place updates of the
 * types above, with `apply_immediately` false or unset (AWS's default is false), that change a
 * deferrable attribute. A replacement creates a new resource, which nothing defers.
 */
export function deferredChange(resource: { address: string; type: string }, change: ChangeValues): DeferredChange | undefined {
  const rules = DEFERRED_ATTRIBUTES[resource.type];
  if (!rules || change.actions.join(',') !== 'update') return undefined;
  const before = change.before ?? {};
  const after = change.after ?? {};
  const unknown = change.after_unknown ?? {};
  if (after['apply_immediately'] === true) return undefined;
  const attributes = rules.attributes
    .filter(({ name, when }) => {
      // Known only after apply: it may change, unless the rule needs both values to tell.
      if (unknown[name] === true) return when === undefined;
      return !sameValue(before[name], after[name]) && (when?.(before[name], after[name]) ?? true);
    })
    .map((a) => a.name);
  if (attributes.length === 0) return undefined;
  const window = after[rules.window];
  return { address: resource.address, type: resource.type, attributes, ...(typeof window === 'string' && window ? { window } : {}) };
}

/** "waits for the maintenance window sun:16:00-sun:16:30 UTC" (or "… the next maintenance window AWS picks"). */
export function describeWindow(change: Pick<DeferredChange, 'window'>): string {
  return change.window ? `waits for the maintenance window ${change.window} UTC` : 'waits for the next maintenance window (AWS picks it)';
}

/** One line a person reads: what changes, and when AWS applies it. */
export function describeDeferred(change: DeferredChange): string {
  return `${change.address} (${change.attributes.join(', ')}) ${describeWindow(change)}`;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
