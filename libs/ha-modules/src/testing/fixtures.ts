import type { Construct } from 'constructs';
import { Network, type NetworkProps } from '../network/network.js';
import { WebTier, type WebTierProps } from '../web-tier/web-tier.js';
import { TEST_ZONES } from './offline.js';

/** Test-only: a three-zone network laid out like the tenant spec's subnet layout (/20 in 16 /24s). */
export const networkProps = (overrides: Partial<NetworkProps> = {}): NetworkProps => ({
  name: 'acme',
  cidr: '10.20.0.0/20',
  availabilityZones: TEST_ZONES,
  subnets: {
    public: ['10.20.0.0/24', '10.20.1.0/24', '10.20.2.0/24'],
    app: ['10.20.4.0/24', '10.20.5.0/24', '10.20.6.0/24'],
    data: ['10.20.8.0/24', '10.20.9.0/24', '10.20.10.0/24'],
  },
  ...overrides,
});

export const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000';
/** Test-only: the tenant's KMS key. */
export const KMS_KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111';
/** Test-only: the bucket receiving the load balancer's access logs. */
export const ACCESS_LOG_BUCKET = 'acme-access-logs-123456789012';

/** Test-only: a web tier on top of `network`. */
export const webTier = (scope: Construct, network: Network, overrides: Partial<WebTierProps> = {}): WebTier =>
  new WebTier(scope, 'web', {
    name: 'acme',
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    appSubnetIds: network.appSubnetIds,
    amiId: 'ami-0123456789abcdef0',
    instanceType: 't3.medium',
    minCapacity: 2,
    maxCapacity: 6,
    certificateArn: CERTIFICATE_ARN,
    kmsKeyArn: KMS_KEY_ARN,
    accessLogs: { bucketName: ACCESS_LOG_BUCKET },
    ...overrides,
  });
