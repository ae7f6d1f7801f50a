import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SynthesizedStack } from '@hafleet/guardrails';
import { STACK_FILE, loadFleet, loadFleetConfig, stackDir, type FleetConfig, type TenantSpec } from '@hafleet/tenant-spec';
import { TenantStack } from '@hafleet/tenant-stack';
import { App } from 'cdktf';
import { applicationProfile } from '@hafleet/app-profiles';
import { renderTable } from '@hafleet/fleet';
import { backupLayout, type BackupLayout } from './backup-layout.js';
import { DR_WORK_DIR, restoreSpec } from './restore-stack.js';

/** One place a tenant's data can be recovered from, and how much of it a recovery from there can lose. */
export interface RecoverySource {
  readonly what: string;
  readonly region: string;
  readonly from: string;
  readonly keptDays: number;
  /** Recovery point objective: the most recent data a recovery from here can lose. */
  readonly rpo: string;
}

export interface RunbookStep {
  readonly title: string;
  /** Shell commands, run in order; `<…>` marks a value the operator pastes from an earlier step. */
  readonly commands: readonly string[];
  readonly note?: string;
}

export interface DisasterRecoveryRunbook {
  readonly tenant: string;
  readonly accountId: string;
  readonly region: string;
  readonly drRegion: string | undefined;
  readonly protects: readonly string[];
  readonly sources: readonly RecoverySource[];
  /** The restore stack's name, when there is a DR region. */
  readonly restoreStack: string | undefined;
  readonly steps: readonly RunbookStep[];
}

