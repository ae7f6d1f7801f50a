import type { Construct } from 'constructs';
import { CacheCluster, type CacheClusterProps } from '../cache/cache.js';
import { TEST_APP_SECURITY_GROUP_ID, TEST_DATA_SUBNET_IDS, TEST_KMS_KEY_ARN, TEST_VPC_ID, TEST_WORKER_SECURITY_GROUP_ID } from './database-fixtures.js';

/** Test-only: session-cache props of tenant "acme". */
export const cacheProps = (overrides: Partial<CacheClusterProps> = {}): CacheClusterProps => ({
  name: 'acme',
  vpcId: TEST_VPC_ID,
  dataSubnetIds: TEST_DATA_SUBNET_IDS,
  allowedSecurityGroupIds: [TEST_APP_SECURITY_GROUP_ID, TEST_WORKER_SECURITY_GROUP_ID],
  kmsKeyArn: TEST_KMS_KEY_ARN,
  ...overrides,
});

export const cacheCluster = (scope: Construct, overrides: Partial<CacheClusterProps> = {}, id = 'cache'): CacheCluster =>
  new CacheCluster(scope, id, cacheProps(overrides));
