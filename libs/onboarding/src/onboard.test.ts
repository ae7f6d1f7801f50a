import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SpecValidationError, formatProblem, loadFleet, parseTenantSpec } from '@hafleet/tenant-spec';
import { describeOnboarding, onboardTenant, prepareOnboarding } from './onboard.js';

/**
 * Onboarding in a scratch workspace holding only what it reads: fleet.json and tenant folders.
 * Every bad input must be refused with its message, and leave every file exactly as it was.
 */

const CERT = (region: string) => `arn:aws:acm:${region}:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`;
const FLEET = {
  defaultAccountId: '111122223333',
  defaultRelease: { amiId: 'ami-0a1b2c3d4e5f60718', release: '2025.3.2' },
  networkPool: { cidr: '10.0.0.0/8', prefix: 16 },
  stateBackend: { bucket: 'hafleet-terraform-state', region: 'eu-west-1', keyPrefix: 'tenants' },
};
const existing = (name: string, vpcCidr: string, extra: object = {}) => ({
  name,
  displayName: name,
  region: 'eu-west-1',
  domain: `learn.${name}.org`,
  expectedLoad: { concurrentUsers: 100, population: 2_000 },
  alerts: { emails: ['ops@example.org'] },
  network: { vpcCidr },
  app: { amiId: 'ami-0123456789abcdef0' },
  edge: { certificateArn: CERT('eu-west-1') },
  ...extra,
});
/** Answers as the CLI passes them: strings, kebab flags already mapped to keys. */
const ANSWERS = {
  name: 'acme-college',
  displayName: 'Acme College',
  region: 'eu-west-1',
  concurrentUsers: '800',
  population: '40000',
  databaseEngine: 'aurora-mysql',
  domain: 'learn.acme.ac.uk',
  certificateArn: CERT('eu-west-1'),
  alertEmails: 'ops@acme.ac.uk,lms@acme.ac.uk',
};

interface Fixture {
  fleet?: object | string;
  tenants?: Record<string, object | string>;
  dirs?: string[];
}
const roots: string[] = [];
function workspace({ fleet = FLEET, tenants = { alpha: existing('alpha', '10.0.0.0/16') }, dirs = [] }: Fixture = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'hafleet-onboard-'));
  roots.push(root);
  writeFileSync(join(root, 'fleet.json'), typeof fleet === 'string' ? fleet : JSON.stringify(fleet));
  for (const [folder, spec] of Object.entries(tenants)) {
    mkdirSync(join(root, 'tenants', folder), { recursive: true });
    writeFileSync(join(root, 'tenants', folder, 'tenant.json'), typeof spec === 'string' ? spec : JSON.stringify(spec));
  }
  for (const dir of dirs) mkdirSync(join(root, dir), { recursive: true });
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** Every file and folder under root with its content: what "nothing was written" compares. */
function tree(root: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(root, { recursive: true, withFileTypes: true }).map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return [path.slice(root.length), entry.isFile() ? readFileSync(path, 'utf8') : '<dir>'];
    }),
  );
}

function problemsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof SpecValidationError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

/** Public key files for the signed-content answers (a real RSA key from the examples, and a file that is not one). */
const keyFiles = mkdtempSync(join(tmpdir(), 'hafleet-onboard-keys-'));
afterAll(() => rmSync(keyFiles, { recursive: true, force: true }));
const EXAMPLE_KEY = readFileSync(join(import.meta.dirname, '../examples/northwind-signing-2026.pub.pem'), 'utf8');
writeFileSync(join(keyFiles, 'acme-2026.pub.pem'), EXAMPLE_KEY);
writeFileSync(join(keyFiles, 'acme-2027.pem'), EXAMPLE_KEY);
writeFileSync(join(keyFiles, 'private.pem'), '-----BEGIN PRIVATE KEY-----\nMIIEvQ==\n-----END PRIVATE KEY-----\n');
mkdirSync(join(keyFiles, 'other'));
writeFileSync(join(keyFiles, 'other', 'acme-2026.pem'), EXAMPLE_KEY);
const SIGNED = {
  cdnCertificateArn: CERT('us-east-1'),
  signedContentPaths: '/content/private/*',
  signedContentPublicKeys: join(keyFiles, 'acme-2026.pub.pem'),
};

