import { z } from 'zod';
import { MAX_CONCURRENT_USERS, MAX_POPULATION, MAX_WEB_INSTANCES, sizeTenant, type SizingReport } from '@hafleet/sizing';
import { catalogueProblem } from './aws-catalogue.js';
import { isPrivateRange, parseCidr } from './cidr.js';
import { DEFAULT_PROFILE, PROFILE_NAMES, applicationProfile, type ProfileName } from '@hafleet/app-profiles';
import { KNOWN_REGIONS, REGION_AVAILABILITY_ZONES, REGION_TIME_ZONES, cloudFrontPriceClass, defaultAvailabilityZones } from './regions.js';
import { LARGEST_VPC_PREFIX, MAX_AVAILABILITY_ZONES, SMALLEST_VPC_PREFIX } from './subnet-layout.js';

/**
 * The tenant spec: `tenants/<name>/tenant.json`. Data only; every default lives here, except the
 * sizes: those come from the sizing model (`@hafleet/sizing`) fed with `expectedLoad`, and a value
 * set in the spec wins over the model. So a spec says only what is particular to its client.
 * Messages end with the fix an operator needs.
 */

/** Names that would collide with the workspace's own Nx projects or fleet-wide words. */
export const RESERVED_TENANT_NAMES = [
  'all',
  'apps',
  'bootstrap',
  'cdktf-app',
  'cli',
  'default',
  'disaster-recovery',
  'entry-point',
  'fleet',
  'fs-safe',
  'guardrails',
  'ha-modules',
  'libs',
  'nx-plugin',
  'onboarding',
  'sizing',
  'state-bootstrap',
  'tenant-spec',
  'tenant-stack',
  'tenants',
  'terraform',
  'test',
  'testing',
] as const;

const TENANT_NAME = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){1,30}[a-z0-9]$/;
export const DATABASE_ENGINES = ['mysql', 'postgres', 'aurora-mysql', 'aurora-postgresql'] as const;
export const ENVIRONMENTS = ['production', 'staging'] as const;
/** The AMI id form, shared with fleet.json's defaultRelease. */
export const AMI_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

export const tenantNameSchema = z
  .string()
  .regex(TENANT_NAME, {
    error: 'must be DNS-safe: 3–32 lowercase letters, digits and single hyphens, starting with a letter — fix: e.g. "northwind-university"',
  })
  .refine((name) => !(RESERVED_TENANT_NAMES as readonly string[]).includes(name), {
    error: (issue) => `"${String(issue.input)}" is reserved for the workspace — fix: choose another tenant name`,
  })
  .describe('DNS-safe tenant name; also the Nx project name and the prefix of every AWS resource name.');

const vpcCidrSchema = z
  .string()
  .refine((text) => parseCidr(text) !== undefined, {
    error: (issue) => `"${String(issue.input)}" is not an IPv4 network in CIDR form — fix: e.g. "10.20.0.0/16" (no host bits set)`,
  })
  .refine((text) => isPrivateRange(text), {
    error: (issue) =>
      `${String(issue.input)} is not a private (RFC 1918) range — fix: a range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, e.g. "10.20.0.0/16"`,
  })
  .refine(
    (text) => {
      const cidr = parseCidr(text);
      return !cidr || (cidr.prefix >= LARGEST_VPC_PREFIX && cidr.prefix <= SMALLEST_VPC_PREFIX);
    },
    {
      error: (issue) =>
        `${String(issue.input)} cannot hold the tenant's subnets ` +
        `(3 tiers × up to ${MAX_AVAILABILITY_ZONES} zones of at least /28) — fix: ` +
        `use a prefix from /${LARGEST_VPC_PREFIX} to /${SMALLEST_VPC_PREFIX}, e.g. a /16`,
    },
  )
  .describe('The tenant VPC range; unique across the fleet. Subnets are carved from it deterministically.');

