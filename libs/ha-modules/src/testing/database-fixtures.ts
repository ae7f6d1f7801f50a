import type { Construct } from 'constructs';
import { Database, type DatabaseProps } from '../database/database.js';
import { TEST_ZONES } from './offline.js';

/** Test-only: literal ids standing for the network and web tier's outputs. */
export const TEST_VPC_ID = 'vpc-0123456789abcdef0';
export const TEST_DATA_SUBNET_IDS = ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2', 'subnet-0ccccccccccccccc3'];
export const TEST_APP_SECURITY_GROUP_ID = 'sg-0aaaaaaaaaaaaaaa1';
export const TEST_WORKER_SECURITY_GROUP_ID = 'sg-0bbbbbbbbbbbbbbb2';
export const TEST_KMS_KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/22222222-2222-2222-2222-222222222222';

/** Test-only: database props of tenant "acme" over three zones. */
export const databaseProps = (overrides: Partial<DatabaseProps> = {}): DatabaseProps => ({
  name: 'acme',
  engine: 'mysql',
  instanceClass: 'db.r6g.large',
  vpcId: TEST_VPC_ID,
  dataSubnetIds: TEST_DATA_SUBNET_IDS,
  availabilityZones: TEST_ZONES,
  allowedSecurityGroupIds: [TEST_APP_SECURITY_GROUP_ID, TEST_WORKER_SECURITY_GROUP_ID],
  kmsKeyArn: TEST_KMS_KEY_ARN,
  ...overrides,
});

export const database = (scope: Construct, overrides: Partial<DatabaseProps> = {}, id = 'database'): Database =>
  new Database(scope, id, databaseProps(overrides));
