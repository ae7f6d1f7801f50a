import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { OFFLINE_AWS_PROVIDER_SETTINGS } from '@hafleet/terraform';

/** Test-only values and helpers for the `cdn/` construct. */

export const CLOUDFRONT_CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/22222222-2222-2222-2222-222222222222';
export const ORIGIN_VERIFY_SECRET = 'test-origin-verify-secret-0123456789';

/** The aliased us-east-1 provider a caller creates for CloudFront-scoped resources, offline. */
export const usEast1Provider = (scope: Construct): AwsProvider =>
  new AwsProvider(scope, 'aws-us-east-1', { alias: 'us_east_1', region: 'us-east-1', ...OFFLINE_AWS_PROVIDER_SETTINGS });

/** Test-only: an RSA-2048 public key (its private key was discarded), for signed-content key groups. */
export const SIGNING_PUBLIC_KEY = [
  '-----BEGIN PUBLIC KEY-----',
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAshR1qz7dT1WmN+0t3nxD',
  'unaJQMR0f0qEo4dY65Rb0S/Cm22sIOmakctN2rU2m6zBCBH0AT+H53/O3QzOBGH1',
  'jSAd/TN83dlVi6d0n4rv9PnohqsbmuY+Vm833rq5WG08vRs4nFFvQA0+tydpyq2s',
  'O/cJtUk+D6AUEhzhR0FrPkrNEI094vI7E4v75oIUe+JYFlWW8zelv5KKrdXdipOH',
  'iQdYMZ+AZADRxR3WmK/7kJwADeyyRYz+if/Fzu8hTsoq388oAeNPuaHbjLfPz4vd',
  'OD84GQGckjX+YAc66R0HCHU13QawrxNsfYm+jdbGWCXE4fJiySmwajDaMABnYYBu',
  'iQIDAQAB',
  '-----END PUBLIC KEY-----',
  '',
].join('\n');