const networkSchema = z
  .strictObject({
    vpcCidr: vpcCidrSchema,
    natGateways: z
      .enum(['per-az', 'single'], {
        error: 'must be "per-az" or "single" — fix: use "per-az" unless this is a small tenant that accepts losing egress with one zone',
      })
      .optional()
      .describe(
        '"per-az" (survives the loss of a zone) or "single" (one shared NAT gateway, cheaper). Default: sizing model (single only in the small band).',
      ),
  })
  .describe('Network layer.');

const appSchema = z
  .strictObject({
    amiId: z
      .string({ error: 'is required — fix: set app.amiId to the release AMI, e.g. "ami-0123456789abcdef0"' })
      .regex(AMI_ID, { error: 'must be an AMI id like "ami-0123456789abcdef0" — fix: copy the id of the release image' })
      .describe('The immutable release image the web and worker tiers boot.'),
    instanceType: z
      .string()
      .refine((t) => !catalogueProblem('ec2', t), { error: (issue) => catalogueProblem('ec2', String(issue.input)) })
      .optional()
      .describe('Web tier instance type. Default: sizing model.'),
    profile: z
      .enum(PROFILE_NAMES as [ProfileName, ...ProfileName[]], {
        error: `must be one of ${PROFILE_NAMES.join(', ')} — fix: the platform this tenant runs (libs/app-profiles lists what each one sets)`,
      })
      .optional()
      .describe(
        `Application profile: ${PROFILE_NAMES.join(', ')}. Sets the health check, WAF exemptions, timeouts, ` +
          `config file and cron. Default: fleet.json defaultProfile, else ${DEFAULT_PROFILE}.`,
      ),
    port: z
      .number()
      .int()
      .min(1)
      .max(65535, { error: 'must be a TCP port 1–65535' })
      .optional()
      .describe("Port the application listens on. Default: the profile's."),
    healthCheckPath: z
      .string()
      .regex(/^\/[\x21-\x7e]*$/, { error: 'must be a URL path starting with "/" — fix: e.g. "/hafleet-health.txt"' })
      .optional()
      .describe("Shallow path the load balancer probes (must not need the database). Default: the profile's."),
    rootVolumeGiB: z.number().int().min(8).max(1024).default(30).describe('Encrypted gp3 root volume size. Default 30 GiB.'),
    rootDeviceName: z
      .string()
      .regex(/^\/dev\/[a-z0-9]+$/)
      .default('/dev/xvda')
      .describe('Root device of the AMI. Default /dev/xvda (Amazon Linux).'),
    release: z.string().min(1).max(64).optional().describe('Release label of the AMI, shown in reports and tags.'),
  })
  .describe('The application image and how the load balancer reaches it.');

const webSchema = z
  .strictObject({
    minCapacity: z
      .number()
      .int()
      .min(1, { error: 'must be at least 1' })
      .max(100)
      .optional()
      .describe('Default: sizing model (half the instances the expected peak needs, ≥ 2 in production).'),
    maxCapacity: z
      .number()
      .int()
      .min(1)
      .max(MAX_WEB_INSTANCES)
      .optional()
      .describe('Default: sizing model (3× desired, for the end-of-term pile-on).'),
    desiredCapacity: z
      .number()
      .int()
      .min(1)
      .max(MAX_WEB_INSTANCES)
      .optional()
      .describe('Default: sizing model (the instances the expected peak needs), within min and max.'),
    cpuTargetPercent: z.number().int().min(10).max(90).default(50).describe('Target-tracking CPU target. Default 50 %.'),
    healthCheckGraceSeconds: z.number().int().min(0).max(3600).default(300).describe('Default 300 s.'),
    minHealthyPercent: z
      .number()
      .int()
      .min(50)
      .max(100)
      .default(100)
      .describe('Instance refresh floor: capacity never drops below this share of the desired count. Default 100 %.'),
    maxHealthyPercent: z
      .number()
      .int()
      .min(101, { error: 'must be above 100 so a release launches new instances before it terminates old ones — fix: e.g. 150' })
      .max(200)
      .default(150)
      .describe('Instance refresh ceiling: new instances launch first, up to this share of the desired count. Default 150 %.'),
  })
  .describe('Web tier capacity and scaling.');

