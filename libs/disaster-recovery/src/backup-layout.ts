import { regionOf, type StackResource, type SynthesizedStack } from '@hafleet/guardrails';

/** What the runbook needs from a synthesized tenant stack: what is backed up, where, how often and for how long. */
export interface BackupLayout {
  readonly schedule: string;
  /** IANA time zone the schedule is evaluated in (AWS Backup's default: UTC). */
  readonly timeZone: string;
  /** Hours between two backups, when the schedule is a daily cron; undefined otherwise. */
  readonly intervalHours: number | undefined;
  readonly vault: { readonly name: string; readonly region: string; readonly keptDays: number };
  readonly copy: { readonly name: string; readonly region: string; readonly keptDays: number } | undefined;
  /** The role AWS Backup backs up and restores with (IAM is global: it survives the loss of a region). */
  readonly roleName: string;
  readonly database:
    { readonly engine: string; readonly identifier: string; readonly aurora: boolean; readonly pointInTimeDays: number } | undefined;
  readonly fileSystem: { readonly creationToken: string } | undefined;
  readonly bucket: { readonly name: string } | undefined;
  /** Alias of the key the stack's data is encrypted with, in the stack's region. */
  readonly keyAlias: string | undefined;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const numberOf = (value: unknown): number => (typeof value === 'number' ? value : Number(value));
const first = <T>(list: readonly T[]): T | undefined => list[0];
const blockList = (value: unknown): Record<string, unknown>[] =>
  (Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : []) as Record<string, unknown>[];

/** Reads the backup plan, its vaults and its selection. Throws when the stack has no AWS Backup plan. */
export function backupLayout(stack: SynthesizedStack, tenant: string): BackupLayout {
  const plan = first(stack.ofType('aws_backup_plan'));
  if (!plan) throw new Error(`tenant ${tenant}: the stack has no AWS Backup plan, so there is nothing to restore from`);
  const rule = first(blockList(plan.values['rule']));
  if (!rule) throw new Error(`tenant ${tenant}: the AWS Backup plan has no rule`);
  const vaultOf = (reference: unknown) => first(stack.referenced(reference).filter((r) => r.type === 'aws_backup_vault'));
  const keptDays = (lifecycle: unknown) => numberOf(first(blockList(lifecycle))?.['delete_after']);

  const vault = vaultOf(rule['target_vault_name']);
  if (!vault) throw new Error(`tenant ${tenant}: the backup rule's target vault is not in the stack`);
  const copyAction = first(blockList(rule['copy_action']));
  const copyVault = copyAction && vaultOf(copyAction['destination_vault_arn']);

  const selection = first(stack.ofType('aws_backup_selection'));
  const selected = selection
    ? (Array.isArray(selection.values['resources']) ? selection.values['resources'] : []).flatMap((arn) => stack.referenced(arn))
    : [];
  const ofType = (...types: string[]): StackResource | undefined => selected.find((r) => types.includes(r.type));
  const db = ofType('aws_rds_cluster', 'aws_db_instance');
  const fileSystem = ofType('aws_efs_file_system');
  const bucket = ofType('aws_s3_bucket');
  const role = selection && first(stack.referenced(selection.values['iam_role_arn']).filter((r) => r.type === 'aws_iam_role'));
  const alias = stack.ofType('aws_kms_alias').find((a) => a.values['provider'] === undefined);

  const schedule = text(rule['schedule']);
  return {
    schedule,
    timeZone: text(rule['schedule_expression_timezone']) || 'UTC',
    intervalHours: /^cron\(\d+ \d+ \* \* \? \*\)$/.test(schedule) ? 24 : undefined,
    vault: { name: text(vault.values['name']), region: regionOf(stack, vault) ?? '?', keptDays: keptDays(rule['lifecycle']) },
    copy:
      copyVault && copyAction
        ? { name: text(copyVault.values['name']), region: regionOf(stack, copyVault) ?? '?', keptDays: keptDays(copyAction['lifecycle']) }
        : undefined,
    roleName: text(role?.values['name']),
    database: db && {
      engine: text(db.values['engine']),
      identifier: text(db.values['cluster_identifier'] ?? db.values['identifier']),
      aurora: db.type === 'aws_rds_cluster',
      pointInTimeDays: numberOf(db.values['backup_retention_period']),
    },
    fileSystem: fileSystem && { creationToken: text(fileSystem.values['creation_token']) },
    bucket: bucket && { name: text(bucket.values['bucket']) },
    keyAlias: alias && text(alias.values['name']),
  };
}
