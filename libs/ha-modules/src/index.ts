/** The HA reference modules: one construct per concept, secure and highly available by default. */
export { TenantKey, type TenantKeyProps } from './keys/tenant-key.js';
export { Network, type NetworkProps, type NetworkSubnets, type NatGatewayMode } from './network/network.js';
export type { SubnetPlacement, PlacedSubnet } from './network/placement.js';
export { TierSecurityGroup, type TierSecurityGroupProps, type AllowFromOptions } from './network/tier-security-group.js';
export {
  HardenedLaunchTemplate,
  allowHttpsOut,
  type HardenedLaunchTemplateProps,
  type InstanceGroupSettings,
  type InstanceGroupArguments,
  type InstancePolicyStatement,
} from './compute/hardened-launch-template.js';
export { WebTier, type WebTierProps, type AlbAccessLogs, type OriginVerifyHeader, ALB_TLS_POLICY } from './web-tier/web-tier.js';
export { SingleInstanceGroup, type SingleInstanceGroupProps, type SingleInstanceLifetime } from './compute/single-instance-group.js';
export { Worker, type WorkerProps } from './worker/worker.js';
export { OriginVerifySecret, type OriginVerifySecretProps, DEFAULT_ORIGIN_VERIFY_HEADER } from './edge/origin-secret.js';
export { RegionalWebAcl, type RegionalWebAclProps, DEFAULT_LARGE_BODY_PATHS } from './edge/web-acl.js';
export { Database, type DatabaseProps, type DatabaseEngine, APP_USERNAME } from './database/database.js';
export { DatabaseProvisioner, type DatabaseProvisionerProps } from './database/provisioner.js';
export { CredentialsSecret, type CredentialsSecretProps } from './secrets/credentials-secret.js';
export { RuntimeConfiguration, type RuntimeConfigurationProps, type PublishedValue } from './runtime/runtime-configuration.js';
export { CacheCluster, type CacheClusterProps, type CachePurpose, type CacheEngine } from './cache/cache.js';
export { LogBucket, type LogBucketProps, LOG_PREFIXES } from './files/log-bucket.js';
export { ContentBucket, type ContentBucketProps } from './files/content-bucket.js';
export { SharedFileSystem, type SharedFileSystemProps } from './files/shared-file-system.js';
export { denyInsecureTransport } from './files/private-bucket.js';
export {
  ContentDelivery,
  type ContentDeliveryProps,
  type PriceClass,
  type SignedContent,
  MANAGED_POLICY_IDS,
  VIEWER_IP_HEADER,
  MAINTENANCE_PATH,
  MAINTENANCE_ERROR_CODES,
  HSTS_MAX_AGE_SECONDS,
} from './cdn/cdn.js';
export { MaintenancePage, type MaintenancePageProps, CONTENTS_TAG, maintenanceHtml } from './files/maintenance-page.js';
export { BODY_INSPECTING_RULES, BODY_SIZE_RULE, COUNT_MODE_SUFFIX } from './edge/waf-rules.js';
export { TenantObservability, type TenantObservabilityProps, type UsEast1Placement } from './observability/observability.js';
export { RDS_EVENT_CATEGORIES, AUTO_SCALING_ERROR_NOTIFICATIONS } from './observability/events.js';
export { CERTIFICATE_EXPIRY_DAYS } from './observability/alarms/certificate.js';
export { InstanceScanning, type InstanceScanningProps } from './compute/inspector.js';
export { TenantBackup, type TenantBackupProps } from './backup/backup-plan.js';
export {
  TenantMail,
  type TenantMailProps,
  type MailRelay,
  type MailDnsRecord,
  SES_SMTP_PORT,
  SES_SMTP_REGIONS,
} from './mail/tenant-mail.js';
export { DisasterRecoveryVault, type DisasterRecoveryVaultProps } from './backup/dr-copy.js';
