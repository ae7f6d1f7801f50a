import { describe, expect, it } from 'vitest';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { offlineAwsProvider, TEST_ZONES } from '../testing/offline.js';
import { createdCounts, describeWithTerraform, expectOnlyCreates, planOffline } from '../testing/plan-offline.js';
import { policyOf } from '../testing/policy.js';
import { connectionRules, securityGroupRules } from '../testing/security-group-rules.js';
import { addOutputs, ref, synthesize, testStack } from '../testing/synth.js';
import { ACCOUNT_ID, APP_SECURITY_GROUP_ID, KMS_KEY_ARN, placementOf, VPC_ID, WORKER_SECURITY_GROUP_ID } from '../testing/values.js';
import { SES_SMTP_REGIONS, TenantMail, type TenantMailProps } from './tenant-mail.js';

const DOMAIN = 'learn.northwind.edu.au';
const SUBNETS = ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb', 'subnet-0cccccccccccccccc'];
const CLIENTS = [APP_SECURITY_GROUP_ID, WORKER_SECURITY_GROUP_ID];
const OUTPUTS = ['smtpHost', 'smtpPort', 'fromAddress', 'credentialsSecretArn', 'identityArn'] as const;
/** Resource types that exist only with SES. */
const SES_ONLY_TYPES = [
  'aws_sesv2_email_identity',
  'aws_sesv2_email_identity_mail_from_attributes',
  'aws_iam_user',
  'aws_iam_user_policy',
  'aws_iam_access_key',
  'aws_secretsmanager_secret',
  'aws_secretsmanager_secret_version',
  'aws_vpc_endpoint',
  'aws_security_group',
];

const props = (overrides: Partial<TenantMailProps> = {}): TenantMailProps => ({
  name: 'acme',
  domain: DOMAIN,
  region: 'eu-west-1',
  accountId: ACCOUNT_ID,
  kmsKeyArn: KMS_KEY_ARN,
  placement: placementOf(SUBNETS),
  clientSecurityGroupIds: CLIENTS,
  ...overrides,
});

function synthMail(overrides: Partial<TenantMailProps> = {}) {
  let mail: TenantMail | undefined;
  const synth = synthesize(
    testStack((scope) => {
      mail = new TenantMail(scope, 'mail', props(overrides));
      // Outputs only for the attributes that exist (undefined has no terraform value).
      addOutputs(
        scope,
        mail,
        OUTPUTS.filter((name) => mail![name] !== undefined),
      );
    }),
  );
  return { ...synth, mail: mail! };
}

