import { verdictOf, type PolicyRule } from '../rule.js';
import { block, blocks, bucketConfigs, isTrue, keyProblem, logDestinationRoles, shown } from './support.js';

/** Encryption at rest: every data store and every log, with the tenant's own KMS key. */

const ownKey = 'the tenant key (`TenantKey.keyArn`, the `kmsKeyArn` prop of the construct)';

export const ENCRYPTION_RULES: readonly PolicyRule[] = [
  {
    id: 'HAF-ENC-001',
    severity: 'error',
    area: 'encryption',
    description: "Databases, their Performance Insights and their master secret are encrypted with the tenant's key",
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster', 'aws_rds_cluster_instance'],
    fix: `set storage_encrypted = true and kms_key_id, performance_insights_kms_key_id and master_user_secret_kms_key_id to ${ownKey}`,
    check(db, stack) {
      const v = db.values;
      const storage = db.type !== 'aws_rds_cluster_instance';
      return verdictOf([
        storage && !isTrue(v['storage_encrypted']) && `storage_encrypted is ${shown(v['storage_encrypted'])}`,
        storage && keyProblem(stack, v['kms_key_id'], 'storage'),
        isTrue(v['performance_insights_enabled']) && keyProblem(stack, v['performance_insights_kms_key_id'], 'Performance Insights'),
        isTrue(v['manage_master_user_password']) && keyProblem(stack, v['master_user_secret_kms_key_id'], 'the master user secret'),
      ]);
    },
  },
  {
    id: 'HAF-ENC-002',
    severity: 'error',
    area: 'encryption',
    description: "The shared file system is encrypted with the tenant's key",
    resourceTypes: ['aws_efs_file_system'],
    fix: `set encrypted = true and kms_key_id to ${ownKey}`,
    check(fs, stack) {
      return verdictOf([
        !isTrue(fs.values['encrypted']) && `encrypted is ${shown(fs.values['encrypted'])}`,
        keyProblem(stack, fs.values['kms_key_id'], 'the file system'),
      ]);
    },
  },
  {
    id: 'HAF-ENC-003',
    severity: 'error',
    area: 'encryption',
    description:
      "Buckets are encrypted with the tenant's key; only the access-log bucket uses SSE-S3, the one encryption ALB and S3 access logs accept",
    resourceTypes: ['aws_s3_bucket'],
    fix: `add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm "aws:kms" and ${ownKey} (createPrivateBucket with { kind: 'sse-kms' })`,
    check(bucket, stack) {
      const configs = bucketConfigs(stack, bucket, 'aws_s3_bucket_server_side_encryption_configuration');
      const rules = configs.flatMap((c) => blocks(c.values['rule']));
      const defaults = rules.map((r) => block(r['apply_server_side_encryption_by_default'])).filter((d) => d !== undefined);
      if (defaults.length === 0) return verdictOf(['no default encryption configuration']);
      // ALB and S3 server access logs can only be delivered to an SSE-S3 bucket: that bucket may use AES256.
      const { accessLogs } = logDestinationRoles(stack, bucket);
      return verdictOf(
        defaults.map((d) => {
          const algorithm = d['sse_algorithm'];
          if (algorithm === 'AES256') return accessLogs ? undefined : 'uses SSE-S3 (AES256) though it receives no ALB or S3 access logs';
          if (algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse')
            return keyProblem(stack, d['kms_master_key_id'], 'default encryption');
          return `sse_algorithm is ${shown(algorithm)}`;
        }),
      );
    },
  },
  {
    id: 'HAF-ENC-004',
    severity: 'error',
    area: 'encryption',
    description: "Caches are encrypted at rest with the tenant's key",
    resourceTypes: ['aws_elasticache_replication_group'],
    fix: `set at_rest_encryption_enabled = true and kms_key_id to ${ownKey}`,
    check(group, stack) {
      const v = group.values;
      return verdictOf([
        !isTrue(v['at_rest_encryption_enabled']) && `at_rest_encryption_enabled is ${shown(v['at_rest_encryption_enabled'])}`,
        keyProblem(stack, v['kms_key_id'], 'the cache'),
      ]);
    },
  },
  {
    id: 'HAF-ENC-005',
    severity: 'error',
    area: 'encryption',
    description: "Notification topics are encrypted with the tenant's key",
    resourceTypes: ['aws_sns_topic'],
    fix: `set kms_master_key_id to ${ownKey} (the key policy must let CloudWatch alarms use it)`,
    check(topic, stack) {
      return verdictOf([keyProblem(stack, topic.values['kms_master_key_id'], 'the topic')]);
    },
  },
  {
    id: 'HAF-ENC-006',
    severity: 'error',
    area: 'encryption',
    description: "Log groups are encrypted with the tenant's key",
    resourceTypes: ['aws_cloudwatch_log_group'],
    fix: `set kms_key_id to ${ownKey} (the key policy must let logs.<region>.amazonaws.com use it)`,
    check(group, stack) {
      return verdictOf([keyProblem(stack, group.values['kms_key_id'], 'the log group')]);
    },
  },
  {
    id: 'HAF-ENC-007',
    severity: 'error',
    area: 'encryption',
    description: "Instance volumes are encrypted with the tenant's key",
    resourceTypes: ['aws_launch_template', 'aws_ebs_volume'],
    fix: `give every block device mapping ebs { encrypted = "true", kms_key_id = ${ownKey} } (HardenedLaunchTemplate does)`,
    check(resource, stack) {
      if (resource.type === 'aws_ebs_volume') {
        const v = resource.values;
        return verdictOf([
          !isTrue(v['encrypted']) && `encrypted is ${shown(v['encrypted'])}`,
          keyProblem(stack, v['kms_key_id'], 'the volume'),
        ]);
      }
      const mappings = blocks(resource.values['block_device_mappings']);
      if (mappings.length === 0) return verdictOf(["no block device mapping: the root volume is only as encrypted as the AMI's snapshot"]);
      return verdictOf(
        mappings.flatMap((mapping) => {
          const ebs = block(mapping['ebs']);
          const device = String(mapping['device_name'] ?? '?');
          if (!ebs) return [];
          return [
            !isTrue(ebs['encrypted']) && `${device}: encrypted is ${shown(ebs['encrypted'])}`,
            keyProblem(stack, ebs['kms_key_id'], device),
          ];
        }),
      );
    },
  },
  {
    id: 'HAF-ENC-008',
    severity: 'error',
    area: 'encryption',
    description: "Backup vaults are encrypted with the tenant's key",
    resourceTypes: ['aws_backup_vault'],
    fix: `set kms_key_arn to ${ownKey}`,
    check(vault, stack) {
      return vault.values['kms_key_arn'] === undefined && vault.values['kms_key_id'] === undefined
        ? verdictOf(['the vault has no KMS key (recovery points would use the AWS-managed backup key)'])
        : verdictOf([keyProblem(stack, vault.values['kms_key_arn'] ?? vault.values['kms_key_id'], 'the vault')]);
    },
  },
];
