/**
 * Which resources hold data. Replacing or deleting one of these loses what it holds, so the plan
 * summary flags them and apply refuses them unless a run allows that exact tenant and address.
 */

/** Resource types that hold data, with what a replacement or deletion loses. The one list. */
export const STATEFUL_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  aws_db_instance: 'an RDS database: its data and automated backups',
  aws_rds_cluster: 'an Aurora cluster: its data and automated backups',
  aws_rds_global_cluster: 'an Aurora global cluster and its data',
  aws_docdb_cluster: 'a DocumentDB cluster and its data',
  aws_neptune_cluster: 'a Neptune cluster and its data',
  aws_redshift_cluster: 'a Redshift cluster and its data',
  aws_dynamodb_table: 'a DynamoDB table and its items',
  aws_elasticache_replication_group: 'an ElastiCache replication group: sessions and cached data',
  aws_elasticache_cluster: 'an ElastiCache cluster and its data',
  aws_elasticache_serverless_cache: 'an ElastiCache serverless cache and its data',
  aws_memorydb_cluster: 'a MemoryDB cluster and its data',
  aws_opensearch_domain: 'an OpenSearch domain and its indices',
  aws_efs_file_system: 'an EFS file system and every file on it',
  aws_fsx_lustre_file_system: 'an FSx file system and every file on it',
  aws_fsx_ontap_file_system: 'an FSx file system and every file on it',
  aws_fsx_openzfs_file_system: 'an FSx file system and every file on it',
  aws_fsx_windows_file_system: 'an FSx file system and every file on it',
  aws_ebs_volume: 'an EBS volume and its data',
  aws_s3_bucket: 'an S3 bucket and every object version in it',
  aws_kms_key: 'a KMS key: everything encrypted with it becomes unreadable',
  aws_backup_vault: 'a backup vault and its recovery points',
};

/**
 * A resource the type list does not know can be marked stateful in the stack itself, in the
 * comment object terraform ignores: `"//": { "hafleet": { "stateful": "what it holds" } }`
 * (or `true`). From cdktf: `resource.addOverride('//.hafleet.stateful', 'what it holds')`.
 */
export const STATEFUL_MARKER_PATH = ['//', 'hafleet', 'stateful'] as const;

export interface ResourceRef {
  readonly address: string;
  readonly type: string;
}

/** What the resource holds when it is stateful, else undefined. */
export type StatefulClassifier = (resource: ResourceRef) => string | undefined;

/** The default: by type, from STATEFUL_RESOURCE_TYPES. */
export const statefulByType: StatefulClassifier = (resource) => STATEFUL_RESOURCE_TYPES[resource.type];

/** `aws_s3_bucket.logs["eu"]` → `aws_s3_bucket.logs`: marks and allowances name the resource block. */
export function resourceBlockAddress(address: string): string {
  const bracket = address.indexOf('[');
  return bracket === -1 ? address : address.slice(0, bracket);
}

/** Addresses marked stateful in a terraform JSON stack (root module), with what they hold. */
export function statefulMarks(stackJson: unknown): Map<string, string> {
  const marks = new Map<string, string>();
  const resources = (stackJson as { resource?: Record<string, Record<string, Record<string, unknown>>> } | null)?.resource ?? {};
  for (const [type, byName] of Object.entries(resources)) {
    for (const [name, block] of Object.entries(byName ?? {})) {
      const comment = block?.['//'] as { hafleet?: { stateful?: unknown } } | undefined;
      const mark = comment?.hafleet?.stateful;
      if (mark === true) marks.set(`${type}.${name}`, `${type}.${name} (marked stateful in the stack)`);
      else if (typeof mark === 'string' && mark.trim()) marks.set(`${type}.${name}`, mark.trim());
    }
  }
  return marks;
}

/** By type, plus the resources the stack marks stateful. */
export function statefulClassifier(marks: ReadonlyMap<string, string> = new Map()): StatefulClassifier {
  return (resource) => marks.get(resourceBlockAddress(resource.address)) ?? statefulByType(resource);
}
