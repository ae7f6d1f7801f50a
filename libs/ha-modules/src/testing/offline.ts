import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { OFFLINE_AWS_PROVIDER_SETTINGS } from '@hafleet/terraform';

/** Test-only helpers: an AWS provider that plans with no account and no network. */

export const TEST_REGION = 'eu-west-1';
export const TEST_ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

export function offlineAwsProvider(scope: Construct, region = TEST_REGION): AwsProvider {
  return new AwsProvider(scope, 'aws', { region, ...OFFLINE_AWS_PROVIDER_SETTINGS });
}

/** A second, aliased provider in us-east-1 (`aws.us_east_1`), as a tenant stack has for CloudFront and global metrics. */
export function offlineUsEast1Provider(scope: Construct): AwsProvider {
  return new AwsProvider(scope, 'aws-us-east-1', { alias: 'us_east_1', region: 'us-east-1', ...OFFLINE_AWS_PROVIDER_SETTINGS });
}
