import { Construct } from 'constructs';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import { BackupVaultLockConfiguration } from '@cdktf/provider-aws/lib/backup-vault-lock-configuration';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { checkAccountAndRegion } from '../aws-account.js';
import { accountIamGovernsUse } from '../keys/tenant-key.js';
import { boundedName } from '../naming.js';

export interface DisasterRecoveryVaultProps {
  /** Tenant name: prefix of the vault (`<name>-dr`) and the key alias (`alias/<name>-dr-copies`; `<name>-dr` is left to a restored stack). */
  readonly name: string;
  /** The tenant's account: the key's policy lets only its IAM govern the key. */
  readonly accountId: string;
  /**
   * Provider configured for the DR region, in the same account (and deployer role) as the stack's
   * main provider: the copies must stay the tenant's, in another region.
   */
  readonly provider: AwsProvider;
  /** The DR region (the provider's); never the tenant's own region. */
  readonly region: string;
  /** The tenant's own region: a DR vault there would not survive losing it. */
  readonly primaryRegion: string;
  /** Days each copy is kept; the vault is locked (governance mode) to this minimum. */
  readonly copyRetentionDays: number;
}

/** AWS Backup names (vault): at most 50 characters. */
const BACKUP_NAME_MAX = 50;

/**
 * Where a tenant's recovery points survive the loss of its region: an AWS Backup vault in the DR
 * region, encrypted with a tenant key of its own there (a KMS key cannot leave its region), and
 * locked against early deletion. `TenantBackup` copies every recovery point here (`copyTo`).
 */
export class DisasterRecoveryVault extends Construct {
  readonly vaultArn: string;
  readonly vaultName: string;
  readonly keyArn: string;
  readonly region: string;
  readonly copyRetentionDays: number;

  constructor(scope: Construct, id: string, props: DisasterRecoveryVaultProps) {
    super(scope, id);
    const { name, accountId, region, provider } = props;
    validate(props);

    const key = new KmsKey(this, 'key', {
      provider,
      description: `hafleet tenant ${name}: encrypts the tenant's backup copies in ${region}`,
      keyUsage: 'ENCRYPT_DECRYPT',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      // AWS Backup re-encrypts each copy with this key through the tenant's backup role: IAM governs it.
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [accountIamGovernsUse(accountId)],
      }),
      tags: { Name: `${name}-dr-key` },
    });
    new KmsAlias(this, 'alias', { provider, name: `alias/${name}-dr-copies`, targetKeyId: key.keyId });

    const vault = new BackupVault(this, 'vault', {
      provider,
      name: boundedName(name, 'dr', BACKUP_NAME_MAX),
      kmsKeyArn: key.arn,
      forceDestroy: false,
      tags: { Name: `${name}-dr` },
    });
    new BackupVaultLockConfiguration(this, 'vault-lock', {
      provider,
      backupVaultName: vault.name,
      minRetentionDays: props.copyRetentionDays,
    });

    this.vaultArn = vault.arn;
    this.vaultName = vault.name;
    this.keyArn = key.arn;
    this.region = region;
    this.copyRetentionDays = props.copyRetentionDays;
  }
}

function validate(props: DisasterRecoveryVaultProps): void {
  const owner = `DisasterRecoveryVault ${props.name}`;
  checkAccountAndRegion(owner, props.accountId, props.region);
  if (props.region === props.primaryRegion)
    throw new Error(`${owner}: region ${props.region} is the tenant's own region; copies there do not survive losing it`);
  const providerRegion = props.provider.region;
  if (providerRegion !== undefined && providerRegion !== props.region) {
    throw new Error(`${owner}: provider is configured for ${providerRegion}, not the DR region ${props.region}`);
  }
  if (!Number.isInteger(props.copyRetentionDays) || props.copyRetentionDays < 7) {
    throw new Error(`${owner}: copyRetentionDays must be a whole number of days ≥ 7, got ${props.copyRetentionDays}`);
  }
}
