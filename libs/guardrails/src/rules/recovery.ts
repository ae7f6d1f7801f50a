import { fail, notApplicable, verdictOf, type PolicyRule } from '../rule.js';
import type { StackResource, SynthesizedStack } from '../synthesized-stack.js';
import { block, blocks, num, shown } from './support.js';

/** Recovery: backups that exist once, in the tenant's vault, and survive the loss of its region. */

/** The region a resource is created in: its provider's (`aws.<alias>`), else the default provider's. */
export function regionOf(stack: SynthesizedStack, resource: StackResource): string | undefined {
  const providers = stack.providers('aws');
  const ref = resource.values['provider'];
  const alias = typeof ref === 'string' ? /^(?:\$\{)?aws\.([\w-]+)\}?$/.exec(ref)?.[1] : undefined;
  const provider = alias ? providers.find((p) => p.alias === alias) : providers.find((p) => p.alias === undefined);
  const region = provider?.values['region'];
  return typeof region === 'string' ? region : undefined;
}

const backupPlansCovering = (stack: SynthesizedStack, resource: StackResource) =>
  stack
    .referrers(resource.address, 'aws_backup_selection')
    .flatMap((s) => stack.referenced(s.values['plan_id']).filter((p) => p.type === 'aws_backup_plan'));

export const RECOVERY_RULES: readonly PolicyRule[] = [
  {
    id: 'HAF-DR-001',
    severity: 'error',
    area: 'recovery',
    description: "The file system is backed up once: by the tenant's AWS Backup plan, with EFS automatic backups off",
    resourceTypes: ['aws_efs_file_system'],
    fix: 'set the aws_efs_backup_policy status to "DISABLED" when a TenantBackup selection covers the file system (SharedFileSystem automaticBackups: false)',
    check(fileSystem, stack) {
      if (backupPlansCovering(stack, fileSystem).length === 0) return notApplicable;
      const automatic = stack
        .referrers(fileSystem.address, 'aws_efs_backup_policy')
        .filter((p) => block(p.values['backup_policy'])?.['status'] === 'ENABLED');
      return verdictOf([
        automatic.length > 0 && "EFS automatic backups are on as well as AWS Backup: two daily backups, one in the account's default vault",
      ]);
    },
  },
  {
    id: 'HAF-DR-002',
    severity: 'error',
    area: 'recovery',
    description:
      "When the spec names a DR region, every backup rule copies to a vault there, encrypted with a key of that region, for the spec's copy retention",
    resourceTypes: ['aws_backup_plan'],
    fix:
      'add a copy_action to each rule with destination_vault_arn = a DisasterRecoveryVault in spec ' +
      'disasterRecovery.region and lifecycle.delete_after ≥ disasterRecovery.copyRetentionDays',
    check(plan, stack, { spec }) {
      const dr = spec.disasterRecovery;
      if (!dr) return notApplicable;
      const rules = blocks(plan.values['rule']);
      if (rules.length === 0) return fail('the plan has no rule');
      return verdictOf(
        rules.flatMap((rule) => {
          const name = String(rule['rule_name'] ?? '?');
          const copies = blocks(rule['copy_action']);
          if (copies.length === 0) return [`rule "${name}" copies nowhere`];
          const good = copies.filter((copy) => {
            const vaults = stack.referenced(copy['destination_vault_arn']).filter((v) => v.type === 'aws_backup_vault');
            return vaults.some((vault) => {
              const keys = stack.referenced(vault.values['kms_key_arn']).filter((k) => k.type === 'aws_kms_key');
              return regionOf(stack, vault) === dr.region && keys.some((k) => regionOf(stack, k) === dr.region);
            });
          });
          if (good.length === 0) return [`rule "${name}" copies to no vault of this stack in ${dr.region} encrypted with a key there`];
          const kept = Math.max(...good.map((copy) => num(block(copy['lifecycle'])?.['delete_after']) ?? Number.POSITIVE_INFINITY));
          return kept < dr.copyRetentionDays
            ? [`rule "${name}" keeps its copies ${shown(kept)} days; the spec asks ${dr.copyRetentionDays}`]
            : [];
        }),
      );
    },
  },
];
