import { fail, notApplicable, verdictOf, type PolicyRule } from '../rule.js';
import { CONTENTS_TAG, block, blocks, bucketConfigs, declaredObjects, isTrue, logDestinationRoles, num, shown } from './support.js';

/** Protection: data outlives mistakes — deletion protection, snapshots, backups, versions, key rotation. */

const MIN_BACKUP_DAYS = 7;

export const PROTECTION_RULES: readonly PolicyRule[] = [
  {
    id: 'HAF-PROT-001',
    severity: 'error',
    area: 'protection',
    description: 'Databases have deletion protection',
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
    fix: 'set deletion_protection = true (turn it off by hand, deliberately, before a planned deletion)',
    check(db) {
      return verdictOf([!isTrue(db.values['deletion_protection']) && `deletion_protection is ${shown(db.values['deletion_protection'])}`]);
    },
  },
  {
    id: 'HAF-PROT-002',
    severity: 'error',
    area: 'protection',
    description: 'Deleting a database leaves a final snapshot',
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
    fix: 'set skip_final_snapshot = false and a final_snapshot_identifier',
    check(db) {
      const v = db.values;
      return verdictOf([
        isTrue(v['skip_final_snapshot']) && 'skip_final_snapshot is true',
        !v['final_snapshot_identifier'] && 'no final_snapshot_identifier',
      ]);
    },
  },
  {
    id: 'HAF-PROT-003',
    severity: 'error',
    area: 'protection',
    description: `Databases keep automated backups (point-in-time recovery) for at least ${MIN_BACKUP_DAYS} days`,
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
    fix: `set backup_retention_period from spec database.backupRetentionDays (at least ${MIN_BACKUP_DAYS})`,
    check(db) {
      const days = num(db.values['backup_retention_period']);
      return verdictOf([(days ?? 0) < MIN_BACKUP_DAYS && `backup_retention_period is ${days ?? 'unset (AWS default: 0 or 1 day)'}`]);
    },
  },
  {
    id: 'HAF-PROT-004',
    severity: 'error',
    area: 'protection',
    description: `AWS Backup copies the database, the file system and every bucket of tenant data, keeping copies at least ${MIN_BACKUP_DAYS} days`,
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster', 'aws_efs_file_system', 'aws_s3_bucket'],
    fix:
      `list the resource's ARN in an aws_backup_selection of a plan whose rules keep copies at least ` +
      `${MIN_BACKUP_DAYS} days (TenantBackup resourceArns, spec backup.retentionDays)`,
    check(resource, stack) {
      // Log buckets hold what AWS writes about the tenant, not the tenant's data.
      if (resource.type === 'aws_s3_bucket') {
        const roles = logDestinationRoles(stack, resource);
        if (roles.accessLogs || roles.cloudFrontLogs) return notApplicable;
        // A bucket that says every object of it is declared in the stack (the maintenance page):
        // believed only when objects of the stack do fill it; an apply restores them.
        const objects = declaredObjects(stack, resource);
        if (objects) {
          return objects.length > 0
            ? notApplicable
            : fail(
                `tagged ${CONTENTS_TAG.key}=${CONTENTS_TAG.value}, but no aws_s3_object of this stack fills it: its objects would be data nobody backs up`,
              );
        }
      }
      const selections = stack.referrers(resource.address, 'aws_backup_selection');
      if (selections.length === 0) return fail('no AWS Backup selection covers it');
      const rules = selections.flatMap((s) => stack.referenced(s.values['plan_id']).flatMap((plan) => blocks(plan.values['rule'])));
      // A rule without a deletion lifecycle keeps its copies forever.
      const kept = rules.map((rule) => num(block(rule['lifecycle'])?.['delete_after']) ?? Number.POSITIVE_INFINITY);
      return verdictOf([
        rules.length === 0 && 'its backup plan has no rule',
        rules.length > 0 && Math.max(...kept) < MIN_BACKUP_DAYS && `backups are deleted after ${Math.max(...kept)} days`,
      ]);
    },
  },
  {
    id: 'HAF-PROT-005',
    severity: 'error',
    area: 'protection',
    description: 'Buckets keep previous versions of every object',
    resourceTypes: ['aws_s3_bucket'],
    fix: 'add an aws_s3_bucket_versioning with status "Enabled" (createPrivateBucket does)',
    check(bucket, stack) {
      const statuses = bucketConfigs(stack, bucket, 'aws_s3_bucket_versioning').map(
        (v) => block(v.values['versioning_configuration'])?.['status'],
      );
      return verdictOf([!statuses.includes('Enabled') && `versioning is ${statuses.length === 0 ? 'not configured' : shown(statuses)}`]);
    },
  },
  {
    id: 'HAF-PROT-006',
    severity: 'error',
    area: 'protection',
    description: 'Terraform cannot delete a bucket that still holds objects',
    resourceTypes: ['aws_s3_bucket'],
    fix: 'set force_destroy = false (empty the bucket deliberately before a planned deletion)',
    check(bucket) {
      return verdictOf([isTrue(bucket.values['force_destroy']) && 'force_destroy is true: a destroy would delete every object']);
    },
  },
  {
    id: 'HAF-PROT-007',
    severity: 'error',
    area: 'protection',
    description: 'KMS keys rotate yearly and wait at least 7 days before deletion',
    resourceTypes: ['aws_kms_key'],
    fix: 'set enable_key_rotation = true (and deletion_window_in_days ≥ 7, default 30)',
    check(key) {
      const window = num(key.values['deletion_window_in_days']);
      return verdictOf([
        !isTrue(key.values['enable_key_rotation']) && `enable_key_rotation is ${shown(key.values['enable_key_rotation'])}`,
        window !== undefined && window < 7 && `deletion_window_in_days is ${window}`,
      ]);
    },
  },
  {
    id: 'HAF-PROT-008',
    severity: 'error',
    area: 'protection',
    description: 'The internet-facing load balancer has deletion protection',
    resourceTypes: ['aws_lb'],
    fix: 'set enable_deletion_protection = true',
    check(lb) {
      return verdictOf([
        !isTrue(lb.values['enable_deletion_protection']) &&
          `enable_deletion_protection is ${shown(lb.values['enable_deletion_protection'])}`,
      ]);
    },
  },
];