const ACM_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/;

/** Region of an ACM certificate ARN (undefined when malformed). */
export function certificateRegion(arn: string): string | undefined {
  return ACM_ARN.exec(arn)?.[1];
}

const certificateArnSchema = (where: string) =>
  z
    .string({ error: `is required — fix: the ARN of the ACM certificate ${where}` })
    .regex(ACM_ARN, { error: `must be an ACM certificate ARN — fix: copy the ARN of the certificate ${where}` });

const edgeSchema = z
  .strictObject({
    certificateArn: certificateArnSchema('for the domain, in the tenant region').describe(
      'ACM certificate (tenant region) for the HTTPS listener; HTTP always redirects to HTTPS.',
    ),
    rateLimitPerFiveMinutes: z
      .number()
      .int()
      .min(100)
      .max(2_000_000_000)
      .optional()
      .describe(
        'Per-IP rate limit (requests per 5 minutes) at the CDN and the load balancer. Default: sizing model ' +
          '(a quarter of the expected peak behind one NAT address).',
      ),
    largeBodyPaths: z
      .array(z.string().regex(/^\/[\x21-\x7e]*$/, { error: 'must be a URL path starting with "/"' }))
      .default([])
      .describe("Paths where the WAF allows bodies over 8 KB, besides the application profile's (uploads, AJAX, quiz answers, xAPI)."),
    countModePaths: z
      .array(z.string().regex(/^\/[\x21-\x7e]*$/, { error: 'must be a URL path starting with "/"' }))
      .default([])
      .describe("Paths where body-inspecting managed WAF rules only count, besides the application profile's (authoring, runtime)."),
    shieldAdvanced: z
      .boolean()
      .default(false)
      .describe('Shield Advanced protection for the ALB and the CloudFront distribution (the account must subscribe). Default off.'),
  })
  .describe('Load balancer edge: HTTPS, WAF, Shield.');

const signedContentSchema = z
  .strictObject({
    pathPatterns: z
      .array(
        z
          .string()
          .regex(/^\/[\x21-\x7e]*$/, { error: 'must be a CloudFront path pattern starting with "/" — fix: e.g. "/content/private/*"' })
          .refine((p) => p !== '/*' && p !== '/', { error: 'would sign the whole site — fix: name the private content paths only' }),
      )
      .min(1, { error: 'needs at least one path pattern — fix: e.g. ["/content/private/*"]' })
      .describe('Content bucket paths served only with a signed URL or cookie.'),
    publicKeys: z
      .array(
        z.strictObject({
          name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be 1-64 letters, digits, hyphens or underscores' }),
          encodedKey: z.string().regex(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PUBLIC KEY-----\n?$/, {
            error: 'must be a PEM RSA public key — fix: openssl rsa -pubout -in private_key.pem',
          }),
        }),
      )
      .min(1, { error: 'needs at least one public key — fix: the PEM of the key the application signs with' })
      .max(5, { error: 'CloudFront key groups hold at most 5 keys' })
      .describe('Public keys the signed URLs/cookies are checked against (one key group; two during a rotation).'),
  })
  .describe('Signed URLs or cookies for content that must not be public.');

const cdnSchema = z
  .strictObject({
    certificateArn: certificateArnSchema('for the domain, in us-east-1 (CloudFront only uses us-east-1)').describe(
      'ACM certificate in us-east-1 for the distribution.',
    ),
    priceClass: z
      .enum(['PriceClass_100', 'PriceClass_200', 'PriceClass_All'])
      .optional()
      .describe(
        "Edge locations used. Default: the cheapest class with edges near the tenant's region (Sydney and São Paulo need PriceClass_All).",
      ),
    originReadTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(180, { error: 'must be at most 180 s, the CloudFront hard limit — fix: run longer jobs asynchronously' })
      .optional()
      .describe(
        "Seconds CloudFront waits for the load balancer. Default: the profile's (≤ 60). " +
          "Above 60 needs the account's CloudFront origin response timeout quota raised first.",
      ),
    signedContent: signedContentSchema.optional(),
  })
  .describe('CloudFront in front of the ALB and the content bucket; omit for no CDN.');

