/** Test-only values for the `files/` constructs. */

export const ACCOUNT_ID = '123456789012';
export const KMS_KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111';
