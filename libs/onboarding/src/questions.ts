import { DATABASE_ENGINES, ENVIRONMENTS, KNOWN_REGIONS, ROLLOUT_RINGS, type SpecProblem } from '@hafleet/tenant-spec';
import { DEFAULT_PROFILE, PROFILE_NAMES } from '@hafleet/app-profiles';

/**
 * What onboarding asks, once: the CLI's flags and prompts, the Nx generator's options and prompts,
 * and the mapping from spec fields back to the flag to blame all come from this list.
 */

export interface OnboardingAnswers {
  readonly name: string;
  readonly displayName: string;
  readonly region: string;
  readonly concurrentUsers: number;
  readonly population: number;
  readonly databaseEngine: string;
  readonly domain: string;
  readonly certificateArn: string;
  readonly cdnCertificateArn?: string;
  readonly alertEmails: readonly string[];
  readonly ring?: string;
  readonly environment?: string;
  readonly accountId?: string;
  readonly deployerRoleArn?: string;
  readonly amiId?: string;
  readonly release?: string;
  readonly vpcCidr?: string;
  readonly profile?: string;
  readonly drRegion?: string;
  readonly shieldAdvanced?: boolean;
  readonly signedContentPaths?: readonly string[];
  /** Paths of PEM public key files; onboarding writes their contents into the spec. */
  readonly signedContentPublicKeys?: readonly string[];
}

export type AnswerKey = keyof OnboardingAnswers;

export interface OnboardingQuestion {
  readonly key: AnswerKey;
  /** `--flag` of the CLI; Nx accepts the same kebab-case flag for the generator option `key`. */
  readonly flag: string;
  /** text: a string; count: a whole number; list: comma-separated strings; switch: a flag without a value. */
  readonly kind: 'text' | 'count' | 'list' | 'switch';
  /** Required answers are prompted for in a terminal, and a usage error without one. */
  readonly required: boolean;
  readonly prompt: string;
  readonly description: string;
  readonly example: string;
  readonly choices?: readonly string[];
  /** The spec field the answer becomes: a problem there is blamed on this flag. */
  readonly specField: string;
}

const question = (q: OnboardingQuestion) => q;