const databaseSchema = z
  .strictObject({
    engine: z
      .enum(DATABASE_ENGINES, {
        error: 'must be one of mysql, postgres, aurora-mysql, aurora-postgresql',
      })
      .default('aurora-mysql')
      .describe('RDS Multi-AZ (mysql, postgres) or Aurora (aurora-mysql, aurora-postgresql). Default aurora-mysql.'),
    instanceClass: z
      .string()
      .refine((t) => !catalogueProblem('rds', t), { error: (issue) => catalogueProblem('rds', String(issue.input)) })
      .optional()
      .describe('Default: sizing model.'),
    allocatedStorageGiB: z
      .number()
      .int()
      .min(20)
      .max(65536)
      .optional()
      .describe('RDS only (autoscales to 4×). Default: sizing model, from the population.'),
    readers: z
      .number()
      .int()
      .min(1, { error: 'must be at least 1 so the cluster survives the loss of its writer' })
      .max(15)
      .optional()
      .describe('Aurora readers in other zones. Default: sizing model.'),
    backupRetentionDays: z
      .number()
      .int()
      .min(7, { error: 'must be at least 7 days — fix: set 7 or more' })
      .max(35)
      .optional()
      .describe('Automated backups and point-in-time recovery window. Default: sizing model.'),
  })
  .describe('The relational database.');

const cacheSchema = z
  .strictObject({
    engine: z.enum(['valkey', 'redis']).default('valkey').describe('Default valkey.'),
    nodeType: z
      .string()
      .refine((t) => !catalogueProblem('cache', t), { error: (issue) => catalogueProblem('cache', String(issue.input)) })
      .optional()
      .describe('Default: sizing model.'),
    replicas: z
      .number()
      .int()
      .min(1, { error: 'must be at least 1 so sessions survive the loss of a node' })
      .max(5)
      .default(1)
      .describe('Replicas per group. Default 1 (2 nodes).'),
    separateApplicationCache: z
      .boolean()
      .default(false)
      .describe('A second group for the application cache, so purging it never wipes sessions. Default off.'),
  })
  .describe('Session (and application) cache.');

const disasterRecoverySchema = z
  .strictObject({
    region: z
      .enum(KNOWN_REGIONS as [string, ...string[]], {
        error: (issue) =>
          `"${String(issue.input)}" is not a region hafleet knows — fix: one of ${KNOWN_REGIONS.join(', ')}, other than the tenant's own`,
      })
      .describe("Region AWS Backup copies every recovery point to (vault and key of the tenant there); not the tenant's own region."),
    copyRetentionDays: z
      .number()
      .int()
      .min(7, { error: 'must be at least 7 days — fix: set 7 or more' })
      .max(3650)
      .optional()
      .describe('Days the copies are kept in the DR region. Default: backup.retentionDays.'),
  })
  .describe(
    'Disaster recovery: copies of the database, file system and content bucket backups in another region; `fleet dr <tenant>` prints the runbook.',
  );

const observabilitySchema = z
  .strictObject({
    flowLogs: z
      .strictObject({
        destination: z
          .enum(['s3', 'cloudwatch'], { error: 'must be "s3" or "cloudwatch"' })
          .default('s3')
          .describe(
            '"s3": the tenant log bucket under vpc-flow-logs/ (about a tenth of the CloudWatch price per GB). ' +
              '"cloudwatch": an encrypted log group, queryable with Logs Insights. Default s3.',
          ),
        retentionDays: z
          .number()
          .int()
          .min(1, { error: 'must be at least 1 day' })
          .max(3653, { error: 'holds at most 3653 days (10 years)' })
          .default(365)
          .describe('Days the VPC flow logs (all traffic) are kept. Default 365.'),
      })
      .prefault({})
      .describe('VPC flow logs: where they go and how long they are kept.'),
  })
  .prefault({})
  .describe('Logs kept for investigations.');

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Rollout rings, in the order a fleet-wide rollout visits them. */
export const ROLLOUT_RINGS = ['canary', 'early', 'general'] as const;
export type RolloutRing = (typeof ROLLOUT_RINGS)[number];

