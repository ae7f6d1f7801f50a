import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '@hafleet/testing';
import { disasterRecoveryRunbook, formatRunbook } from './runbook.js';

/** The runbook is read from the real example stacks: lakeside-state copies to us-west-2, harbour-health names no DR region. */
describe('disasterRecoveryRunbook', () => {
  const lakeside = disasterRecoveryRunbook(WORKSPACE_ROOT, 'lakeside-state');

  it('says what is backed up, where each copy is, how long it is kept and what it can lose', () => {
    expect(lakeside).toMatchObject({
      tenant: 'lakeside-state',
      accountId: '444455556666',
      region: 'us-east-1',
      drRegion: 'us-west-2',
      restoreStack: 'lakeside-state-dr',
    });
    expect(lakeside.protects).toEqual([
      'database lakeside-state-db (aurora-mysql)',
      'file system lakeside-state-shared-data',
      'content bucket lakeside-state-content-444455556666',
    ]);
    expect(lakeside.sources).toEqual([
      { what: 'database', region: 'us-east-1', from: 'automated backups (point-in-time restore)', keptDays: 35, rpo: '5 min' },
      {
        what: 'database, files, content',
        region: 'us-east-1',
        from: 'vault lakeside-state-backup, daily at 01:00 America/New_York',
        keptDays: 90,
        rpo: '24 h (last backup)',
      },
      {
        what: 'database, files, content',
        region: 'us-west-2',
        from: 'vault lakeside-state-dr (copies)',
        keptDays: 90,
        rpo: '24 h + copy time (last backup copied)',
      },
    ]);
  });

  it('restores from the DR vault into the restore stack, with the names that stack really has', () => {
    const commands = lakeside.steps.flatMap((s) => s.commands).join('\n');
    expect(commands).toContain('list-recovery-points-by-backup-vault --region us-west-2 --backup-vault-name lakeside-state-dr');
    expect(commands).toContain('npm run fleet -- dr lakeside-state --drill --database-recovery-point <Aurora RecoveryPointArn>');
    expect(commands).toContain('--creation-token lakeside-state-dr-shared-data');
    expect(commands).toContain('--key-id alias/lakeside-state-dr ');
    expect(commands).toContain('DestinationBucketName=lakeside-state-dr-content-444455556666,NewBucket=false');
    // IAM is global: the live tenant's backup role (restore policies included) survives the loss of its region.
    expect(commands).toContain('--iam-role-arn arn:aws:iam::444455556666:role/lakeside-state-backup');
    expect(commands).toMatch(/--resource-type EFS .*\n.*\n.*newFileSystem=false,Encrypted=true,KmsKeyId=\$KEY_ARN/);
    expect(commands).toContain('curl -fsS -o /dev/null');
  });

  it('tells a tenant without a DR region where its copies are and how to add one', () => {
    const harbour = disasterRecoveryRunbook(WORKSPACE_ROOT, 'harbour-health');
    expect(harbour).toMatchObject({ drRegion: undefined, restoreStack: undefined });
    expect(harbour.sources.map((s) => s.region)).toEqual(['eu-west-2', 'eu-west-2']);
    expect(harbour.steps).toHaveLength(1);
    expect(harbour.steps[0]!.note).toMatch(
      /set disasterRecovery\.region in tenants\/harbour-health\/tenant\.json \(fleet onboard --dr-region\)/,
    );
  });

  it('reads as a table and numbered steps', () => {
    const text = formatRunbook(lakeside);
    expect(text.split('\n')[0]).toBe('lakeside-state: disaster recovery runbook (account 444455556666, us-east-1 → DR us-west-2)');
    expect(text).toMatch(/^recover +region +from +kept +RPO$/m);
    expect(text).toMatch(/^1\. Find the newest copies in us-west-2$/m);
    expect(text).toMatch(/^ {3}\$ aws backup list-recovery-points-by-backup-vault/m);
  });
});

describe('README', () => {
  it('shows exactly what `fleet dr lakeside-state` prints', () => {
    const readme = readFileSync(join(WORKSPACE_ROOT, 'README.md'), 'utf8');
    const block = /<!-- fleet dr lakeside-state[^\n]*-->\n```\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(block, 'README section "Disaster recovery"').toBe(formatRunbook(disasterRecoveryRunbook(WORKSPACE_ROOT, 'lakeside-state')));
  });
});