/** In the order a person is asked. */
export const ONBOARDING_QUESTIONS: readonly OnboardingQuestion[] = [
  question({
    key: 'name',
    flag: 'name',
    kind: 'text',
    required: true,
    prompt: 'Tenant name (DNS-safe)',
    description: 'DNS-safe tenant name: folder, Nx project and prefix of every AWS resource.',
    example: 'northwind-university',
    specField: 'name',
  }),
  question({
    key: 'displayName',
    flag: 'display-name',
    kind: 'text',
    required: true,
    prompt: 'Client organisation name',
    description: 'The client organisation, as people write it.',
    example: '"Northwind University"',
    specField: 'displayName',
  }),
  question({
    key: 'region',
    flag: 'region',
    kind: 'text',
    required: true,
    prompt: 'AWS region',
    description: 'AWS region that hosts the tenant.',
    example: 'ap-southeast-2',
    choices: KNOWN_REGIONS,
    specField: 'region',
  }),
  question({
    key: 'concurrentUsers',
    flag: 'concurrent-users',
    kind: 'count',
    required: true,
    prompt: 'Expected concurrent users at peak',
    description: 'Learners online at the same time at the expected peak; sizes the stack.',
    example: '800',
    specField: 'expectedLoad.concurrentUsers',
  }),
  question({
    key: 'population',
    flag: 'population',
    kind: 'count',
    required: true,
    prompt: 'Population (every account that can log in)',
    description: 'Every account that can log in; sizes the database storage.',
    example: '40000',
    specField: 'expectedLoad.population',
  }),
  question({
    key: 'databaseEngine',
    flag: 'database-engine',
    kind: 'text',
    required: true,
    prompt: 'Database engine',
    description: 'RDS Multi-AZ (mysql, postgres) or Aurora (aurora-mysql, aurora-postgresql).',
    example: 'aurora-mysql',
    choices: DATABASE_ENGINES,
    specField: 'database.engine',
  }),
  question({
    key: 'domain',
    flag: 'domain',
    kind: 'text',
    required: true,
    prompt: 'Hostname learners use',
    description: 'Hostname learners use; unique across the fleet.',
    example: 'learn.northwind.edu.au',
    specField: 'domain',
  }),
  question({
    key: 'certificateArn',
    flag: 'certificate-arn',
    kind: 'text',
    required: true,
    prompt: 'ACM certificate ARN for the domain, in the tenant region',
    description: 'ACM certificate (tenant region) for the load balancer.',
    example: 'arn:aws:acm:ap-southeast-2:111122223333:certificate/…',
    specField: 'edge.certificateArn',
  }),
  question({
    key: 'alertEmails',
    flag: 'alert-emails',
    kind: 'list',
    required: true,
    prompt: 'Alert email addresses (comma-separated)',
    description: 'Who receives the alarms, comma-separated.',
    example: 'lms-oncall@northwind.edu.au,hosting-ops@example.com',
    specField: 'alerts.emails',
  }),
  question({
    key: 'cdnCertificateArn',
    flag: 'cdn-certificate-arn',
    kind: 'text',
    required: false,
    prompt: 'ACM certificate ARN in us-east-1 for the CDN',
    description: 'ACM certificate in us-east-1: adds CloudFront in front of the tenant. Default: no CDN.',
    example: 'arn:aws:acm:us-east-1:111122223333:certificate/…',
    specField: 'cdn.certificateArn',
  }),
  question({
    key: 'profile',
    flag: 'profile',
    kind: 'text',
    required: false,
    prompt: 'Application profile',
    description: `The platform the tenant runs (${PROFILE_NAMES.join(', ')}). Default: fleet.json defaultProfile, else ${DEFAULT_PROFILE}.`,
    example: 'totara',
    choices: PROFILE_NAMES,
    specField: 'app.profile',
  }),
  question({
    key: 'ring',
    flag: 'ring',
    kind: 'text',
    required: false,
    prompt: 'Rollout ring',
    description: `Rollout ring (${ROLLOUT_RINGS.join(' → ')}). Default general.`,
    example: 'early',
    choices: ROLLOUT_RINGS,
    specField: 'rollout.ring',
  }),
  question({
    key: 'environment',
    flag: 'environment',
    kind: 'text',
    required: false,
    prompt: 'Environment',
    description: 'production (default) or staging.',
    example: 'staging',
    choices: ENVIRONMENTS,
    specField: 'environment',
  }),
  question({
    key: 'accountId',
    flag: 'account-id',
    kind: 'text',
    required: false,
    prompt: "Tenant's own AWS account id",
    description: "The tenant's own AWS account. Default: fleet.json defaultAccountId.",
    example: '444455556666',
    specField: 'account.id',
  }),
  question({
    key: 'deployerRoleArn',
    flag: 'deployer-role-arn',
    kind: 'text',
    required: false,
    prompt: 'Deployer role ARN',
    description: 'IAM role terraform assumes for this tenant.',
    example: 'arn:aws:iam::444455556666:role/hafleet-deployer',
    specField: 'account.deployerRoleArn',
  }),
  question({
    key: 'amiId',
    flag: 'ami-id',
    kind: 'text',
    required: false,
    prompt: 'Release AMI id',
    description: 'The release image. Default: fleet.json defaultRelease.',
    example: 'ami-0123456789abcdef0',
    specField: 'app.amiId',
  }),
  question({
    key: 'release',
    flag: 'release',
    kind: 'text',
    required: false,
    prompt: 'Release label',
    description: 'Release label of the AMI. Default: fleet.json defaultRelease (with its AMI).',
    example: '2025.3.2',
    specField: 'app.release',
  }),
  question({
    key: 'drRegion',
    flag: 'dr-region',
    kind: 'text',
    required: false,
    prompt: 'Disaster recovery region',
    description: "Region AWS Backup copies the tenant's backups to (not its own). Default: no DR copies.",
    example: 'us-west-2',
    choices: KNOWN_REGIONS,
    specField: 'disasterRecovery.region',
  }),
  question({
    key: 'shieldAdvanced',
    flag: 'shield-advanced',
    kind: 'switch',
    required: false,
    prompt: 'Shield Advanced',
    description: 'Shield Advanced on the load balancer (and the CDN): the account must subscribe first. Default: Shield Standard only.',
    example: '',
    specField: 'edge.shieldAdvanced',
  }),
  question({
    key: 'signedContentPaths',
    flag: 'signed-content-paths',
    kind: 'list',
    required: false,
    prompt: 'Signed content paths (comma-separated)',
    description: 'Content bucket paths CloudFront serves only with a signed URL or cookie (needs a CDN). Default: none.',
    example: '/content/private/*',
    specField: 'cdn.signedContent.pathPatterns',
  }),
  question({
    key: 'signedContentPublicKeys',
    flag: 'signed-content-public-keys',
    kind: 'list',
    required: false,
    prompt: 'Public key files (PEM) the signatures are checked against (comma-separated)',
    description: 'PEM files of the RSA public keys the application signs with (two during a rotation); each key is named after its file.',
    example: 'keys/northwind-signing-2026.pub.pem',
    specField: 'cdn.signedContent.publicKeys',
  }),
  question({
    key: 'vpcCidr',
    flag: 'vpc-cidr',
    kind: 'text',
    required: false,
    prompt: 'VPC range',
    description: "The tenant's VPC range. Default: the first free block of fleet.json networkPool.",
    example: '10.42.0.0/16',
    specField: 'network.vpcCidr',
  }),
];