const wholeNumber = (what: string, fix: string) =>
  z
    .number({ error: (issue) => (issue.input === undefined ? `is required — fix: ${fix}` : `must be a whole number — fix: ${fix}`) })
    .int({ error: `must be a whole number — fix: ${fix}` })
    .min(1, { error: (issue) => `${String(issue.input)} ${what} is not a load — fix: ${fix}` });

const expectedLoadSchema = z
  .strictObject(
    {
      concurrentUsers: wholeNumber('concurrent users', 'the number of learners expected online at the same time at peak, e.g. 800')
        .max(MAX_CONCURRENT_USERS, {
          error: (issue) =>
            `${String(issue.input)} is above the sizing model's largest band ` +
            `(${MAX_CONCURRENT_USERS.toLocaleString('en-US')}) — fix: split the client into several tenants`,
        })
        .describe('Learners online at the same time at the expected peak; drives the web, database and cache sizes.'),
      population: wholeNumber('accounts', 'every account that can log in, e.g. 40000')
        .max(MAX_POPULATION, {
          error: `must be at most ${MAX_POPULATION.toLocaleString('en-US')} — fix: split the client into several tenants`,
        })
        .describe('Every account that can log in; drives the database storage.'),
    },
    {
      error: (issue) =>
        issue.input === undefined
          ? 'is required — fix: add "expectedLoad": { "concurrentUsers": …, "population": … } (the sizing model sizes the stack from it)'
          : 'must be an object { concurrentUsers, population }',
    },
  )
  .superRefine((load, ctx) => {
    if (load.population < load.concurrentUsers) {
      ctx.addIssue({
        code: 'custom',
        path: ['population'],
        message:
          `${load.population} is below concurrentUsers ${load.concurrentUsers} — fix: ` +
          `population counts every account that can log in, so it is at least the concurrent users`,
      });
    }
  })
  .describe(
    'The expected load the sizing model sizes the stack from. Explicit sizes in the spec win over the model; `fleet size <tenant>` shows both.',
  );

/**
 * Exceptions to the guardrails (`@hafleet/guardrails`), one per rule and resource, each with the
 * reason it is safe. Rule ids are checked against the pack when it runs (it lives above this lib).
 */
const guardrailsSchema = z
  .strictObject({
    suppressions: z
      .array(
        z.strictObject({
          rule: z
            .string({ error: 'is required — fix: the id of the rule to suppress, e.g. "HAF-ENC-003" (`fleet policy` lists them)' })
            .regex(/^HAF-[A-Z0-9]+-\d{3}$/, {
              error: 'must be a guardrails rule id like "HAF-ENC-003" — fix: copy the id from `fleet policy`',
            }),
          resource: z
            .string({ error: 'is required — fix: the construct path (e.g. "logs/bucket") or terraform address the finding names' })
            .min(1, { error: 'is required — fix: the construct path (e.g. "logs/bucket") or terraform address the finding names' })
            .describe(
              'Construct path without the tenant (e.g. "logs/bucket") or terraform address (e.g. ' +
                '"aws_s3_bucket.logs_bucket_5A22438C"), as `fleet policy` shows it.',
            ),
          reason: z
            .string({ error: 'is required — fix: say why this exception is safe for this tenant' })
            .trim()
            .min(1, { error: 'must not be empty — fix: say why this exception is safe for this tenant' })
            .describe('Why the exception is safe; printed in every policy report.'),
        }),
      )
      .default([])
      .describe('Findings accepted for this tenant. Unknown rule ids are an error.'),
  })
  .prefault({})
  .describe('Policy pack settings: suppressions with a reason each.');