describe('TenantMail with SES', () => {
  it('verifies the tenant domain as an SES identity with Easy DKIM (2048-bit) and a custom MAIL FROM subdomain', () => {
    const { single } = synthMail();
    const [identityId, identity] = single('aws_sesv2_email_identity');
    expect(identity).toMatchObject({ email_identity: DOMAIN, dkim_signing_attributes: { next_signing_key_length: 'RSA_2048_BIT' } });
    // Easy DKIM: no BYODKIM key or selector of our own.
    expect(identity['dkim_signing_attributes']).toEqual({ next_signing_key_length: 'RSA_2048_BIT' });
    expect(single('aws_sesv2_email_identity_mail_from_attributes')[1]).toEqual({
      email_identity: ref('aws_sesv2_email_identity', identityId, 'email_identity'),
      mail_from_domain: `mail.${DOMAIN}`,
      behavior_on_mx_failure: 'USE_DEFAULT_VALUE',
    });
  });

  it('lists the DNS records the client must publish (3 DKIM CNAMEs, MAIL FROM MX and SPF) as a property and the output mail_dns_records', () => {
    const { single, mail, outputs } = synthMail();
    const [identityId] = single('aws_sesv2_email_identity');
    const token = (n: number) => `\${element(aws_sesv2_email_identity.${identityId}.dkim_signing_attributes[0].tokens, ${n})}`;
    const expected = [
      ...[0, 1, 2].map((n) => ({ type: 'CNAME', name: `${token(n)}._domainkey.${DOMAIN}`, value: `${token(n)}.dkim.amazonses.com` })),
      { type: 'MX', name: `mail.${DOMAIN}`, value: '10 feedback-smtp.eu-west-1.amazonses.com' },
      { type: 'TXT', name: `mail.${DOMAIN}`, value: 'v=spf1 include:amazonses.com ~all' },
    ];
    expect(outputs['mail_dns_records']).toEqual(expected);
    expect(mail.dnsRecords.map((r) => r.type)).toEqual(['CNAME', 'CNAME', 'CNAME', 'MX', 'TXT']);
  });

  it('uses the regional DKIM domain and feedback MX where SES has them', () => {
    const { outputs } = synthMail({ region: 'eu-south-1' });
    const records = outputs['mail_dns_records'] as { type: string; value: string }[];
    expect(records.filter((r) => r.type === 'CNAME').every((r) => r.value.endsWith('.dkim.eu-south-1.amazonses.com'))).toBe(true);
    expect(records.find((r) => r.type === 'MX')?.value).toBe('10 feedback-smtp.eu-south-1.amazonses.com');
  });

  it('gives the SMTP user only SendRawEmail/SendEmail on the tenant identity, From addresses in the tenant domain', () => {
    const { single, resources } = synthMail();
    const [identityId] = single('aws_sesv2_email_identity');
    const [userId, user] = single('aws_iam_user');
    expect(user).toMatchObject({ name: 'acme-ses-smtp' });
    const [, policy] = single('aws_iam_user_policy');
    expect(policy['user']).toBe(ref('aws_iam_user', userId, 'name'));
    expect(policyOf(policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'SendAsTenantDomainOnly',
          Effect: 'Allow',
          Action: ['ses:SendRawEmail', 'ses:SendEmail'],
          Resource: ref('aws_sesv2_email_identity', identityId, 'arn'),
          Condition: { StringLike: { 'ses:FromAddress': `*@${DOMAIN}` } },
        },
      ],
    });
    // Nothing else reaches the user: no managed policy, group or second inline policy.
    for (const type of ['aws_iam_user_policy_attachment', 'aws_iam_policy_attachment', 'aws_iam_user_group_membership', 'aws_iam_policy']) {
      expect(resources(type), type).toEqual({});
    }
  });

  it('keeps the SMTP credentials (access key id, SigV4 SMTP password) in a secret under the tenant key, 7 days recoverable', () => {
    const { single } = synthMail();
    const [userId] = single('aws_iam_user');
    const [keyId, key] = single('aws_iam_access_key');
    expect(key).toEqual({ user: ref('aws_iam_user', userId, 'name') });
    const [secretId, secret] = single('aws_secretsmanager_secret');
    expect(secret).toMatchObject({ name: 'acme/ses-smtp-credentials', kms_key_id: KMS_KEY_ARN, recovery_window_in_days: 7 });
    expect(single('aws_secretsmanager_secret_version')[1]).toEqual({
      secret_id: ref('aws_secretsmanager_secret', secretId),
      secret_string: `\${jsonencode({"username" = aws_iam_access_key.${keyId}.id, "password" = aws_iam_access_key.${keyId}.ses_smtp_password_v4})}`,
    });
  });

  it.each(['eu-west-1', 'ap-southeast-2', 'us-east-1'])(
    'reaches SES in %s only through an email-smtp interface endpoint with private DNS in the app subnets',
    (region) => {
      const { single, mail } = synthMail({ region });
      const [sgId, sg] = single('aws_security_group');
      expect(sg).toMatchObject({ name: 'acme-smtp-endpoint', vpc_id: VPC_ID });
      expect(single('aws_vpc_endpoint')[1]).toMatchObject({
        vpc_id: VPC_ID,
        service_name: `com.amazonaws.${region}.email-smtp`,
        vpc_endpoint_type: 'Interface',
        subnet_ids: SUBNETS,
        security_group_ids: [ref('aws_security_group', sgId)],
        private_dns_enabled: true,
      });
      expect(mail.smtpHost).toBe(`email-smtp.${region}.amazonaws.com`);
    },
  );

  it('opens port 587 and nothing else: in on the endpoint from each client group, out from each client group to the endpoint', () => {
    const synth = synthMail();
    const [sgId, sg] = synth.single('aws_security_group');
    expect(sg['ingress']).toBeUndefined();
    expect(sg['egress']).toBeUndefined();
    expect(securityGroupRules(synth)).toEqual(connectionRules(ref('aws_security_group', sgId), CLIENTS, 587));
  });

  it('exposes the SMTP host and port, sender, secret and identity', () => {
    const { single, outputs } = synthMail();
    expect(outputs).toMatchObject({
      smtpHost: 'email-smtp.eu-west-1.amazonaws.com',
      smtpPort: 587,
      fromAddress: `no-reply@${DOMAIN}`,
      credentialsSecretArn: ref('aws_secretsmanager_secret', single('aws_secretsmanager_secret')[0], 'arn'),
      identityArn: ref('aws_sesv2_email_identity', single('aws_sesv2_email_identity')[0], 'arn'),
    });
    expect(synthMail({ fromAddress: `moodle@${DOMAIN}` }).mail.fromAddress).toBe(`moodle@${DOMAIN}`);
  });

  it('refuses a region without the SES SMTP interface, naming the relay as the fix', () => {
    expect(SES_SMTP_REGIONS).not.toContain('af-south-1');
    expect(() => synthMail({ region: 'af-south-1' })).toThrow(
      /TenantMail acme: Amazon SES has no SMTP interface in af-south-1.*name an SMTP relay for the tenant \(relay: \{ host, port \}\)/,
    );
  });

  it.each([
    [
      { fromAddress: 'no-reply@northwind.edu.au' },
      /fromAddress "no-reply@northwind.edu.au" is not in the tenant domain learn.northwind.edu.au/,
    ],
    [{ fromAddress: 'no reply' }, /fromAddress must be an address/],
    [{ domain: 'Learn.Example.edu' }, /domain must be a lower-case DNS name/],
    [{ domain: 'localhost' }, /domain must be a lower-case DNS name/],
    [{ clientSecurityGroupIds: [] }, /clientSecurityGroupIds is empty/],
    [{ placement: placementOf([SUBNETS[0]!]) }, /TenantMail acme: placement needs subnets in at least 2 zones, got 1/],
    [{ placement: placementOf(SUBNETS, ['eu-west-1a', 'eu-west-1a', 'eu-west-1b']) }, /more than one subnet in zone eu-west-1a/],
    [{ mailFromSubdomain: 'bounce.mail' }, /mailFromSubdomain must be one DNS label/],
    [{ accountId: '1234' }, /accountId must be a 12-digit/],
  ] as [Partial<TenantMailProps>, RegExp][])('rejects %j', (overrides, message) => {
    expect(() => synthMail(overrides)).toThrow(message);
  });
});

