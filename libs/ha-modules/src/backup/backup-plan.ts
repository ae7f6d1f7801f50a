import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { BackupPlan } from '@cdktf/provider-aws/lib/backup-plan';
import { BackupSelection } from '@cdktf/provider-aws/lib/backup-selection';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import { BackupVaultLockConfiguration } from '@cdktf/provider-aws/lib/backup-vault-lock-configuration';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IAM_ROLE_NAME_MAX, serviceTrustPolicy } from '../iam.js';
import { boundedName } from '../naming.js';

export interface TenantBackupProps {
  /** Tenant name: prefix of the vault, plan, selection and role names. */
  readonly name: string;
  /** The tenant's KMS key: encrypts the vault's recovery points. */
  readonly kmsKeyArn: string;
  /**
   * Days each recovery point is kept. The vault is also locked (governance mode) to this
   * minimum, so recovery points cannot be deleted earlier by mistake. @default 35
   */
  readonly retentionDays?: number;
  /** When the daily backup starts, as an AWS Backup cron expression (in `scheduleTimeZone`). @default 'cron(0 3 * * ? *)' */
  readonly scheduleExpression?: string;
  /** IANA time zone AWS Backup evaluates the schedule in (it follows daylight saving). @default UTC */
  readonly scheduleTimeZone?: string;
  /** ARNs of exactly the resources to protect: the database (instance or Aurora cluster), the EFS file system, the content bucket. */
  readonly resourceArns: string[];
  /** Whether `resourceArns` holds S3 buckets: the role then also gets AWS Backup's S3 policies. @default false */
  readonly includesBuckets?: boolean;
  /**
   * Copy every recovery point to this vault (in another region: `DisasterRecoveryVault`), kept
   * there for `retentionDays`. @default no copy
   */
  readonly copyTo?: { readonly vaultArn: string; readonly retentionDays: number };
}

const BACKUP_SERVICE = 'backup.amazonaws.com';
const MANAGED_POLICY_ARNS = {
  backup: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
  restores: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
} as const;
/** S3 backups need their own managed policies (the general ones do not cover S3). */
const S3_POLICY_ARNS = {
  's3-backup': 'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup',
  's3-restore': 'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore',
} as const;
/** AWS Backup names (vault, plan, selection): at most 50 characters. */
const BACKUP_NAME_MAX = 50;
/** A job that has not started within an hour is skipped rather than run into business hours. */
const START_WINDOW_MINUTES = 60;
/** A daily job gets a day to finish, so it never runs into the next day's job. */
const COMPLETION_WINDOW_MINUTES = 24 * 60;

/**
 * The tenant's AWS Backup: a vault encrypted with the tenant key and locked against early
 * deletion of recovery points, a daily plan, and a selection of exactly the given resources,
 * backed up by a role only AWS Backup can assume.
 */
export class TenantBackup extends Construct {
  readonly vaultName: string;
  readonly vaultArn: string;
  readonly planId: string;
  readonly roleArn: string;
  readonly scheduleExpression: string;
  readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: TenantBackupProps) {
    super(scope, id);
    const { name } = props;
    const retentionDays = props.retentionDays ?? 35;
    const scheduleExpression = props.scheduleExpression ?? 'cron(0 3 * * ? *)';
    validate(props, retentionDays, scheduleExpression);

    const vault = new BackupVault(this, 'vault', {
      name: boundedName(name, 'backup', BACKUP_NAME_MAX),
      kmsKeyArn: props.kmsKeyArn,
      // AWS refuses to delete a vault that still holds recovery points; keep it that way.
      forceDestroy: false,
      tags: { Name: `${name}-backup` },
    });
    // Governance mode (no changeable_for_days): an administrator can still remove the lock on purpose.
    new BackupVaultLockConfiguration(this, 'vault-lock', {
      backupVaultName: vault.name,
      minRetentionDays: retentionDays,
    });

    const plan = new BackupPlan(this, 'plan', {
      name: boundedName(name, 'backup', BACKUP_NAME_MAX),
      rule: [
        {
          ruleName: 'daily',
          targetVaultName: vault.name,
          schedule: scheduleExpression,
          scheduleExpressionTimezone: props.scheduleTimeZone,
          startWindow: START_WINDOW_MINUTES,
          completionWindow: COMPLETION_WINDOW_MINUTES,
          lifecycle: { deleteAfter: retentionDays },
          copyAction: props.copyTo && [
            { destinationVaultArn: props.copyTo.vaultArn, lifecycle: { deleteAfter: props.copyTo.retentionDays } },
          ],
        },
      ],
      tags: { Name: `${name}-backup` },
    });

    const role = new IamRole(this, 'role', {
      name: boundedName(name, 'backup', IAM_ROLE_NAME_MAX),
      assumeRolePolicy: serviceTrustPolicy(BACKUP_SERVICE),
      tags: { Name: `${name}-backup` },
    });
    const policies = { ...MANAGED_POLICY_ARNS, ...(props.includesBuckets ? S3_POLICY_ARNS : {}) };
    for (const [purpose, policyArn] of Object.entries(policies)) {
      new IamRolePolicyAttachment(this, `role-${purpose}-policy`, { role: role.name, policyArn });
    }

    new BackupSelection(this, 'selection', {
      name: boundedName(name, 'data', BACKUP_NAME_MAX),
      planId: plan.id,
      iamRoleArn: role.arn,
      resources: props.resourceArns,
    });

    this.vaultName = vault.name;
    this.vaultArn = vault.arn;
    this.planId = plan.id;
    this.roleArn = role.arn;
    this.scheduleExpression = scheduleExpression;
    this.retentionDays = retentionDays;
  }
}

function validate(props: TenantBackupProps, retentionDays: number, scheduleExpression: string): void {
  const fail = (message: string): never => {
    throw new Error(`TenantBackup ${props.name}: ${message}`);
  };
  if (!Number.isInteger(retentionDays) || retentionDays < 1) fail(`retentionDays must be a whole number of days ≥ 1, got ${retentionDays}`);
  const copyDays = props.copyTo?.retentionDays;
  if (copyDays !== undefined && (!Number.isInteger(copyDays) || copyDays < 1))
    fail(`copyTo.retentionDays must be a whole number of days ≥ 1, got ${copyDays}`);
  if (!Token.isUnresolved(scheduleExpression) && !/^cron\(\S+( \S+){5}\)$/.test(scheduleExpression)) {
    fail(`scheduleExpression must be an AWS cron expression with six fields such as "cron(0 3 * * ? *)", got "${scheduleExpression}"`);
  }
  // A token list (unknown length) is accepted as it is; a literal list must name something.
  if (!Token.isUnresolved(props.resourceArns)) {
    if (props.resourceArns.length === 0) fail('resourceArns must list the database and file system ARNs to back up; it is empty');
    for (const arn of props.resourceArns) {
      if (!Token.isUnresolved(arn) && !arn.startsWith('arn:aws:')) fail(`resourceArns must hold ARNs ("arn:aws:..."), got "${arn}"`);
    }
    if (new Set(props.resourceArns).size !== props.resourceArns.length) fail('resourceArns lists the same ARN twice');
  }
}
