import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_PROFILE, PROFILE_NAMES, type ProfileName } from '@hafleet/app-profiles';
import { formatCidr, parseCidr, type Cidr } from './cidr.js';
import { issueToProblem } from './load.js';
import { SpecValidationError } from './problems.js';
import { AMI_ID } from './schema.js';
import { LARGEST_VPC_PREFIX, SMALLEST_VPC_PREFIX } from './subnet-layout.js';

/** Where onboarding takes new tenants' VPC ranges from, unless fleet.json says otherwise. */
export const DEFAULT_NETWORK_POOL = { cidr: '10.0.0.0/8', prefix: 16 } as const;

const networkPoolSchema = z
  .strictObject({
    cidr: z
      .string()
      .refine((text) => parseCidr(text) !== undefined, {
        error: (issue) => `"${String(issue.input)}" is not an IPv4 network in CIDR form — fix: e.g. "10.0.0.0/8"`,
      })
      .default(DEFAULT_NETWORK_POOL.cidr)
      .describe(`The range every tenant VPC is allocated from. Default ${DEFAULT_NETWORK_POOL.cidr}.`),
    prefix: z
      .number()
      .int()
      .min(LARGEST_VPC_PREFIX, {
        error: `must be /${LARGEST_VPC_PREFIX} to /${SMALLEST_VPC_PREFIX} — fix: AWS allows VPCs from /16 to /28, and hafleet's subnets need a /24 or larger`,
      })
      .max(SMALLEST_VPC_PREFIX, {
        error: `must be /${LARGEST_VPC_PREFIX} to /${SMALLEST_VPC_PREFIX} — fix: hafleet's 16 subnet blocks of at least /28 need a /24 or larger`,
      })
      .default(DEFAULT_NETWORK_POOL.prefix)
      .describe(`Size of each new tenant VPC. Default /${DEFAULT_NETWORK_POOL.prefix}.`),
  })
  .refine((pool) => (parseCidr(pool.cidr)?.prefix ?? 0) <= pool.prefix, {
    path: ['prefix'],
    error: 'is larger than the pool itself — fix: make networkPool.cidr wider or networkPool.prefix longer',
  })
  .describe('Onboarding picks the first free block of this size in this range that overlaps no tenant.');

/** GitHub Actions refuses a matrix of more than 256 jobs. */
export const MAX_MATRIX_JOBS = 256;

const ciSchema = z
  .strictObject({
    maxJobs: z
      .number()
      .int()
      .min(1)
      .max(MAX_MATRIX_JOBS, {
        error: `must be at most ${MAX_MATRIX_JOBS} — fix: GitHub refuses a matrix of more than ${MAX_MATRIX_JOBS} jobs`,
      })
      .default(16)
      .describe('Most jobs the plan and apply workflows split the affected tenants into. Default 16.'),
    approvalTenants: z
      .array(z.string().min(1))
      .max(MAX_MATRIX_JOBS, {
        error: `lists more than ${MAX_MATRIX_JOBS} tenants — fix: approve by shard (the "fleet" environment) instead`,
      })
      .default([])
      .describe(
        'Tenants whose apply waits for a reviewer: ' +
          'each applies in its own job and GitHub environment tenant-<name> (add required reviewers there). ' +
          'The others apply in shards.',
      ),
  })
  .describe('How CI splits a fleet into jobs.');

/** A pool with its CIDR parsed: the schema has checked it. */
export function parsedNetworkPool(pool: FleetConfig['networkPool']): { cidr: Cidr; prefix: number; text: string } {
  const cidr = parseCidr(pool.cidr)!;
  return { cidr, prefix: pool.prefix, text: formatCidr(cidr) };
}

/** `fleet.json` at the workspace root: settings that hold for every tenant. */
export const fleetConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  defaultAccountId: z
    .string()
    .regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id' })
    .describe('The hosting account of tenants whose spec names no account of their own.'),
  stateBackend: z
    .strictObject({
      bucket: z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name' })
        .describe('S3 bucket holding every tenant state.'),
      region: z.string().regex(/^[a-z]{2}(?:-[a-z]+)+-\d$/, { error: 'must be an AWS region like "eu-west-1"' }),
      keyPrefix: z
        .string()
        .regex(/^[a-zA-Z0-9._/-]+$/)
        .default('tenants')
        .describe('State key is <keyPrefix>/<tenant>/terraform.tfstate.'),
      roleArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, {
          error: 'must be an IAM role ARN like "arn:aws:iam::111122223333:role/hafleet-state"',
        })
        .optional()
        .describe("Role the S3 backend assumes to read and write state (and its lock file). Default: the caller's own credentials."),
    })
    .describe('Remote state used outside offline mode.'),
  networkPool: networkPoolSchema.prefault({}),
  defaultProfile: z
    .enum(PROFILE_NAMES as [ProfileName, ...ProfileName[]], { error: `must be one of ${PROFILE_NAMES.join(', ')}` })
    .optional()
    .describe(`The application profile of tenants whose spec names none. Default ${DEFAULT_PROFILE}.`),
  defaultRelease: z
    .strictObject({
      amiId: z.string().regex(AMI_ID, { error: 'must be an AMI id like "ami-0123456789abcdef0" — fix: copy the id of the release image' }),
      release: z.string().min(1).max(64).optional().describe('Release label, copied to app.release.'),
    })
    .optional()
    .describe('The release new tenants are onboarded with (copied into their spec; rollouts then change each spec).'),
  ci: ciSchema.prefault({}),
});

export type FleetConfig = z.output<typeof fleetConfigSchema>;
export const FLEET_CONFIG_FILE = 'fleet.json';
/** The `tenant` of a problem in fleet.json. */
export const FLEET_TENANT = '(fleet)';

export function loadFleetConfig(workspaceRoot: string): FleetConfig {
  const file = join(workspaceRoot, FLEET_CONFIG_FILE);
  if (!existsSync(file)) {
    throw new SpecValidationError([
      {
        tenant: FLEET_TENANT,
        file: FLEET_CONFIG_FILE,
        field: '',
        message: 'is missing — fix: create fleet.json at the workspace root (see README)',
      },
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SpecValidationError([
      {
        tenant: FLEET_TENANT,
        file: FLEET_CONFIG_FILE,
        field: '',
        message: `is not valid JSON (${(error as Error).message}) — fix: correct the syntax`,
      },
    ]);
  }
  const result = fleetConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new SpecValidationError(result.error.issues.map((issue) => issueToProblem(issue, FLEET_TENANT, FLEET_CONFIG_FILE)));
}

/** Fleet-wide defaults a spec inherits when it leaves a field out (applied before validation). */
export interface SpecDefaults {
  readonly profile?: ProfileName;
}

/**
 * The spec defaults fleet.json sets. Read leniently: a missing or broken fleet.json is reported by
 * `loadFleetConfig` where it matters, and must not hide the specs' own problems.
 */
export function specDefaults(workspaceRoot: string): SpecDefaults {
  try {
    const raw = JSON.parse(readFileSync(join(workspaceRoot, FLEET_CONFIG_FILE), 'utf8')) as { defaultProfile?: unknown };
    const profile = PROFILE_NAMES.find((name) => name === raw.defaultProfile);
    return profile ? { profile } : {};
  } catch {
    return {};
  }
}