describe('TenantMail with a relay', () => {
  const relay = { host: 'smtp.northwind.edu.au', port: 2525 };

  it('creates no SES identity, SMTP user, secret or endpoint, and publishes no DNS records', () => {
    const { resources, outputs, mail } = synthMail({ relay });
    for (const type of SES_ONLY_TYPES) expect(resources(type), type).toEqual({});
    expect(outputs['mail_dns_records']).toBeUndefined();
    expect(mail.dnsRecords).toEqual([]);
  });

  it('lets each client group out to any address on the relay port only', () => {
    const synth = synthMail({ relay });
    const tcp = { ip_protocol: 'tcp', from_port: 2525, to_port: 2525, cidr_ipv4: '0.0.0.0/0' };
    expect(securityGroupRules(synth)).toEqual({ ingress: [], egress: CLIENTS.map((group) => ({ security_group_id: group, ...tcp })) });
    const descriptions = Object.values(synth.resources('aws_vpc_security_group_egress_rule')).map((r) => r['description']);
    expect(descriptions).toEqual(CLIENTS.map(() => 'SMTP to the relay smtp.northwind.edu.au: any address, port 2525 only'));
  });

  it('hands out the relay as the SMTP host and port, with no SES credentials or identity', () => {
    const { mail, outputs } = synthMail({ relay });
    expect(mail).toMatchObject({ smtpHost: relay.host, smtpPort: 2525, fromAddress: `no-reply@${DOMAIN}` });
    expect(mail.credentialsSecretArn).toBeUndefined();
    expect(mail.identityArn).toBeUndefined();
    expect(outputs).toEqual({ smtpHost: relay.host, smtpPort: 2525, fromAddress: `no-reply@${DOMAIN}` });
  });

  it('may send as another domain, which the relay decides on', () => {
    expect(synthMail({ relay, fromAddress: 'lms@northwind.edu.au' }).mail.fromAddress).toBe('lms@northwind.edu.au');
    expect(() => synthMail({ relay, fromAddress: 'lms@' })).toThrow(/fromAddress must be an address/);
  });

  it('works in a region without SES SMTP', () => {
    expect(synthMail({ region: 'af-south-1', relay }).mail.smtpHost).toBe(relay.host);
  });

  it.each([
    [{ port: 0 }, /relay.port must be a TCP port, got 0/],
    [{ port: 70000 }, /relay.port must be a TCP port/],
    [{ host: 'smtp relay' }, /relay.host must be a host name/],
  ] as [Partial<TenantMailProps['relay']>, RegExp][])('rejects relay %j', (overrides, message) => {
    expect(() => synthMail({ relay: { ...relay, ...overrides } })).toThrow(message);
  });
});

describeWithTerraform('TenantMail with the real terraform', () => {
  it('is accepted by terraform and the AWS provider (offline plan) in a minimal VPC: creates only', async () => {
    const summary = await planOffline((stack) => {
      offlineAwsProvider(stack);
      const vpc = new Vpc(stack, 'vpc', { cidrBlock: '10.20.0.0/20', enableDnsSupport: true, enableDnsHostnames: true });
      const subnets = TEST_ZONES.slice(0, 2).map((zone, index) => ({
        id: new Subnet(stack, `app-${index}`, { vpcId: vpc.id, availabilityZone: zone, cidrBlock: `10.20.${4 + index}.0/24` }).id,
        zone,
      }));
      const group = (id: string) => new SecurityGroup(stack, id, { name: `acme-${id}`, description: id, vpcId: vpc.id }).id;
      new TenantMail(
        stack,
        'mail',
        props({ placement: { vpcId: vpc.id, subnets }, clientSecurityGroupIds: [group('web'), group('worker')] }),
      );
    });
    expectOnlyCreates(summary);
    expect(createdCounts(summary)).toMatchObject({
      aws_sesv2_email_identity: 1,
      aws_sesv2_email_identity_mail_from_attributes: 1,
      aws_iam_user: 1,
      aws_iam_user_policy: 1,
      aws_iam_access_key: 1,
      aws_secretsmanager_secret: 1,
      aws_secretsmanager_secret_version: 1,
      aws_vpc_endpoint: 1,
      aws_vpc_security_group_ingress_rule: 2,
      aws_vpc_security_group_egress_rule: 2,
    });
  });
});