export const questionFor = (key: AnswerKey): OnboardingQuestion => ONBOARDING_QUESTIONS.find((q) => q.key === key)!;

/** `--flag <example>`, for messages. */
export const flagUsage = (q: OnboardingQuestion): string => (q.kind === 'switch' ? `--${q.flag}` : `--${q.flag} ${q.example}`);

/** The answers' problems are reported against the spec the tenant would get. */
export const tenantFile = (name: string): string => `tenants/${name || '<name>'}/tenant.json`;

/** The flag behind a spec field (`alerts.emails.1` → alert-emails), for messages. */
export function labelField(field: string): string {
  const q = ONBOARDING_QUESTIONS.find((candidate) => field === candidate.specField || field.startsWith(`${candidate.specField}.`));
  return q ? `${field} (--${q.flag})` : field;
}

export interface ParsedAnswers {
  readonly answers: Partial<OnboardingAnswers>;
  readonly problems: SpecProblem[];
  /** Required questions without an answer. */
  readonly missing: OnboardingQuestion[];
}

/**
 * Raw answers (CLI flags as strings, Nx options as typed values) to typed answers. Empty strings
 * count as missing; unknown keys are problems. The spec schema checks the values themselves.
 */
export function parseAnswers(raw: Readonly<Record<string, unknown>>): ParsedAnswers {
  const answers: Record<string, unknown> = {};
  const problems: SpecProblem[] = [];
  const name = typeof raw['name'] === 'string' ? raw['name'] : '';
  const problem = (field: string, message: string) =>
    problems.push({ tenant: name || '(new tenant)', file: tenantFile(name), field, message });
  for (const [key, value] of Object.entries(raw)) {
    const q = ONBOARDING_QUESTIONS.find((candidate) => candidate.key === key);
    if (!q) {
      problem(key, `unknown option — fix: one of ${ONBOARDING_QUESTIONS.map((c) => `--${c.flag}`).join(', ')}`);
      continue;
    }
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    const label = labelField(q.specField);
    if (q.kind === 'count') {
      const number =
        typeof value === 'number'
          ? value
          : /^\s*-?[\d,_]+\s*$/.test(String(value))
            ? Number(String(value).replace(/[,_\s]/g, ''))
            : Number.NaN;
      if (!Number.isInteger(number)) problem(label, `"${String(value)}" is not a whole number — fix: ${flagUsage(q)}`);
      else answers[key] = number;
    } else if (q.kind === 'switch') {
      if (value === true || value === 'true') answers[key] = true;
      else if (value !== false && value !== 'false') problem(label, `"${String(value)}" is not a switch — fix: ${flagUsage(q)} (no value)`);
    } else if (q.kind === 'list') {
      const items = (Array.isArray(value) ? value.map(String) : String(value).split(',')).map((s) => s.trim()).filter(Boolean);
      if (items.length > 0) answers[key] = items;
    } else {
      answers[key] = String(value).trim();
    }
  }
  const missing = ONBOARDING_QUESTIONS.filter((q) => q.required && answers[q.key] === undefined);
  return { answers: answers as Partial<OnboardingAnswers>, problems, missing };
}

/** The Nx generator's schema.json, generated from the questions (committed; a test keeps it current). */
export function generatorSchema(): string {
  const properties = Object.fromEntries(
    ONBOARDING_QUESTIONS.map((q) => [
      q.key,
      {
        type: q.kind === 'count' ? 'integer' : q.kind === 'switch' ? 'boolean' : 'string',
        description: q.description,
        ...(q.choices ? { enum: [...q.choices] } : {}),
        ...(q.key === 'name' ? { $default: { $source: 'argv', index: 0 } } : {}),
        // Not `required` in the schema: Nx would refuse a missing answer itself (exit 1, no fix);
        // onboarding names every missing flag with an example and exits 2, like `fleet onboard`.
        ...(q.required ? { 'x-prompt': q.prompt } : {}),
      },
    ]),
  );
  const schema = {
    $schema: 'https://json-schema.org/schema',
    $id: 'HafleetTenant',
    title: 'Onboard a tenant',
    description:
      'Sizes, allocates a network for and validates a new tenant, then writes tenants/<name>/tenant.json ' +
      '(nothing else). Generated from libs/onboarding/src/questions.ts by `npm run fleet -- schema`.',
    type: 'object',
    properties,
    additionalProperties: false,
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** `{ 'display-name': … }` (flags) to `{ displayName: … }` (answers); unknown flags pass through, to be reported. */
export function answersFromFlags(flags: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(flags)
      .filter(([, value]) => value !== undefined)
      .map(([flag, value]) => [ONBOARDING_QUESTIONS.find((q) => q.flag === flag)?.key ?? flag, value]),
  );
}
