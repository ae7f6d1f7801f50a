import { describe, expect, it } from 'vitest';
import { SpecValidationError } from './problems.js';
import { parseTenantSpec } from './load.js';

const source = { file: 'tenants/acme/tenant.json', folder: 'acme' };
const minimal = {
  name: 'acme',
  displayName: 'Acme College',
  region: 'eu-west-1',
  domain: 'learn.acme.ac.uk',
  expectedLoad: { concurrentUsers: 800, population: 40_000 },
  alerts: { emails: ['ops@acme.ac.uk'] },
  network: { vpcCidr: '10.40.0.0/16' },
  app: { amiId: 'ami-0123456789abcdef0' },
  edge: { certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b' },
};
const usEast1Certificate = 'arn:aws:acm:us-east-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

function problemsOf(spec: unknown): string[] {
  try {
    parseTenantSpec(typeof spec === 'string' ? spec : JSON.stringify(spec, null, 2), source);
  } catch (error) {
    if (error instanceof SpecValidationError) return error.problems.map((p) => `${p.field}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('tenant spec', () => {
  it('fills every default from a minimal spec, the sizes from the sizing model', () => {
    const spec = parseTenantSpec(JSON.stringify(minimal), source);
    expect(spec.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(spec.environment).toBe('production');
    expect(spec.rollout.ring).toBe('general');
    // Moodle, the default profile: its port and its shallow (database-free) health check.
    expect(spec.app).toMatchObject({ profile: 'moodle', port: 80, healthCheckPath: '/hafleet-health.txt' });
    expect(spec.timeZone).toBe('Europe/Dublin');
    expect(spec.mail).toEqual({ fromAddress: `no-reply@${minimal.domain}` });
    expect(spec.web).toMatchObject({ minHealthyPercent: 100, maxHealthyPercent: 150 });
    expect(spec.database).toMatchObject({ engine: 'aurora-mysql' });
    expect(spec.cache).toMatchObject({ engine: 'valkey', replicas: 1, separateApplicationCache: false });
    // 800 users, a quarter behind one address at 100 requests each per 5 minutes.
    expect(spec.edge).toMatchObject({ rateLimitPerFiveMinutes: 20_000, shieldAdvanced: false, largeBodyPaths: [], countModePaths: [] });
    expect(spec.cdn).toBeUndefined();
    // 800 concurrent users: the medium band.
    expect(spec.sizing.band.name).toBe('medium');
    expect(spec.network.natGateways).toBe('per-az');
    expect(spec.web).toMatchObject({ minCapacity: 4, desiredCapacity: 8, maxCapacity: 24 });
    expect(spec.app.instanceType).toBe('m7i.xlarge');
    expect(spec.worker.instanceType).toBe('t3.large');
    expect(spec.database).toMatchObject({ instanceClass: 'db.r6g.large', readers: 1, backupRetentionDays: 14 });
    expect(spec.cache.nodeType).toBe('cache.r7g.large');
    expect(spec.backup.retentionDays).toBe(35);
    expect(spec.sizing.decisions.every((d) => d.source === 'model')).toBe(true);
  });

  it('keeps a year of flow logs in S3 by default, and only a tenant with its own account owns account-wide settings', () => {
    const spec = parseTenantSpec(JSON.stringify(minimal), source);
    expect(spec.observability).toEqual({ flowLogs: { destination: 's3', retentionDays: 365 } });
    expect(spec.account.dedicated).toBe(false);
    const told = {
      ...minimal,
      observability: { flowLogs: { destination: 'cloudwatch', retentionDays: 30 } },
      account: { id: '444455556666', dedicated: true },
    };
    expect(parseTenantSpec(JSON.stringify(told), source)).toMatchObject({
      observability: { flowLogs: { destination: 'cloudwatch', retentionDays: 30 } },
      account: { dedicated: true },
    });
  });

  it('gives a CDN the price class of its learners (Sydney: every edge) unless the spec names one', () => {
    const cdn = { certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d' };
    expect(parseTenantSpec(JSON.stringify({ ...minimal, cdn }), source).cdn?.priceClass).toBe('PriceClass_100');
    const sydney = {
      ...minimal,
      region: 'ap-southeast-2',
      edge: { certificateArn: minimal.edge.certificateArn.replace('eu-west-1', 'ap-southeast-2') },
      cdn,
    };
    expect(parseTenantSpec(JSON.stringify(sydney), source).cdn?.priceClass).toBe('PriceClass_All');
    expect(parseTenantSpec(JSON.stringify({ ...sydney, cdn: { ...cdn, priceClass: 'PriceClass_200' } }), source).cdn?.priceClass).toBe(
      'PriceClass_200',
    );
  });

  it('takes an explicit per-IP rate limit over the sized one', () => {
    const spec = parseTenantSpec(JSON.stringify({ ...minimal, edge: { ...minimal.edge, rateLimitPerFiveMinutes: 5000 } }), source);
    expect(spec.edge.rateLimitPerFiveMinutes).toBe(5000);
    expect(spec.sizing.decisions.find((d) => d.field === 'edge.rateLimitPerFiveMinutes')).toMatchObject({ model: 20_000, source: 'spec' });
  });

  it('names no DR region by default; a DR region keeps its copies as long as the backups unless told', () => {
    expect(parseTenantSpec(JSON.stringify(minimal), source).disasterRecovery).toBeUndefined();
    expect(parseTenantSpec(JSON.stringify({ ...minimal, disasterRecovery: { region: 'eu-central-1' } }), source).disasterRecovery).toEqual({
      region: 'eu-central-1',
      copyRetentionDays: 35,
    });
    const told = { ...minimal, backup: { retentionDays: 90 }, disasterRecovery: { region: 'eu-central-1', copyRetentionDays: 14 } };
    expect(parseTenantSpec(JSON.stringify(told), source).disasterRecovery).toEqual({ region: 'eu-central-1', copyRetentionDays: 14 });
  });

  it('lets explicit sizes win over the model and keeps the rest consistent with them', () => {
    const spec = parseTenantSpec(
      JSON.stringify({
        ...minimal,
        web: { maxCapacity: 6 },
        database: { instanceClass: 'db.r6g.xlarge' },
        network: { ...minimal.network, natGateways: 'single' },
      }),
      source,
    );
    expect(spec.web).toMatchObject({ minCapacity: 4, desiredCapacity: 6, maxCapacity: 6 });
    expect(spec.database.instanceClass).toBe('db.r6g.xlarge');
    expect(spec.network.natGateways).toBe('single');
    expect(spec.sizing.decisions.filter((d) => d.source === 'spec').map((d) => d.field)).toEqual([
      'web.maxCapacity',
      'database.instanceClass',
      'network.natGateways',
    ]);
  });

  // Each bad spec names the field and says how to fix it.
  const cases: Array<[string, unknown, RegExp]> = [
    ['malformed CIDR', { ...minimal, network: { vpcCidr: '10.40.0/16' } }, /^network\.vpcCidr: .*not an IPv4 network.*fix:/],
    ['CIDR with host bits', { ...minimal, network: { vpcCidr: '10.40.0.1/16' } }, /^network\.vpcCidr: .*no host bits/],
    [
      'CIDR too small for the subnets',
      { ...minimal, network: { vpcCidr: '10.40.0.0/26' } },
      /^network\.vpcCidr: .*cannot hold the tenant's subnets.*fix: use a prefix from \/16 to \/24/,
    ],
    ['CIDR larger than AWS allows', { ...minimal, network: { vpcCidr: '10.0.0.0/8' } }, /^network\.vpcCidr: .*cannot hold/],
    ['unknown region', { ...minimal, region: 'eu-west-9' }, /^region: "eu-west-9" is not a region.*fix: one of .*eu-west-1/],
    [
      'zone outside the region',
      { ...minimal, availabilityZones: ['eu-west-1a', 'us-east-1b'] },
      /^availabilityZones\.1: "us-east-1b" is not a zone of eu-west-1 — fix: one of eu-west-1a/,
    ],
    ['one zone only', { ...minimal, availabilityZones: ['eu-west-1a'] }, /^availabilityZones: needs at least 2 zones/],
    ['missing AMI', { ...minimal, app: {} }, /^app\.amiId: is required — fix: set app\.amiId/],
    ['malformed AMI', { ...minimal, app: { amiId: 'ami-xyz' } }, /^app\.amiId: must be an AMI id/],
    ['min above max', { ...minimal, web: { minCapacity: 5, maxCapacity: 3 } }, /^web\.minCapacity: 5 is above maxCapacity 3 — fix/],
    [
      'min above the model max',
      { ...minimal, web: { minCapacity: 2, maxCapacity: 1 } },
      /^web\.minCapacity: 2 is above maxCapacity 1 — fix/,
    ],
    ['no expected load', { ...minimal, expectedLoad: undefined }, /^expectedLoad: is required — fix: add "expectedLoad"/],
    [
      'zero concurrent users',
      { ...minimal, expectedLoad: { concurrentUsers: 0, population: 10 } },
      /^expectedLoad\.concurrentUsers: 0 concurrent users is not a load — fix/,
    ],
    [
      'fractional users',
      { ...minimal, expectedLoad: { concurrentUsers: 2.5, population: 10 } },
      /^expectedLoad\.concurrentUsers: must be a whole number/,
    ],
    [
      'more users than the model sizes',
      { ...minimal, expectedLoad: { concurrentUsers: 60_000, population: 100_000 } },
      /^expectedLoad\.concurrentUsers: 60000 is above the sizing model's largest band \(50,000\)/,
    ],
    [
      'population below concurrent users',
      { ...minimal, expectedLoad: { concurrentUsers: 800, population: 500 } },
      /^expectedLoad\.population: 500 is below concurrentUsers 800 — fix/,
    ],
    ['unknown rollout ring', { ...minimal, rollout: { ring: 'beta' } }, /^rollout\.ring: must be one of canary, early, general/],
    [
      'desired outside range',
      { ...minimal, web: { minCapacity: 2, maxCapacity: 3, desiredCapacity: 9 } },
      /^web\.desiredCapacity: 9 is outside 2–3/,
    ],
    ['production on one instance', { ...minimal, web: { minCapacity: 1 } }, /^web\.minCapacity: 1 leaves production on one instance/],
    ['name not DNS-safe', { ...minimal, name: 'Acme_College' }, /^name: must be DNS-safe/],
    ['name with double hyphen', { ...minimal, name: 'acme--college' }, /^name: must be DNS-safe/],
    ['reserved name', { ...minimal, name: 'fleet' }, /^name: "fleet" is reserved/],
    ['unknown field', { ...minimal, databse: {} }, /^databse: unknown field — fix: remove it or correct its spelling/],
    ['missing display name', { ...minimal, displayName: undefined }, /^displayName: is required — fix: add "displayName"/],
    [
      'bad certificate ARN',
      { ...minimal, edge: { certificateArn: 'arn:aws:iam::1:role/x' } },
      /^edge\.certificateArn: must be an ACM certificate ARN/,
    ],
    [
      'certificate from another region',
      { ...minimal, edge: { certificateArn: usEast1Certificate } },
      /^edge\.certificateArn: is in us-east-1, but the load balancer is in eu-west-1 — fix/,
    ],
    [
      'DR region the tenant is in',
      { ...minimal, disasterRecovery: { region: 'eu-west-1' } },
      /^disasterRecovery\.region: is the tenant's own region eu-west-1.*fix: name another region, e\.g\. eu-/,
    ],
    [
      'unknown DR region',
      { ...minimal, disasterRecovery: { region: 'mars-1' } },
      /^disasterRecovery\.region: "mars-1" is not a region hafleet knows/,
    ],
    [
      'DR copies kept 3 days',
      { ...minimal, disasterRecovery: { region: 'eu-central-1', copyRetentionDays: 3 } },
      /^disasterRecovery\.copyRetentionDays: must be at least 7 days/,
    ],
    [
      'CDN certificate outside us-east-1',
      { ...minimal, cdn: { certificateArn: minimal.edge.certificateArn } },
      /^cdn\.certificateArn: is in eu-west-1 — fix: CloudFront only uses certificates issued in us-east-1/,
    ],
    ['missing edge certificate', { ...minimal, edge: {} }, /^edge\.certificateArn: is required — fix: the ARN of the ACM certificate/],
    [
      'signing the whole site',
      { ...minimal, cdn: { certificateArn: usEast1Certificate, signedContent: { pathPatterns: ['/*'], publicKeys: [] } } },
      /^cdn\.signedContent\.pathPatterns\.0: would sign the whole site — fix/,
    ],
    [
      'a signing key that is not a PEM',
      {
        ...minimal,
        cdn: {
          certificateArn: usEast1Certificate,
          signedContent: { pathPatterns: ['/content/private/*'], publicKeys: [{ name: 'k1', encodedKey: 'ssh-rsa AAAA' }] },
        },
      },
      /^cdn\.signedContent\.publicKeys\.0\.encodedKey: must be a PEM RSA public key — fix/,
    ],
    ['no alert address', { ...minimal, alerts: { emails: [] } }, /^alerts\.emails: needs at least one address/],
    ['bad alert address', { ...minimal, alerts: { emails: ['ops at acme'] } }, /^alerts\.emails\.0: must be an email address/],
    ['bad domain', { ...minimal, domain: 'Learn Acme' }, /^domain: must be a lowercase hostname/],
    ['short backups', { ...minimal, database: { backupRetentionDays: 3 } }, /^database\.backupRetentionDays: must be at least 7 days/],
    ['unknown engine', { ...minimal, database: { engine: 'oracle' } }, /^database\.engine: must be one of mysql, postgres/],
    ['Aurora without a reader', { ...minimal, database: { readers: 0 } }, /^database\.readers: must be at least 1/],
    ['cache without a replica', { ...minimal, cache: { replicas: 0 } }, /^cache\.replicas: must be at least 1 so sessions survive/],
    ['bad account id', { ...minimal, account: { id: '1234' } }, /^account\.id: must be a 12-digit AWS account id/],
    [
      'dedicated without an account',
      { ...minimal, account: { dedicated: true } },
      /^account\.dedicated: is true but account\.id is not set: the fleet's default account is shared — fix/,
    ],
    [
      'flow logs to an unknown place',
      { ...minimal, observability: { flowLogs: { destination: 'splunk' } } },
      /^observability\.flowLogs\.destination: must be "s3" or "cloudwatch"/,
    ],
    [
      'flow logs kept no day',
      { ...minimal, observability: { flowLogs: { retentionDays: 0 } } },
      /^observability\.flowLogs\.retentionDays: must be at least 1 day/,
    ],
    [
      'bad deployer role',
      { ...minimal, account: { deployerRoleArn: 'arn:aws:iam::111122223333:user/bob' } },
      /^account\.deployerRoleArn: must be an IAM role ARN/,
    ],
    ['wrong type', { ...minimal, web: { minCapacity: 'two' } }, /^web\.minCapacity: must be of type number/],
    ['JSON syntax error', '{\n  "name": "acme",\n  "region": ,\n}', /^: is not valid JSON: value expected at line 3, column 13/],
    ['not an object', '[1, 2]', /^: must be a JSON object/],
  ];

  it.each(cases)('rejects %s with the field and a fix', (_label, spec, expected) => {
    const problems = problemsOf(spec);
    expect(problems.length).toBeGreaterThan(0);
    expect(
      problems.some((p) => expected.test(p)),
      problems.join('\n'),
    ).toBe(true);
  });

  it('names the tenant and file in every formatted line', () => {
    try {
      parseTenantSpec(JSON.stringify({ ...minimal, region: 'mars-1' }), source);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain('tenants/acme/tenant.json: tenant acme, field region:');
    }
  });
});