const tagsSchema = z
  .record(
    z
      .string()
      .min(1)
      .max(128)
      .refine((key) => !key.startsWith('aws:'), { error: 'tag keys must not start with "aws:"' }),
    z.string().max(256),
  )
  .default({})
  .describe('Extra tags on every resource (tenant and managed-by are always added).');

export const tenantSpecSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: tenantNameSchema,
    displayName: z.string().min(1, { error: 'is required — fix: the client organisation name' }).max(100),
    environment: z.enum(ENVIRONMENTS).default('production').describe('Default production.'),
    expectedLoad: expectedLoadSchema,
    rollout: z
      .strictObject({
        ring: z
          .enum(ROLLOUT_RINGS, {
            error: `must be one of ${ROLLOUT_RINGS.join(', ')} — fix: "canary" for internal tenants, "early" for the first clients, else "general"`,
          })
          .default('general')
          .describe(`Rollout ring: ${ROLLOUT_RINGS.join(' → ')}, the order fleet-wide rollouts visit tenants. Default general.`),
      })
      .prefault({})
      .describe('How fleet-wide rollouts treat this tenant.'),
    region: z.enum(KNOWN_REGIONS as [string, ...string[]], {
      error: (issue) => `"${String(issue.input)}" is not a region hafleet knows — fix: one of ${KNOWN_REGIONS.join(', ')}`,
    }),
    availabilityZones: z
      .array(z.string())
      .min(2, { error: 'needs at least 2 zones for high availability — fix: list 2–4 zones of the region' })
      .max(MAX_AVAILABILITY_ZONES, { error: `holds at most ${MAX_AVAILABILITY_ZONES} zones` })
      .optional()
      .describe("Zones to spread every tier across. Default: the region's first three."),
    network: networkSchema,
    app: appSchema,
    domain: z
      .string({ error: 'is required — fix: the hostname learners use, e.g. "learn.northwind.edu"' })
      .regex(/^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
        error: 'must be a lowercase hostname — fix: e.g. "learn.northwind.edu"',
      })
      .describe('Hostname learners use; unique across the fleet.'),
    timeZone: z
      .string()
      .refine(isTimeZone, {
        error: (issue) => `"${String(issue.input)}" is not an IANA time zone — fix: e.g. "Australia/Sydney" or "Europe/London"`,
      })
      .optional()
      .describe("The client's time zone: maintenance, backup and snapshot windows fall in its night. Default: the region's."),
    mail: z
      .strictObject({
        fromAddress: z
          .string()
          .regex(EMAIL, { error: 'must be an email address — fix: e.g. "no-reply@learn.northwind.edu"' })
          .optional()
          .describe('Sender of platform mail. Default: no-reply@<domain> (SES verifies the domain).'),
        relay: z
          .strictObject({
            host: z
              .string()
              .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { error: 'must be a hostname like "smtp.example.org"' }),
            port: z.number().int().min(1).max(65535).default(587),
          })
          .optional()
          .describe("The client's own SMTP relay instead of Amazon SES."),
      })
      .prefault({})
      .describe('Outgoing mail: Amazon SES for the tenant domain (DKIM) unless a relay is named.'),
    account: z
      .strictObject({
        id: z
          .string()
          .regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id — fix: e.g. "444455556666"' })
          .optional()
          .describe("Tenant's own AWS account. Default: fleet.json defaultAccountId."),
        deployerRoleArn: z
          .string()
          .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, {
            error: 'must be an IAM role ARN like "arn:aws:iam::111122223333:role/hafleet-deployer"',
          })
          .optional()
          .describe('Role terraform assumes for this tenant.'),
        dedicated: z
          .boolean()
          .default(false)
          .describe(
            'This tenant is the only hafleet stack in account.id: its stack may then own account-wide settings (Amazon Inspector scanning). Default false.',
          ),
      })
      .prefault({}),
    alerts: z
      .strictObject({
        emails: z
          .array(z.string().regex(EMAIL, { error: 'must be an email address — fix: e.g. "ops@example.org"' }))
          .min(1, { error: "needs at least one address — fix: the team that owns this tenant's alarms" }),
      })
      .describe('Who receives the alarms.'),
    observability: observabilitySchema,
    web: webSchema.prefault({}),
    worker: z
      .strictObject({
        instanceType: z
          .string()
          .refine((t) => !catalogueProblem('ec2', t), { error: (issue) => catalogueProblem('ec2', String(issue.input)) })
          .optional()
          .describe('Default: sizing model.'),
      })
      .prefault({})
      .describe('The single cron/scheduled-jobs instance.'),
    edge: edgeSchema,
    cdn: cdnSchema.optional(),
    database: databaseSchema.prefault({}),
    cache: cacheSchema.prefault({}),
    files: z
      .strictObject({
        noncurrentVersionDays: z.number().int().min(1).max(3650).default(90).describe('Old content versions kept. Default 90 days.'),
      })
      .prefault({}),
    backup: z
      .strictObject({
        retentionDays: z
          .number()
          .int()
          .min(7, { error: 'must be at least 7 days' })
          .max(3650)
          .optional()
          .describe('AWS Backup retention. Default: sizing model.'),
      })
      .prefault({}),
    disasterRecovery: disasterRecoverySchema.optional(),
    guardrails: guardrailsSchema,
    tags: tagsSchema,
  })
  .superRefine((spec, ctx) => {
    const known = REGION_AVAILABILITY_ZONES[spec.region];
    spec.availabilityZones?.forEach((zone, i) => {
      if (known && !known.includes(zone)) {
        ctx.addIssue({
          code: 'custom',
          path: ['availabilityZones', i],
          message: `"${zone}" is not a zone of ${spec.region} — fix: one of ${known.join(', ')}`,
        });
      }
    });
    if (spec.availabilityZones && new Set(spec.availabilityZones).size !== spec.availabilityZones.length) {
      ctx.addIssue({ code: 'custom', path: ['availabilityZones'], message: 'lists a zone twice — fix: list each zone once' });
    }
    const edgeRegion = certificateRegion(spec.edge.certificateArn);
    if (edgeRegion && edgeRegion !== spec.region) {
      ctx.addIssue({
        code: 'custom',
        path: ['edge', 'certificateArn'],
        message: `is in ${edgeRegion}, but the load balancer is in ${spec.region} — fix: use a certificate issued in ${spec.region}`,
      });
    }
    if (spec.account.dedicated && !spec.account.id) {
      ctx.addIssue({
        code: 'custom',
        path: ['account', 'dedicated'],
        message:
          "is true but account.id is not set: the fleet's default account is shared — fix: set account.id to the tenant's own account, or remove dedicated",
      });
    }
    if (spec.disasterRecovery?.region === spec.region) {
      const others = KNOWN_REGIONS.filter((r) => r !== spec.region);
      const nearby = others.find((r) => r.split('-')[0] === spec.region.split('-')[0]) ?? others[0];
      ctx.addIssue({
        code: 'custom',
        path: ['disasterRecovery', 'region'],
        message: `is the tenant's own region ${spec.region}: a copy there does not survive losing it — fix: name another region, e.g. ${nearby}`,
      });
    }
    const cdnRegion = spec.cdn && certificateRegion(spec.cdn.certificateArn);
    if (cdnRegion && cdnRegion !== 'us-east-1') {
      ctx.addIssue({
        code: 'custom',
        path: ['cdn', 'certificateArn'],
        message: `is in ${cdnRegion} — fix: CloudFront only uses certificates issued in us-east-1`,
      });
    }
  })
  .transform((spec) => {
    // The sizing model fills every size the spec leaves out; explicit values win.
    const sizing: SizingReport = sizeTenant(
      { load: spec.expectedLoad, environment: spec.environment, aurora: spec.database.engine.startsWith('aurora') },
      {
        app: spec.app,
        web: spec.web,
        worker: spec.worker,
        database: spec.database,
        cache: spec.cache,
        network: spec.network,
        backup: spec.backup,
        edge: spec.edge,
      },
    );
    const sized = sizing.effective;
    const profileName = spec.app.profile ?? DEFAULT_PROFILE;
    const profile = applicationProfile(profileName);
    return {
      ...spec,
      availabilityZones: spec.availabilityZones ?? defaultAvailabilityZones(spec.region),
      timeZone: spec.timeZone ?? REGION_TIME_ZONES[spec.region] ?? 'UTC',
      mail: { ...spec.mail, fromAddress: spec.mail.fromAddress ?? `no-reply@${spec.domain}` },
      network: { ...spec.network, ...sized.network },
      app: {
        ...spec.app,
        ...sized.app,
        profile: profileName,
        port: spec.app.port ?? profile.port,
        healthCheckPath: spec.app.healthCheckPath ?? profile.health.shallowPath,
      },
      web: { ...spec.web, ...sized.web },
      worker: { ...spec.worker, ...sized.worker },
      database: { ...spec.database, ...sized.database },
      cache: { ...spec.cache, ...sized.cache },
      backup: { ...spec.backup, ...sized.backup },
      edge: { ...spec.edge, ...sized.edge },
      cdn: spec.cdn && { ...spec.cdn, priceClass: spec.cdn.priceClass ?? cloudFrontPriceClass(spec.region) },
      disasterRecovery: spec.disasterRecovery && {
        region: spec.disasterRecovery.region,
        copyRetentionDays: spec.disasterRecovery.copyRetentionDays ?? sized.backup.retentionDays,
      },
      /** How each size was chosen: model, override, effective and why (`fleet size`). */
      sizing,
    };
  })
  .superRefine((spec, ctx) => {
    // On the effective values: an explicit value can contradict another one, or the model's.
    const { minCapacity, maxCapacity, desiredCapacity } = spec.web;
    const from = (field: 'minCapacity' | 'maxCapacity' | 'desiredCapacity') =>
      spec.sizing.decisions.find((d) => d.field === `web.${field}`)?.source === 'model' ? ' (from the sizing model)' : '';
    if (minCapacity > maxCapacity) {
      ctx.addIssue({
        code: 'custom',
        path: ['web', 'minCapacity'],
        message: `${minCapacity} is above maxCapacity ${maxCapacity}${from('maxCapacity')} — fix: make minCapacity ≤ maxCapacity`,
      });
    }
    if (minCapacity <= maxCapacity && (desiredCapacity < minCapacity || desiredCapacity > maxCapacity)) {
      ctx.addIssue({
        code: 'custom',
        path: ['web', 'desiredCapacity'],
        message: `${desiredCapacity} is outside ${minCapacity}–${maxCapacity} — fix: pick a value between minCapacity and maxCapacity`,
      });
    }
    if (spec.web.maxHealthyPercent - spec.web.minHealthyPercent > 100) {
      ctx.addIssue({
        code: 'custom',
        path: ['web', 'maxHealthyPercent'],
        message:
          `${spec.web.maxHealthyPercent} is more than 100 above minHealthyPercent ` +
          `${spec.web.minHealthyPercent} — fix: AWS allows at most 100 points between them, e.g. min 100 / max 150`,
      });
    }
    if (spec.environment === 'production' && minCapacity < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['web', 'minCapacity'],
        message: `${minCapacity} leaves production on one instance — fix: set at least 2 (or environment "staging")`,
      });
    }
  });

/** A validated spec with every default filled in. */
export type TenantSpec = z.output<typeof tenantSpecSchema>;
/** What a person writes in tenant.json. */
export type TenantSpecInput = z.input<typeof tenantSpecSchema>;
