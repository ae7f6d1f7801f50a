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

/**
 * True when every AWS provider block of a terraform JSON stack has the offline placeholder
 * credentials. Such a stack can never read AWS, so it is planned against its state as recorded
 * (`-refresh=false`): empty, or fabricated for a what-if (see fabricateAppliedState).
 */
export function isOfflineStack(stackJson: unknown): boolean {
  const aws = (stackJson as { provider?: { aws?: unknown } } | null)?.provider?.aws;
  const blocks = (Array.isArray(aws) ? aws : aws ? [aws] : []) as { access_key?: unknown }[];
  return blocks.length > 0 && blocks.every((block) => block?.access_key === OFFLINE_AWS_PROVIDER_SETTINGS.accessKey);
}
