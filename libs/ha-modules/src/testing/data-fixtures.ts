import type { Construct } from 'constructs';
import { CacheCluster, type CacheClusterProps } from '../cache/cache.js';
import { Database, type DatabaseProps } from '../database/database.js';
import { APP_SECURITY_GROUP_ID, DATA_PLACEMENT, KMS_KEY_ARN, WORKER_SECURITY_GROUP_ID } from './values.js';

/** Test-only: the data tier of tenant "acme" (database, caches) in literal data subnets. */

/** What every data-tier construct of tenant "acme" is given. */
const DATA_TIER = {
  name: 'acme',
  placement: DATA_PLACEMENT,
  allowedSecurityGroupIds: [APP_SECURITY_GROUP_ID, WORKER_SECURITY_GROUP_ID],
  kmsKeyArn: KMS_KEY_ARN,
};

/** A MySQL database over three zones. */
export const database = (scope: Construct, overrides: Partial<DatabaseProps> = {}, id = 'database'): Database =>
  new Database(scope, id, { ...DATA_TIER, engine: 'mysql', instanceClass: 'db.r6g.large', ...overrides });

/** A session cache. */
export const cacheCluster = (scope: Construct, overrides: Partial<CacheClusterProps> = {}, id = 'cache'): CacheCluster =>
  new CacheCluster(scope, id, { ...DATA_TIER, authPassword: 'test-cache-password-0123456789', ...overrides });