/** Synthesises one stack into a throw-away folder and reads it back: the runbook reads what terraform would get. */
function synthesizeStack(spec: TenantSpec, fleet: FleetConfig): SynthesizedStack {
  const outdir = mkdtempSync(join(tmpdir(), 'hafleet-dr-'));
  try {
    const app = new App({ outdir, stackTraces: false, skipValidation: true });
    new TenantStack(app, { spec, fleet, mode: 'offline' });
    app.synth();
    return SynthesizedStack.read(join(stackDir(outdir, spec.name), STACK_FILE));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const EVERY = (layout: BackupLayout) => {
  const [, minute, hour] = /^cron\((\d+) (\d+) /.exec(layout.schedule) ?? [];
  return layout.intervalHours && minute && hour
    ? `daily at ${hour.padStart(2, '0')}:${minute.padStart(2, '0')} ${layout.timeZone}`
    : layout.schedule;
};
const rpoOf = (layout: BackupLayout, copied: boolean) =>
  layout.intervalHours
    ? `${layout.intervalHours} h${copied ? ' + copy time' : ''} (last backup${copied ? ' copied' : ''})`
    : `one schedule interval (${layout.schedule})`;

/**
 * The recovery runbook of a tenant, read from its synthesized stack (and, with a DR region, from
 * the restore stack it would be rebuilt as): what is copied where, the recovery point objective
 * each copy gives, and the exact restore steps and commands.
 */
export function disasterRecoveryRunbook(workspaceRoot: string, tenant: string): DisasterRecoveryRunbook {
  const root = resolve(workspaceRoot);
  const fleet = loadFleetConfig(root);
  const spec = loadFleet(root, { only: [tenant] })[0]!.spec;
  const accountId = spec.account.id ?? fleet.defaultAccountId;
  const layout = backupLayout(synthesizeStack(spec, fleet), tenant);
  const protects = [
    layout.database && `database ${layout.database.identifier} (${layout.database.engine})`,
    layout.fileSystem && `file system ${layout.fileSystem.creationToken}`,
    layout.bucket && `content bucket ${layout.bucket.name}`,
  ].filter((p): p is string => Boolean(p));

  const sources: RecoverySource[] = [];
  if (layout.database) {
    sources.push({
      what: 'database',
      region: spec.region,
      from: 'automated backups (point-in-time restore)',
      keptDays: layout.database.pointInTimeDays,
      rpo: '5 min',
    });
  }
  sources.push({
    what: 'database, files, content',
    region: layout.vault.region,
    from: `vault ${layout.vault.name}, ${EVERY(layout)}`,
    keptDays: layout.vault.keptDays,
    rpo: rpoOf(layout, false),
  });
  if (layout.copy)
    sources.push({
      what: 'database, files, content',
      region: layout.copy.region,
      from: `vault ${layout.copy.name} (copies)`,
      keptDays: layout.copy.keptDays,
      rpo: rpoOf(layout, true),
    });

  const dr = spec.disasterRecovery;
  if (!dr || !layout.copy) {
    return {
      tenant,
      accountId,
      region: spec.region,
      drRegion: undefined,
      protects,
      sources,
      restoreStack: undefined,
      steps: inRegionSteps(spec, layout),
    };
  }
  // The restore stack's names (bucket, file system, key) come from synthesising it; the certificate does not change them.
  const placeholder = `arn:aws:acm:${dr.region}:${accountId}:certificate/00000000-0000-4000-8000-000000000000`;
  const restored = restoreSpec(root, tenant, placeholder).spec;
  const target = backupLayout(synthesizeStack(restored, fleet), restored.name);
  return {
    tenant,
    accountId,
    region: spec.region,
    drRegion: dr.region,
    protects,
    sources,
    restoreStack: restored.name,
    steps: drSteps(spec, accountId, layout, restored, target),
  };
}

function drSteps(spec: TenantSpec, accountId: string, layout: BackupLayout, restored: TenantSpec, target: BackupLayout): RunbookStep[] {
  const region = layout.copy!.region;
  const role = `arn:aws:iam::${accountId}:role/${layout.roleName}`;
  const work = `${DR_WORK_DIR}/${restored.name}`;
  const aurora = layout.database?.aurora ?? false;
  return [
    {
      title: `Find the newest copies in ${region}`,
      commands: [
        `aws backup list-recovery-points-by-backup-vault --region ${region} --backup-vault-name ${layout.copy!.name} \\\n` +
          `    --query 'reverse(sort_by(RecoveryPoints,&CreationDate))[].[ResourceType,RecoveryPointArn,CreationDate]' --output table`,
      ],
      note: `Take the newest ${aurora ? 'Aurora' : 'RDS'}, EFS and S3 recovery points of the same night.`,
    },
    {
      title: `Plan the restore stack ${restored.name} in ${region} (the tenant's stack, database created from its copy)`,
      commands: [
        `npm run fleet -- dr ${spec.name} --drill --database-recovery-point <${aurora ? 'Aurora' : 'RDS'} RecoveryPointArn> \\\n` +
          `    --certificate-arn <ACM certificate for ${spec.domain} in ${region}>`,
        `HAFLEET_MODE=remote npm run fleet -- dr ${spec.name} --drill …   # the same against the account: state key ${restored.name}`,
        `TF_DATA_DIR=$PWD/${work}/.terraform terraform -chdir=${work}/stack apply $PWD/${work}/tfplan`,
      ],
      note: 'Offline (the default) the drill proves the stack plans in the DR region with no AWS account; remote, it is the real plan to apply.',
    },
    {
      title: 'Restore the shared files into the new file system',
      commands: [
        `FS_ID=$(aws efs describe-file-systems --region ${region} --creation-token ` +
          `${target.fileSystem?.creationToken} --query 'FileSystems[0].FileSystemId' --output text)`,
        `KEY_ARN=$(aws kms describe-key --region ${region} --key-id ${target.keyAlias} --query KeyMetadata.Arn --output text)`,
        `aws backup start-restore-job --region ${region} --resource-type EFS --iam-role-arn ${role} \\\n` +
          `    --recovery-point-arn <EFS RecoveryPointArn> \\\n` +
          `    --metadata "file-system-id=$FS_ID,newFileSystem=false,Encrypted=true,KmsKeyId=$KEY_ARN,` +
          `PerformanceMode=generalPurpose,CreationToken=${restored.name}-files"`,
      ],
      note:
        'EFS restores into aws-backup-restore_<time>/ at the top of the file system: ' +
        'move its contents up from an instance (Session Manager) before opening the site.',
    },
    {
      title: 'Restore the course content into the new bucket',
      commands: [
        `aws backup start-restore-job --region ${region} --resource-type S3 --iam-role-arn ${role} \\\n` +
          `    --recovery-point-arn <S3 RecoveryPointArn> \\\n` +
          `    --metadata "DestinationBucketName=${target.bucket?.name},NewBucket=false,Encrypted=true,` +
          `EncryptionType=SSE-KMS,KMSKey=$KEY_ARN,CreationToken=${restored.name}-content"`,
        `aws backup describe-restore-job --region ${region} --restore-job-id <RestoreJobId> --query Status   # until COMPLETED, for each job`,
      ],
    },
    {
      title: `Send learners to ${region}`,
      commands: [
        `TF_DATA_DIR=$PWD/${work}/.terraform terraform -chdir=${work}/stack output -raw ${spec.cdn ? 'cdn_domain_name' : 'alb_dns_name'}`,
        `# point ${spec.domain} at that name (the client's DNS), then:`,
        // The deep page needs the database, the cache and the files: all three restored.
        `curl -fsS -o /dev/null -w '%{http_code}\\n' https://${spec.domain}${applicationProfile(spec.app.profile).health.deepPath}`,
      ],
      note: `The restored stack backs itself up in ${region}; name a new DR region for it once ${spec.region} is back.`,
    },
  ];
}

function inRegionSteps(spec: TenantSpec, layout: BackupLayout): RunbookStep[] {
  return [
    {
      title: `No DR region: every copy is in ${spec.region}`,
      commands: [
        `aws backup list-recovery-points-by-backup-vault --region ${layout.vault.region} --backup-vault-name ${layout.vault.name} \\\n` +
          `    --query 'reverse(sort_by(RecoveryPoints,&CreationDate))[].[ResourceType,RecoveryPointArn,CreationDate]' --output table`,
      ],
      note:
        `A regional outage stops the service until ${spec.region} is back. ` +
        `To copy the backups to another region: ` +
        `set disasterRecovery.region in tenants/${spec.name}/tenant.json (fleet onboard --dr-region), ` +
        `then plan and apply.`,
    },
  ];
}

/** The runbook as a person reads it. */
export function formatRunbook(runbook: DisasterRecoveryRunbook): string {
  const lines = [
    `${runbook.tenant}: disaster recovery runbook (account ${runbook.accountId}, ` +
      `${runbook.region}${runbook.drRegion ? ` → DR ${runbook.drRegion}` : ', no DR region'})`,
    '',
    `backed up: ${runbook.protects.join('; ')}`,
    '',
    renderTable(
      ['recover', 'region', 'from', 'kept', 'RPO'],
      runbook.sources.map((s) => [s.what, s.region, s.from, `${s.keptDays} d`, s.rpo]),
    ),
    '',
  ];
  runbook.steps.forEach((step, index) => {
    lines.push(`${index + 1}. ${step.title}`);
    for (const command of step.commands)
      lines.push(...command.split('\n').map((line, i) => (i === 0 && !line.startsWith('#') ? `   $ ${line}` : `     ${line}`)));
    if (step.note) lines.push(`   → ${step.note}`);
    lines.push('');
  });
  return lines.join('\n').trimEnd();
}
