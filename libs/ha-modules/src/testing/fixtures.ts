import type { Construct } from 'constructs';
import { Network, type NetworkProps } from '../network/network.js';
import { WebTier, type WebTierProps } from '../web-tier/web-tier.js';
import { Worker, type WorkerProps } from '../worker/worker.js';
import { TEST_ZONES } from './offline.js';
import { ref, type Synthesized } from './synth.js';
import { ACCESS_LOG_BUCKET, CERTIFICATE_ARN, KMS_KEY_ARN } from './values.js';

/** Test-only: a three-zone network laid out like the tenant spec's subnet layout (/20 in 16 /24s). */
export const networkProps = (overrides: Partial<NetworkProps> = {}): NetworkProps => ({
  name: 'acme',
  region: 'eu-west-1',
  cidr: '10.20.0.0/20',
  availabilityZones: TEST_ZONES,
  subnets: {
    public: ['10.20.0.0/24', '10.20.1.0/24', '10.20.2.0/24'],
    app: ['10.20.4.0/24', '10.20.5.0/24', '10.20.6.0/24'],
    data: ['10.20.8.0/24', '10.20.9.0/24', '10.20.10.0/24'],
  },
  ...overrides,
});

/** Test-only: references to the subnets of one tier of the `networkProps` network, in zone order. */
export const subnetRefs = ({ resources }: Pick<Synthesized, 'resources'>, tier: keyof NetworkProps['subnets']): string[] =>
  Object.entries(resources('aws_subnet'))
    .filter(([, s]) => (s['tags'] as Record<string, string>)['Name']!.startsWith(`acme-${tier}-`))
    .map(([id]) => ref('aws_subnet', id));

/** What the web and worker instances of tenant "acme" are given. */
const instances = (network: Network) => ({
  name: 'acme',
  placement: network.appPlacement,
  amiId: 'ami-0123456789abcdef0',
  kmsKeyArn: KMS_KEY_ARN,
});

/** Test-only: a web tier on top of `network`. */
export const webTier = (scope: Construct, network: Network, overrides: Partial<WebTierProps> = {}): WebTier =>
  new WebTier(scope, 'web', {
    ...instances(network),
    loadBalancerPlacement: network.publicPlacement,
    instanceType: 't3.medium',
    minCapacity: 2,
    maxCapacity: 6,
    certificateArn: CERTIFICATE_ARN,
    accessLogs: { bucketName: ACCESS_LOG_BUCKET },
    ...overrides,
  });

/** Test-only: the cron worker in the app subnets of `network`. */
export const worker = (scope: Construct, network: Network, overrides: Partial<WorkerProps> = {}): Worker =>
  new Worker(scope, 'worker', { ...instances(network), ...overrides });
