import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { OFFLINE_AWS_PROVIDER_SETTINGS } from '@hafleet/terraform';

/** Test-only values and helpers for the `cdn/` construct. */

export const CLOUDFRONT_CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/22222222-2222-2222-2222-222222222222';
export const ORIGIN_VERIFY_SECRET = 'test-origin-verify-secret-0123456789';

/** The aliased us-east-1 provider a caller creates for CloudFront-scoped resources, offline. */
export const usEast1Provider = (scope: Construct): AwsProvider =>
  new AwsProvider(scope, 'aws-us-east-1', { alias: 'us_east_1', region: 'us-east-1', ...OFFLINE_AWS_PROVIDER_SETTINGS });