const full = (fixture: Fixture = {}) => fixture;
type Case = [label: string, fixture: Fixture, answers: Record<string, unknown>, expected: RegExp];
const onboardingCases: Case[] = [
  [
    'a name that is not DNS-safe',
    full(),
    { ...ANSWERS, name: 'Acme_College' },
    /tenant Acme_College, field name \(--name\): must be DNS-safe.*fix: e\.g\. "northwind-university"/,
  ],
  ['a name with a double hyphen', full(), { ...ANSWERS, name: 'acme--college' }, /field name \(--name\): must be DNS-safe/],
  ['a name too short', full(), { ...ANSWERS, name: 'ab' }, /field name \(--name\): must be DNS-safe: 3–32/],
  [
    'a reserved name',
    full(),
    { ...ANSWERS, name: 'fleet' },
    /field name \(--name\): "fleet" is reserved for the workspace — fix: choose another tenant name/,
  ],
  [
    'the name of an Nx project',
    full({ dirs: ['libs/widgets'] }),
    { ...ANSWERS, name: 'widgets' },
    /field name \(--name\): "widgets" is the Nx project libs\/widgets — fix: choose another tenant name/,
  ],
  [
    'a duplicate name',
    full(),
    { ...ANSWERS, name: 'alpha' },
    /tenant alpha, field name \(--name\): tenants\/alpha already exists — fix: choose another name/,
  ],
  ['a folder with a broken spec', full({ tenants: { beta: '{' } }), { ...ANSWERS, name: 'beta' }, /tenants\/beta already exists/],
  [
    'a duplicate domain',
    full(),
    { ...ANSWERS, domain: 'learn.alpha.org' },
    /field domain \(--domain\): learn\.alpha\.org is also the domain of alpha — fix: give each tenant its own hostname/,
  ],
  [
    'an overlapping VPC range',
    full(),
    { ...ANSWERS, vpcCidr: '10.0.128.0/20' },
    /field network\.vpcCidr \(--vpc-cidr\): 10\.0\.128\.0\/20 overlaps alpha's 10\.0\.0\.0\/16 — fix/,
  ],
  [
    'signed content without a CDN',
    full(),
    { ...ANSWERS, ...SIGNED, cdnCertificateArn: undefined },
    /field cdn\.signedContent\.pathPatterns \(--signed-content-paths\): signed content is served by CloudFront — fix: add --cdn-certificate-arn/,
  ],
  [
    'signed content paths without a key',
    full(),
    { ...ANSWERS, ...SIGNED, signedContentPublicKeys: undefined },
    /field cdn\.signedContent\.publicKeys \(--signed-content-public-keys\): the paths need the public key they are signed with — fix: --signed-content-public-keys keys\//,
  ],
  [
    'a key without paths',
    full(),
    { ...ANSWERS, ...SIGNED, signedContentPaths: undefined },
    /field cdn\.signedContent\.pathPatterns \(--signed-content-paths\): the keys sign nothing without paths — fix: --signed-content-paths \/content\/private\/\*/,
  ],
  [
    'a key file that does not exist',
    full(),
    { ...ANSWERS, ...SIGNED, signedContentPublicKeys: join(keyFiles, 'missing.pem') },
    /field cdn\.signedContent\.publicKeys \(--signed-content-public-keys\): cannot read .*missing\.pem \(ENOENT\)/,
  ],
  [
    'a private key instead of a public one',
    full(),
    { ...ANSWERS, ...SIGNED, signedContentPublicKeys: join(keyFiles, 'private.pem') },
    /field cdn\.signedContent\.publicKeys\.0\.encodedKey \(--signed-content-public-keys\): must be a PEM RSA public key — fix: openssl rsa -pubout/,
  ],
  [
    'two key files with one name',
    full(),
    {
      ...ANSWERS,
      ...SIGNED,
      signedContentPublicKeys: `${join(keyFiles, 'acme-2026.pub.pem')},${join(keyFiles, 'other', 'acme-2026.pem')}`,
    },
    /--signed-content-public-keys\): two key files are named acme-2026 — fix: one file name per key/,
  ],
  [
    'a switch given a value',
    full(),
    { ...ANSWERS, shieldAdvanced: 'yes' },
    /field edge\.shieldAdvanced \(--shield-advanced\): "yes" is not a switch — fix: --shield-advanced \(no value\)/,
  ],
  [
    "a DR region that is the tenant's own",
    full(),
    { ...ANSWERS, drRegion: 'eu-west-1' },
    /field disasterRecovery\.region \(--dr-region\): is the tenant's own region eu-west-1.*fix: name another region/,
  ],
  [
    'a malformed VPC range',
    full(),
    { ...ANSWERS, vpcCidr: '10.1.0/16' },
    /field network\.vpcCidr \(--vpc-cidr\): "10\.1\.0\/16" is not an IPv4 network in CIDR form/,
  ],
  ['a VPC range with host bits', full(), { ...ANSWERS, vpcCidr: '10.1.0.1/16' }, /"10\.1\.0\.1\/16" is not an IPv4 network.*no host bits/],
  [
    'a VPC range too small for the subnets',
    full(),
    { ...ANSWERS, vpcCidr: '10.1.0.0/26' },
    /10\.1\.0\.0\/26 cannot hold the tenant's subnets/,
  ],
  [
    'an exhausted network pool',
    full({
      fleet: { ...FLEET, networkPool: { cidr: '10.0.0.0/15', prefix: 16 } },
      tenants: { alpha: existing('alpha', '10.0.0.0/16'), beta: existing('beta', '10.1.0.0/20') },
    }),
    ANSWERS,
    /field network\.vpcCidr \(--vpc-cidr\): the network pool 10\.0\.0\.0\/15 has no free \/16 left — fix: widen networkPool\.cidr/,
  ],
  [
    'an unknown region',
    full(),
    { ...ANSWERS, region: 'eu-west-9' },
    /field region \(--region\): "eu-west-9" is not a region hafleet knows — fix: one of .*eu-west-1/,
  ],
  [
    'zero concurrent users',
    full(),
    { ...ANSWERS, concurrentUsers: '0' },
    /field expectedLoad\.concurrentUsers \(--concurrent-users\): 0 concurrent users is not a load — fix/,
  ],
  ['negative concurrent users', full(), { ...ANSWERS, concurrentUsers: '-5' }, /\(--concurrent-users\): -5 concurrent users is not a load/],
  [
    'concurrent users that are not a number',
    full(),
    { ...ANSWERS, concurrentUsers: 'lots' },
    /\(--concurrent-users\): "lots" is not a whole number — fix: --concurrent-users 800/,
  ],
  [
    'more users than the model sizes',
    full(),
    { ...ANSWERS, concurrentUsers: '60000', population: '90000' },
    /\(--concurrent-users\): 60000 is above the sizing model's largest band/,
  ],
  [
    'a population below the concurrent users',
    full(),
    { ...ANSWERS, population: '500' },
    /field expectedLoad\.population \(--population\): 500 is below concurrentUsers 800 — fix/,
  ],
  [
    'a bad alert email',
    full(),
    { ...ANSWERS, alertEmails: 'ops@acme.ac.uk,ops at acme' },
    /field alerts\.emails\.1 \(--alert-emails\): must be an email address — fix/,
  ],
  ['a bad account id', full(), { ...ANSWERS, accountId: '1234' }, /field account\.id \(--account-id\): must be a 12-digit AWS account id/],
  [
    'a user ARN as deployer role',
    full(),
    { ...ANSWERS, deployerRoleArn: 'arn:aws:iam::111122223333:user/bob' },
    /field account\.deployerRoleArn \(--deployer-role-arn\): must be an IAM role ARN/,
  ],
  [
    'a malformed certificate ARN',
    full(),
    { ...ANSWERS, certificateArn: 'arn:aws:iam::1:role/x' },
    /field edge\.certificateArn \(--certificate-arn\): must be an ACM certificate ARN/,
  ],
  [
    'a certificate from another region',
    full(),
    { ...ANSWERS, certificateArn: CERT('us-east-1') },
    /\(--certificate-arn\): is in us-east-1, but the load balancer is in eu-west-1 — fix/,
  ],
  [
    'a CDN certificate outside us-east-1',
    full(),
    { ...ANSWERS, cdnCertificateArn: CERT('eu-west-1') },
    /field cdn\.certificateArn \(--cdn-certificate-arn\): is in eu-west-1 — fix: CloudFront only uses certificates issued in us-east-1/,
  ],
  [
    'an unknown database engine',
    full(),
    { ...ANSWERS, databaseEngine: 'oracle' },
    /field database\.engine \(--database-engine\): must be one of mysql, postgres/,
  ],
  [
    'an unknown rollout ring',
    full(),
    { ...ANSWERS, ring: 'beta' },
    /field rollout\.ring \(--ring\): must be one of canary, early, general/,
  ],
  ['a bad domain', full(), { ...ANSWERS, domain: 'Learn Acme' }, /field domain \(--domain\): must be a lowercase hostname/],
  ['a bad AMI id', full(), { ...ANSWERS, amiId: 'ami-xyz' }, /field app\.amiId \(--ami-id\): must be an AMI id/],
  ['an unknown option', full(), { ...ANSWERS, frobnicate: 'yes' }, /field frobnicate: unknown option — fix: one of --name, --display-name/],
  [
    'a missing answer',
    full(),
    { ...ANSWERS, population: undefined },
    /field expectedLoad\.population \(--population\): is required — fix: --population 40000/,
  ],
  [
    'no AMI and no fleet release',
    full({ fleet: { ...FLEET, defaultRelease: undefined } }),
    ANSWERS,
    /field app\.amiId \(--ami-id\): is required: fleet\.json has no defaultRelease — fix: --ami-id/,
  ],
  ['fleet.json that is not JSON', full({ fleet: '{ "defaultAccountId": ' }), ANSWERS, /^fleet\.json: tenant \(fleet\): is not valid JSON/],
  [
    'a network pool prefix out of range',
    full({ fleet: { ...FLEET, networkPool: { cidr: '10.0.0.0/8', prefix: 12 } } }),
    ANSWERS,
    /field networkPool\.prefix: must be \/16 to \/24/,
  ],
  [
    'a malformed network pool',
    full({ fleet: { ...FLEET, networkPool: { cidr: '10.0.0/8' } } }),
    ANSWERS,
    /field networkPool\.cidr: "10\.0\.0\/8" is not an IPv4 network/,
  ],
];

