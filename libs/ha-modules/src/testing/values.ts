import type { SubnetPlacement } from '../network/placement.js';
import { TEST_ZONES } from './offline.js';

/**
 * Test-only values of tenant "acme": its account and key, and literal ids standing for the outputs
 * of the constructs a module under test would be given (network, instance tiers).
 */

export const ACCOUNT_ID = '123456789012';
/** The tenant's KMS key. */
export const KMS_KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT_ID}:key/11111111-1111-1111-1111-111111111111`;
export const CERTIFICATE_ARN = `arn:aws:acm:eu-west-1:${ACCOUNT_ID}:certificate/00000000-0000-0000-0000-000000000000`;
/** The bucket receiving the load balancer's access logs. */
export const ACCESS_LOG_BUCKET = `acme-access-logs-${ACCOUNT_ID}`;

export const VPC_ID = 'vpc-0123456789abcdef0';
export const DATA_SUBNET_IDS = ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2', 'subnet-0ccccccccccccccc3'];
/** A placement in `VPC_ID` of these subnets, the first in eu-west-1a, the next in eu-west-1b… (`zones` to choose others). */
export const placementOf = (subnetIds: readonly string[], zones: readonly string[] = TEST_ZONES): SubnetPlacement => ({
  vpcId: VPC_ID,
  subnets: subnetIds.map((id, index) => ({ id, zone: zones[index]! })),
});
/** The data subnets of tenant "acme", one per zone. */
export const DATA_PLACEMENT = placementOf(DATA_SUBNET_IDS);
/** Security groups of the web/app and worker instances. */
export const APP_SECURITY_GROUP_ID = 'sg-0aaaaaaaaaaaaaaa1';
export const WORKER_SECURITY_GROUP_ID = 'sg-0bbbbbbbbbbbbbbb2';
