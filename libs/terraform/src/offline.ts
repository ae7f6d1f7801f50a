/**
 * AWS provider settings for offline mode: placeholder credentials and every start-up call to AWS
 * skipped, so a real `terraform plan` runs with no account and no network. The stack must also
 * use local state and no data source that calls AWS.
 */
export const OFFLINE_AWS_PROVIDER_SETTINGS = {
  accessKey: 'offline-plan',
  secretKey: 'offline-plan',
  skipCredentialsValidation: true,
  skipRequestingAccountId: true,
  skipMetadataApiCheck: 'true',
} as const;