describe('onboarding refuses bad input and writes nothing', () => {
  it.each(onboardingCases)('%s', (_label, fixture, answers, expected) => {
    const root = workspace(fixture);
    const before = tree(root);
    const problems = problemsOf(() => onboardTenant(root, answers));
    expect(
      problems.some((p) => expected.test(p)),
      `expected ${expected} in:\n${problems.join('\n')}`,
    ).toBe(true);
    expect(tree(root)).toEqual(before);
  });
});

// Fleet validation (`fleet validate`, and before every synth) of specs already on disk.
const validationCases: Array<[label: string, tenants: Record<string, object | string>, expected: RegExp]> = [
  [
    'a spec that is not JSON',
    { alpha: '{\n  "name": "alpha",\n  "region" "eu-west-1"\n}' },
    /tenants\/alpha\/tenant\.json:3:12: tenant alpha: is not valid JSON: colon expected at line 3, column 12/,
  ],
  [
    'an unknown field',
    { alpha: { ...existing('alpha', '10.0.0.0/16'), expectedLoads: {} } },
    /tenant alpha, field expectedLoads: unknown field — fix: remove it or correct its spelling/,
  ],
  [
    'a spec without expected load',
    { alpha: { ...existing('alpha', '10.0.0.0/16'), expectedLoad: undefined } },
    /field expectedLoad: is required — fix: add "expectedLoad"/,
  ],
  [
    'a name that differs from its folder',
    { alpha: existing('alphas', '10.0.0.0/16') },
    /field name: "alphas" differs from its folder "alpha"/,
  ],
  [
    'overlapping ranges of different sizes',
    { alpha: existing('alpha', '10.0.0.0/16'), beta: existing('beta', '10.0.240.0/20') },
    /tenant beta, field network\.vpcCidr: 10\.0\.240\.0\/20 overlaps alpha's 10\.0\.0\.0\/16/,
  ],
  [
    'a copied folder keeping the name (and so the state key)',
    { alpha: existing('alpha', '10.0.0.0/16'), beta: existing('alpha', '10.1.0.0/16') },
    /tenants\/beta\/tenant\.json: tenant alpha, field name: "alpha" is already the name of tenants\/alpha\/tenant\.json/,
  ],
  [
    'an explicit size contradicting another',
    { alpha: existing('alpha', '10.0.0.0/16', { web: { minCapacity: 8, maxCapacity: 4 } }) },
    /field web\.minCapacity: 8 is above maxCapacity 4 — fix/,
  ],
];

