/**
 * What a stack cannot say about its own bill: how much a tenant's learners use it. One set of
 * assumptions per application profile, stated beside every figure made from them (like Infracost's
 * usage file). Per peak concurrent user or per account, so they scale with `expectedLoad`.
 */
export interface UsageAssumptions {
  readonly profile: string;
  /** Data served to learners per month, per concurrent user at the expected peak (GB). */
  readonly egressGbPerPeakUser: number;
  /** Requests per GB served (from the average response size). */
  readonly requestsPerGb: number;
  /** Data each instance sends through the NAT gateways per month: updates, external APIs, mail (GB). */
  readonly natGbPerInstance: number;
  /** Load balancer capacity units per peak concurrent user, averaged over the month. */
  readonly lcuPerPeakUser: number;
  /** Shared file system (EFS Standard) per account: course caches, temp, sessions files (GB). */
  readonly efsGbPerAccount: number;
  /** Content bucket per account: uploads, SCORM packages, backups of courses (GB). */
  readonly contentGbPerAccount: number;
  /** Aurora I/O requests per peak concurrent user per month (millions). */
  readonly auroraIoMillionsPerPeakUser: number;
  /** Share of the protected data that changes each day: what incremental backups and DR copies add. */
  readonly dailyChangeShare: number;
  /** CloudWatch Logs ingested per instance per month (flow logs, system logs) (GB). */
  readonly logGbPerInstance: number;
  /** WAF and access-log bytes per request. */
  readonly logBytesPerRequest: number;
  /** Mail sent per account per month (notifications, digests). */
  readonly emailsPerAccount: number;
}

const LMS: Omit<UsageAssumptions, 'profile'> = {
  egressGbPerPeakUser: 3,
  requestsPerGb: 20_000,
  natGbPerInstance: 20,
  lcuPerPeakUser: 0.002,
  efsGbPerAccount: 0.02,
  contentGbPerAccount: 0.05,
  auroraIoMillionsPerPeakUser: 0.5,
  dailyChangeShare: 0.02,
  logGbPerInstance: 3,
  logBytesPerRequest: 1_000,
  emailsPerAccount: 10,
};

/** Per profile (issue 11's `app.profile`); a profile not listed here uses `generic`. */
export const PROFILE_USAGE: Readonly<Record<string, UsageAssumptions>> = {
  moodle: { profile: 'moodle', ...LMS },
  totara: { profile: 'totara', ...LMS, emailsPerAccount: 15 },
  // Packages are large and replayed: more data per learner, fewer pages, little mail.
  'scorm-engine': {
    profile: 'scorm-engine',
    ...LMS,
    egressGbPerPeakUser: 5,
    requestsPerGb: 8_000,
    contentGbPerAccount: 0.1,
    emailsPerAccount: 1,
  },
  generic: { profile: 'generic', ...LMS, egressGbPerPeakUser: 2, emailsPerAccount: 5 },
};

export const DEFAULT_PROFILE = 'moodle';

export function usageFor(profile: string | undefined): UsageAssumptions {
  return PROFILE_USAGE[profile ?? DEFAULT_PROFILE] ?? PROFILE_USAGE['generic']!;
}
