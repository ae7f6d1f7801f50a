/**
 * The sizing model's assumptions, as data: one row per size band, keyed by the expected peak of
 * concurrent users. Everything the model derives comes from this file, so the README table and the
 * tests read the same numbers. Pure data, no AWS.
 */

export type NatGatewayMode = 'per-az' | 'single';
export type Environment = 'production' | 'staging';

export interface SizingBand {
  readonly name: 'small' | 'medium' | 'large' | 'xlarge' | 'xxlarge';
  /** Highest expected concurrent users this band serves (inclusive); the band starts after the previous one. */
  readonly maxConcurrentUsers: number;
  /** Web/app tier instance type; the instance count follows from its vCPUs. */
  readonly webInstanceType: string;
  /** The single cron instance: heavier scheduled work (reports, course backups) in bigger tenants. */
  readonly workerInstanceType: string;
  /** Every database instance (writer, standby, readers). */
  readonly databaseInstanceClass: string;
  /** Aurora readers besides the writer (RDS Multi-AZ keeps one standby of its own). */
  readonly auroraReaders: number;
  readonly cacheNodeType: string;
  /** `single` (one shared NAT gateway) only in the small band: cheaper, but egress depends on one zone. */
  readonly natGateways: NatGatewayMode;
  /** Point-in-time recovery window of the database, days. */
  readonly databaseBackupDays: number;
  /** AWS Backup retention of database and file-system recovery points, days. */
  readonly backupRetentionDays: number;
}

export const SIZING_BANDS: readonly SizingBand[] = [
  {
    name: 'small',
    maxConcurrentUsers: 250,
    webInstanceType: 'm7i.large',
    workerInstanceType: 't3.medium',
    databaseInstanceClass: 'db.t4g.large',
    auroraReaders: 1,
    cacheNodeType: 'cache.t4g.medium',
    natGateways: 'single',
    databaseBackupDays: 7,
    backupRetentionDays: 35,
  },
  {
    name: 'medium',
    maxConcurrentUsers: 1_000,
    webInstanceType: 'm7i.xlarge',
    workerInstanceType: 't3.large',
    databaseInstanceClass: 'db.r6g.large',
    auroraReaders: 1,
    cacheNodeType: 'cache.r7g.large',
    natGateways: 'per-az',
    databaseBackupDays: 14,
    backupRetentionDays: 35,
  },
  {
    name: 'large',
    maxConcurrentUsers: 5_000,
    webInstanceType: 'm7i.2xlarge',
    workerInstanceType: 'm7i.large',
    databaseInstanceClass: 'db.r6g.2xlarge',
    auroraReaders: 2,
    cacheNodeType: 'cache.r7g.xlarge',
    natGateways: 'per-az',
    databaseBackupDays: 35,
    backupRetentionDays: 90,
  },
  {
    name: 'xlarge',
    maxConcurrentUsers: 20_000,
    webInstanceType: 'm7i.4xlarge',
    workerInstanceType: 'm7i.xlarge',
    databaseInstanceClass: 'db.r6g.4xlarge',
    auroraReaders: 2,
    cacheNodeType: 'cache.r7g.2xlarge',
    natGateways: 'per-az',
    databaseBackupDays: 35,
    backupRetentionDays: 90,
  },
  {
    name: 'xxlarge',
    maxConcurrentUsers: 50_000,
    webInstanceType: 'm7i.8xlarge',
    workerInstanceType: 'm7i.2xlarge',
    databaseInstanceClass: 'db.r6g.8xlarge',
    auroraReaders: 3,
    cacheNodeType: 'cache.r7g.4xlarge',
    natGateways: 'per-az',
    databaseBackupDays: 35,
    backupRetentionDays: 90,
  },
];

/** Concurrent users one web vCPU serves at the 50 % CPU scaling target (PHP LMS pages, sessions in the cache). */
export const USERS_PER_VCPU = 25;
/** Off-peak floor: the web tier never scales in below this share of what the expected peak needs. */
export const OFF_PEAK_SHARE = 0.5;
/** Spike protection: max = desired × this, room for the end-of-term / assessment-deadline pile-on. */
export const SPIKE_HEADROOM = 3;
/** Web instances a production tenant always keeps, one per zone of two (staging: 1). */
export const PRODUCTION_MIN_INSTANCES = 2;
/** The web tier's largest auto scaling group (the spec's limit on web.maxCapacity). */
export const MAX_WEB_INSTANCES = 200;
/** RDS storage: a base for the schema and system tables, plus a share per account in the population. */
export const STORAGE_BASE_GIB = 20;
/** Database growth per account (logs, grades, forum posts; files live in S3/EFS, not in the database). */
export const STORAGE_MIB_PER_ACCOUNT = 2;
/** Storage is rounded up to a multiple of this, so small population changes do not resize the volume. */
export const STORAGE_STEP_GIB = 10;
/**
 * Per-IP rate limit: a campus or hospital puts a share of the tenant's learners behind one NAT
 * address, each sending this many requests (pages, AJAX, assets through the CDN) per 5 minutes.
 */
export const SHARED_ADDRESS_SHARE = 0.25;
export const REQUESTS_PER_USER_PER_FIVE_MINUTES = 100;
/** The per-IP limit never goes below this (AWS WAF's own example value), rounded up to RATE_LIMIT_STEP. */
export const MIN_RATE_LIMIT_PER_FIVE_MINUTES = 2000;
export const RATE_LIMIT_STEP = 500;
/** The model's range: the top of the largest band. */
export const MAX_CONCURRENT_USERS = SIZING_BANDS.at(-1)!.maxConcurrentUsers;
export const MAX_POPULATION = 10_000_000;

/** The band serving `concurrentUsers` (1 … MAX_CONCURRENT_USERS). */
export function bandFor(concurrentUsers: number): SizingBand {
  const band = SIZING_BANDS.find((b) => concurrentUsers <= b.maxConcurrentUsers);
  if (!band || !Number.isInteger(concurrentUsers) || concurrentUsers < 1) {
    throw new RangeError(`concurrent users must be a whole number from 1 to ${MAX_CONCURRENT_USERS}, got ${concurrentUsers}`);
  }
  return band;
}

/** "251–1,000", the band's range for people. */
export function bandRange(band: SizingBand): string {
  const index = SIZING_BANDS.indexOf(band);
  const from = index <= 0 ? 1 : SIZING_BANDS[index - 1]!.maxConcurrentUsers + 1;
  return `${from.toLocaleString('en-US')}–${band.maxConcurrentUsers.toLocaleString('en-US')}`;
}

/**
 * vCPUs of an EC2 instance type from its size (large = 2, xlarge = 4, Nxlarge = 4N), which holds
 * for the general-purpose and compute families hafleet uses; undefined for other sizes.
 */
export function instanceVcpus(instanceType: string): number | undefined {
  const size = instanceType.split('.')[1];
  if (size === 'large') return 2;
  if (size === 'xlarge') return 4;
  const match = /^(\d+)xlarge$/.exec(size ?? '');
  return match ? 4 * Number(match[1]) : undefined;
}