describe('fleet validation refuses bad specs and writes nothing', () => {
  it.each(validationCases)('%s', (_label, tenants, expected) => {
    const root = workspace({ tenants });
    const before = tree(root);
    const problems = problemsOf(() => loadFleet(root));
    expect(
      problems.some((p) => expected.test(p)),
      `expected ${expected} in:\n${problems.join('\n')}`,
    ).toBe(true);
    expect(tree(root)).toEqual(before);
  });
});

describe('onboarding', () => {
  it('writes exactly tenants/<name>/tenant.json: the answers, the next free range, the fleet release, no sizes', () => {
    const root = workspace({ tenants: { alpha: existing('alpha', '10.0.0.0/16'), beta: existing('beta', '10.1.16.0/20') } });
    const before = tree(root);
    const plan = onboardTenant(root, { ...ANSWERS, ring: 'early', cdnCertificateArn: CERT('us-east-1'), accountId: '444455556666' });
    const after = tree(root);
    expect(
      Object.keys(after)
        .filter((path) => !(path in before))
        .sort(),
    ).toEqual(['/tenants/acme-college', '/tenants/acme-college/tenant.json']);
    expect(Object.entries(before).every(([path, content]) => after[path] === content)).toBe(true);

    const written = JSON.parse(readFileSync(plan.file, 'utf8'));
    expect(written).toEqual({
      $schema: '../../libs/tenant-spec/tenant.schema.json',
      name: 'acme-college',
      displayName: 'Acme College',
      region: 'eu-west-1',
      domain: 'learn.acme.ac.uk',
      expectedLoad: { concurrentUsers: 800, population: 40_000 },
      rollout: { ring: 'early' },
      account: { id: '444455556666' },
      alerts: { emails: ['ops@acme.ac.uk', 'lms@acme.ac.uk'] },
      network: { vpcCidr: '10.2.0.0/16' }, // 10.0/16 and 10.1/16 (holding beta's /20) are taken
      app: { amiId: 'ami-0a1b2c3d4e5f60718', release: '2025.3.2' },
      edge: { certificateArn: CERT('eu-west-1') },
      cdn: { certificateArn: CERT('us-east-1') },
      database: { engine: 'aurora-mysql' },
    });
    expect(plan.network).toEqual({ vpcCidr: '10.2.0.0/16', allocatedFrom: '10.0.0.0/8' });
    // What fleet commands read back is what onboarding reported, sized by the model.
    const reread = parseTenantSpec(readFileSync(plan.file, 'utf8'), { file: plan.relativeFile, folder: 'acme-college' });
    expect(reread.sizing).toEqual(plan.spec.sizing);
    expect(reread.sizing.band.name).toBe('medium');
    expect(loadFleet(root).map((t) => t.spec.name)).toEqual(['acme-college', 'alpha', 'beta']);
  });

  it('takes an explicit range and AMI over the pool and the fleet release', () => {
    const root = workspace();
    const plan = onboardTenant(root, { ...ANSWERS, vpcCidr: '172.20.0.0/20', amiId: 'ami-0123456789abcdef0' });
    expect(JSON.parse(plan.text)).toMatchObject({ network: { vpcCidr: '172.20.0.0/20' }, app: { amiId: 'ami-0123456789abcdef0' } });
    expect(JSON.parse(plan.text).app.release).toBeUndefined();
    expect(plan.network.allocatedFrom).toBeUndefined();
  });

  it('writes nothing on a dry run, and onboards two tenants in a row without a clash', () => {
    const root = workspace();
    const before = tree(root);
    const dry = onboardTenant(root, ANSWERS, { dryRun: true });
    expect(tree(root)).toEqual(before);
    expect(existsSync(dry.file)).toBe(false);

    const first = onboardTenant(root, ANSWERS);
    const second = onboardTenant(root, { ...ANSWERS, name: 'acme-online', domain: 'online.acme.ac.uk' });
    expect([first.network.vpcCidr, second.network.vpcCidr]).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
    expect(problemsOf(() => prepareOnboarding(root, ANSWERS))[0]).toMatch(/tenants\/acme-college already exists/);
  });

  it('asks for Shield Advanced and signed content: the key files are read where the command was typed and named after their files', () => {
    const root = workspace();
    const plan = onboardTenant(
      root,
      {
        ...ANSWERS,
        ...SIGNED,
        signedContentPublicKeys: 'acme-2026.pub.pem, acme-2027.pem',
        shieldAdvanced: true,
      },
      { cwd: keyFiles },
    );
    const written = JSON.parse(readFileSync(join(root, 'tenants/acme-college/tenant.json'), 'utf8'));
    expect(written.edge).toEqual({ certificateArn: CERT('eu-west-1'), shieldAdvanced: true });
    expect(written.cdn.signedContent).toEqual({
      pathPatterns: ['/content/private/*'],
      publicKeys: [
        { name: 'acme-2026', encodedKey: EXAMPLE_KEY },
        { name: 'acme-2027', encodedKey: EXAMPLE_KEY },
      ],
    });
    expect(describeOnboarding(plan).join('\n')).toMatch(
      /signed content: \/content\/private\/\* served only with a URL or cookie signed by acme-2026 or acme-2027\nShield Advanced: on the load balancer and the distribution; the tenant's account must subscribe before the first apply/,
    );
  });

  it('leaves Shield and signed content out of the spec when not asked for (a switch given false is not asked for)', () => {
    const root = workspace();
    onboardTenant(root, { ...ANSWERS, shieldAdvanced: false });
    const written = JSON.parse(readFileSync(join(root, 'tenants/acme-college/tenant.json'), 'utf8'));
    expect(written.edge).toEqual({ certificateArn: CERT('eu-west-1') });
    expect(written.cdn).toBeUndefined();
  });

  it('onboards into a fleet where another tenant is broken, and leaves that tenant to its owner', () => {
    const root = workspace({ tenants: { alpha: existing('alpha', '10.0.0.0/16'), broken: '{ "network": { "vpcCidr": "10.1.0.0/16" }' } });
    const plan = onboardTenant(root, ANSWERS);
    expect(plan.network.vpcCidr).toBe('10.2.0.0/16'); // the broken spec's range is still taken
  });
});
