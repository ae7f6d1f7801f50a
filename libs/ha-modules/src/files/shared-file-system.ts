import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { EfsAccessPoint } from '@cdktf/provider-aws/lib/efs-access-point';
import { EfsBackupPolicy } from '@cdktf/provider-aws/lib/efs-backup-policy';
import { EfsFileSystem } from '@cdktf/provider-aws/lib/efs-file-system';
import { EfsFileSystemPolicy } from '@cdktf/provider-aws/lib/efs-file-system-policy';
import { EfsMountTarget } from '@cdktf/provider-aws/lib/efs-mount-target';
import { assertAccountId } from '../aws-account.js';
import { assertPlacement, type SubnetPlacement } from '../network/placement.js';
import { TierSecurityGroup } from '../network/tier-security-group.js';

export interface SharedFileSystemProps {
  /** Tenant name: prefix of the security group, creation token and Name tags. */
  readonly name: string;
  /**
   * The application subnets (`Network.appPlacement`), in at least 2 zones: each gets a mount target,
   * so losing a zone leaves the others mounted.
   */
  readonly placement: SubnetPlacement;
  /**
   * Security groups (web/app and worker) that may reach NFS (TCP 2049); nothing else can. Each also
   * gets its egress rule to the mount targets, so the connection is complete.
   */
  readonly allowedSecurityGroupIds: string[];
  /** The tenant's KMS key, encrypting the file system at rest. */
  readonly kmsKeyArn: string;
  /** The tenant's AWS account: only its IAM principals may mount and write. */
  readonly accountId: string;
  /**
   * The application's entry: an access point that roots clients in `path` and acts as this POSIX
   * user (the web server's on the release AMI), creating the directory with mode 0770.
   * @default { path: '/data', uid: 48, gid: 48 } (apache on Amazon Linux)
   */
  readonly accessPoint?: { readonly path: string; readonly uid: number; readonly gid: number };
  /**
   * EFS automatic backups (daily, to the account's default vault). Turn them off when a
   * `TenantBackup` plan covers the file system, so it is backed up once, to the tenant's own
   * (encrypted, locked, copied) vault. @default true
   */
  readonly automaticBackups?: boolean;
}

const NFS_PORT = 2049;

/**
 * Shared user data (e.g. Moodle's `moodledata`) on EFS: encrypted with the tenant key, elastic
 * throughput, a mount target in every application zone, infrequent-access tiering, and daily
 * backups: EFS automatic backups, or the tenant's AWS Backup plan (`automaticBackups: false`); AWS
 * keeps them when the file system is deleted (EFS itself has no deletion protection).
 *
 * The file system policy refuses non-TLS access and allows mount/write only to IAM principals of
 * the tenant account through a mount target, so clients must mount with IAM authorization and TLS
 * (`mount -t efs -o tls,iam`, amazon-efs-utils) and their role needs `elasticfilesystem:ClientMount`
 * and `ClientWrite` on `fileSystemArn`. Root on a client is squashed (no `ClientRootAccess`).
 */
export class SharedFileSystem extends Construct {
  readonly fileSystemId: string;
  readonly fileSystemArn: string;
  readonly securityGroupId: string;
  /** `<id>.efs.<region>.amazonaws.com`: resolves to the mount target in the client's own zone. */
  readonly dnsName: string;
  /** The application's access point: mount with `-o tls,iam,accesspoint=<id>`. */
  readonly accessPointId: string;
  readonly accessPointArn: string;

  constructor(scope: Construct, id: string, props: SharedFileSystemProps) {
    super(scope, id);
    validate(props);
    const { name } = props;

    // No egress rule on this group: mount targets only answer connections, which security groups allow back statefully.
    const securityGroup = new TierSecurityGroup(this, 'Default', {
      name: `${name}-efs`,
      description: `${name}: shared file system, NFS from the application tiers only`,
      vpcId: props.placement.vpcId,
    });
    securityGroup.allowFrom(props.allowedSecurityGroupIds, NFS_PORT, 'NFS from an application tier', { idPrefix: 'nfs-' });

    const fileSystem = new EfsFileSystem(this, 'file-system', {
      creationToken: `${name}-shared-data`,
      encrypted: true,
      kmsKeyId: props.kmsKeyArn,
      performanceMode: 'generalPurpose',
      // Pay per use and scale with the load: no burst credits to run out of during a busy exam week.
      throughputMode: 'elastic',
      // Separate blocks: the API takes one transition per policy entry.
      lifecyclePolicy: [{ transitionToIa: 'AFTER_30_DAYS' }, { transitionToPrimaryStorageClass: 'AFTER_1_ACCESS' }],
      tags: { Name: `${name}-shared-data` },
    });

    new EfsBackupPolicy(this, 'backup-policy', {
      fileSystemId: fileSystem.id,
      backupPolicy: { status: (props.automaticBackups ?? true) ? 'ENABLED' : 'DISABLED' },
    });

    new EfsFileSystemPolicy(this, 'policy', {
      fileSystemId: fileSystem.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: '*',
            Resource: fileSystem.arn,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
          {
            Sid: 'AllowTenantAccountMountAndWrite',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
            Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
            Resource: fileSystem.arn,
            Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
          },
        ],
      }),
    });

    props.placement.subnets.forEach(({ id: subnetId }, index) => {
      new EfsMountTarget(this, `mount-target-${index}`, {
        fileSystemId: fileSystem.id,
        subnetId,
        securityGroups: [securityGroup.securityGroupId],
      });
    });

    const entry = props.accessPoint ?? { path: '/data', uid: 48, gid: 48 };
    const accessPoint = new EfsAccessPoint(this, 'access-point', {
      fileSystemId: fileSystem.id,
      posixUser: { uid: entry.uid, gid: entry.gid },
      rootDirectory: { path: entry.path, creationInfo: { ownerUid: entry.uid, ownerGid: entry.gid, permissions: '0770' } },
      tags: { Name: `${name}-app` },
    });

    this.fileSystemId = fileSystem.id;
    this.fileSystemArn = fileSystem.arn;
    this.accessPointId = accessPoint.id;
    this.accessPointArn = accessPoint.arn;
    this.securityGroupId = securityGroup.securityGroupId;
    this.dnsName = fileSystem.dnsName;
  }
}

function validate(props: SharedFileSystemProps): void {
  const fail = (message: string) => {
    throw new Error(`SharedFileSystem ${props.name}: ${message}`);
  };
  if (Token.isUnresolved(props.allowedSecurityGroupIds)) {
    fail('allowedSecurityGroupIds must be a list known at synthesis (one element per group)');
  }
  // EFS takes one mount target per zone.
  assertPlacement(`SharedFileSystem ${props.name}`, props.placement, { minZones: 2, give: 'the app subnets (Network.appPlacement)' });
  if (props.allowedSecurityGroupIds.length < 1) fail('allowedSecurityGroupIds is empty: nothing could mount the file system');
  assertAccountId(`SharedFileSystem ${props.name}`, props.accountId);
  const entry = props.accessPoint;
  if (
    entry &&
    (!/^\/[A-Za-z0-9._/-]*$/.test(entry.path) ||
      !Number.isInteger(entry.uid) ||
      !Number.isInteger(entry.gid) ||
      entry.uid < 0 ||
      entry.gid < 0)
  ) {
    fail(`accessPoint needs an absolute path and whole-number uid/gid, got ${JSON.stringify(entry)}`);
  }
}
