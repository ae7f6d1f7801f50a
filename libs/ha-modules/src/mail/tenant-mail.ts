import { Construct } from 'constructs';
import { Fn, TerraformOutput, Token } from 'cdktf';
import { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Sesv2EmailIdentity } from '@cdktf/provider-aws/lib/sesv2-email-identity';
import { Sesv2EmailIdentityMailFromAttributes } from '@cdktf/provider-aws/lib/sesv2-email-identity-mail-from-attributes';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { checkAccountAndRegion } from '../aws-account.js';
import { boundedName } from '../naming.js';
import { assertPlacement, subnetIdsOf, type SubnetPlacement } from '../network/placement.js';
import { TierSecurityGroup } from '../network/tier-security-group.js';

/** An SMTP relay the tenant's spec names instead of SES. */
export interface MailRelay {
  /** Host name (or address) of the relay. */
  readonly host: string;
  /** TCP port the relay accepts submissions on, e.g. 587. */
  readonly port: number;
}

/** One DNS record the client must publish in the tenant's domain; values may be terraform expressions. */
export interface MailDnsRecord {
  readonly type: 'CNAME' | 'MX' | 'TXT';
  /** Fully qualified record name, e.g. `<token>._domainkey.learn.example.edu`. */
  readonly name: string;
  /** Record value: the CNAME target, `<priority> <host>` for MX, the text (unquoted) for TXT. */
  readonly value: string;
}

export interface TenantMailProps {
  /** Tenant name: prefix of the SMTP user, secret, security group and Name tags. */
  readonly name: string;
  /** The tenant's site domain, e.g. `learn.northwind.edu.au`: SES sends as this domain. */
  readonly domain: string;
  /** Sender of platform mail; with SES it must be in `domain`. @default `no-reply@<domain>` */
  readonly fromAddress?: string;
  /** Region of the tenant's stack (and its AWS provider): SES, its SMTP endpoint and the SMTP password are regional. */
  readonly region: string;
  readonly accountId: string;
  /** The tenant's KMS key: encrypts the SMTP credentials secret. */
  readonly kmsKeyArn: string;
  /**
   * The application subnets (`Network.appPlacement`, ≥ 2 zones): the SMTP endpoint gets an interface in each. The
   * email-smtp endpoint service is not offered in every zone (e.g. some us-east-1 zones,
   * ap-northeast-2d; `aws ec2 describe-vpc-endpoint-services --service-names
   * com.amazonaws.<region>.email-smtp` lists them per account): give only subnets in listed zones,
   * or creating the endpoint fails at apply. Not used with `relay`.
   */
  readonly placement: SubnetPlacement;
  /** Security groups of the instances that send mail (web and worker): the only clients of the endpoint or relay. */
  readonly clientSecurityGroupIds: string[];
  /**
   * Send through this relay instead of SES: no SES identity, no SMTP user, no endpoint; the client
   * groups may reach any address on the relay's port, and nothing else for mail.
   * @default SES in `region`
   */
  readonly relay?: MailRelay;
  /**
   * Subdomain of `domain` used as the custom MAIL FROM (bounce) domain, so SPF aligns with the From
   * domain for DMARC. Until its MX record is published SES falls back to its own MAIL FROM domain.
   * @default 'mail'
   */
  readonly mailFromSubdomain?: string;
}

/** SMTP submission with STARTTLS: the port SES recommends and the only one opened. */
export const SES_SMTP_PORT = 587;

/**
 * Regions where SES offers its SMTP interface (`email-smtp.<region>.amazonaws.com`, the
 * `com.amazonaws.<region>.email-smtp` endpoint service), each with its Easy DKIM CNAME target
 * domain: most regions use `dkim.amazonses.com`, a few newer ones their own.
 *
 * Sources: AWS's SMTP credential example (awsdocs/aws-doc-sdk-examples,
 * python/example_code/ses/ses_generate_smtp_credentials.py, SMTP_REGIONS) and the General
 * Reference "Amazon SES endpoints and quotas" (SMTP endpoints, DKIM domains). af-south-1 has SES
 * (API, Easy DKIM) but no SMTP interface, so a tenant there needs a relay.
 */
const SES_SMTP_DKIM_DOMAINS: Readonly<Record<string, string>> = {
  'us-east-1': 'dkim.amazonses.com',
  'us-east-2': 'dkim.amazonses.com',
  'us-west-2': 'dkim.amazonses.com',
  'ca-central-1': 'dkim.amazonses.com',
  'sa-east-1': 'dkim.amazonses.com',
  'eu-west-1': 'dkim.amazonses.com',
  'eu-west-2': 'dkim.amazonses.com',
  'eu-west-3': 'dkim.amazonses.com',
  'eu-central-1': 'dkim.amazonses.com',
  'eu-north-1': 'dkim.amazonses.com',
  'eu-south-1': 'dkim.eu-south-1.amazonses.com',
  'ap-south-1': 'dkim.amazonses.com',
  'ap-southeast-1': 'dkim.amazonses.com',
  'ap-southeast-2': 'dkim.amazonses.com',
  'ap-northeast-1': 'dkim.amazonses.com',
  'ap-northeast-2': 'dkim.amazonses.com',
};

/** Regions where `TenantMail` can use SES (elsewhere it needs `relay`). */
export const SES_SMTP_REGIONS: readonly string[] = Object.keys(SES_SMTP_DKIM_DOMAINS).sort();

/** Easy DKIM gives every domain identity three tokens, hence three CNAME records. */
const DKIM_TOKENS = 3;
/** IAM user names: 64 characters. */
const IAM_USER_NAME_MAX = 64;

/**
 * Outbound mail of one tenant, locked down: by default through Amazon SES in the tenant's region,
 * else through the relay its spec names.
 *
 * With SES: a domain identity for `domain` with Easy DKIM (2048-bit keys) and a custom MAIL FROM
 * subdomain; `dnsRecords` (also the stack output `mail_dns_records`) lists what the client must
 * publish before SES will send as the domain. An IAM user `<name>-ses-smtp` may only
 * `ses:SendRawEmail`/`ses:SendEmail` through this identity with a From address in `domain`; its
 * access key becomes the SMTP credentials, kept as `{ "username", "password" }` in a Secrets
 * Manager secret (tenant key, 7-day recovery window). The instances reach SES only through an
 * interface endpoint (`email-smtp`, private DNS) in the app subnets, on port 587, from the client
 * groups: `smtpHost` resolves to it inside the VPC.
 *
 * The SMTP password is derived from the access key's secret, so, like the other generated secrets,
 * it is in the (encrypted, per-tenant) terraform state. Rotate it with
 * `terraform apply -replace=<address of the aws_iam_access_key>`: the new key and password reach
 * the secret in the same apply; instances pick them up when they next read the secret.
 *
 * SES itself is per account and region: a new account is in the SES sandbox (it may only send to
 * verified addresses) until production access is requested for that region.
 *
 * Only one `TenantMail` per stack: it names the output `mail_dns_records`.
 */
export class TenantMail extends Construct {
  /** SMTP host the instances connect to: the SES endpoint (private DNS) or the relay. */
  readonly smtpHost: string;
  readonly smtpPort: number;
  readonly fromAddress: string;
  /** ARN of the secret holding `{ "username", "password" }`; undefined with a relay. */
  readonly credentialsSecretArn: string | undefined;
  /** ARN of the SES domain identity; undefined with a relay. */
  readonly identityArn: string | undefined;
  /** DNS records the client must publish (DKIM, MAIL FROM); empty with a relay. */
  readonly dnsRecords: readonly MailDnsRecord[];

  constructor(scope: Construct, id: string, props: TenantMailProps) {
    super(scope, id);
    const { name, domain, relay } = props;
    const fromAddress = props.fromAddress ?? `no-reply@${domain}`;
    const mailFromSubdomain = props.mailFromSubdomain ?? 'mail';
    validate(props, fromAddress, mailFromSubdomain);
    this.fromAddress = fromAddress;

    if (relay) {
      props.clientSecurityGroupIds.forEach((securityGroupId, index) => {
        new VpcSecurityGroupEgressRule(this, `relay-egress-${index}`, {
          securityGroupId,
          description: `SMTP to the relay ${relay.host}: any address, port ${relay.port} only`,
          ipProtocol: 'tcp',
          fromPort: relay.port,
          toPort: relay.port,
          cidrIpv4: '0.0.0.0/0',
        });
      });
      this.smtpHost = relay.host;
      this.smtpPort = relay.port;
      this.credentialsSecretArn = undefined;
      this.identityArn = undefined;
      this.dnsRecords = [];
      return;
    }

    const { region } = props;
    const identity = new Sesv2EmailIdentity(this, 'identity', {
      emailIdentity: domain,
      dkimSigningAttributes: { nextSigningKeyLength: 'RSA_2048_BIT' },
      tags: { Name: `${name}-mail` },
    });
    const mailFromDomain = `${mailFromSubdomain}.${domain}`;
    new Sesv2EmailIdentityMailFromAttributes(this, 'mail-from', {
      emailIdentity: identity.emailIdentity,
      mailFromDomain,
      // Keep sending (as amazonses.com) until the client has published the MX record.
      behaviorOnMxFailure: 'USE_DEFAULT_VALUE',
    });

    const tokens = identity.dkimSigningAttributes.tokens;
    const dkimDomain = SES_SMTP_DKIM_DOMAINS[region]!;
    this.dnsRecords = [
      ...Array.from({ length: DKIM_TOKENS }, (_, index): MailDnsRecord => {
        const token = Fn.element(tokens, index);
        return { type: 'CNAME', name: `${token}._domainkey.${domain}`, value: `${token}.${dkimDomain}` };
      }),
      { type: 'MX', name: mailFromDomain, value: `10 feedback-smtp.${region}.amazonses.com` },
      { type: 'TXT', name: mailFromDomain, value: 'v=spf1 include:amazonses.com ~all' },
    ];
    new TerraformOutput(this, 'dns-records', {
      description: `DNS records ${domain} must publish before SES sends as it (DKIM, MAIL FROM)`,
      value: this.dnsRecords,
    }).overrideLogicalId('mail_dns_records');

    const userName = boundedName(name, 'ses-smtp', IAM_USER_NAME_MAX);
    const user = new IamUser(this, 'smtp-user', { name: userName, tags: { Name: userName } });
    new IamUserPolicy(this, 'smtp-send', {
      name: 'ses-send-as-tenant-domain',
      user: user.name,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'SendAsTenantDomainOnly',
            Effect: 'Allow',
            Action: ['ses:SendRawEmail', 'ses:SendEmail'],
            Resource: identity.arn,
            Condition: { StringLike: { 'ses:FromAddress': `*@${domain}` } },
          },
        ],
      }),
    });
    const accessKey = new IamAccessKey(this, 'smtp-access-key', { user: user.name });

    const secret = new SecretsmanagerSecret(this, 'smtp-credentials', {
      name: `${name}/ses-smtp-credentials`,
      description: `${name}: SES SMTP credentials for ${fromAddress} (username = access key id, password = SigV4 SMTP password)`,
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: 7,
      tags: { Name: `${name}-ses-smtp-credentials` },
    });
    new SecretsmanagerSecretVersion(this, 'smtp-credentials-value', {
      secretId: secret.id,
      secretString: Fn.jsonencode({ username: accessKey.id, password: accessKey.sesSmtpPasswordV4 }),
    });

    // The endpoint's own group: port 587 in from the client groups, and the clients' 587 egress to it.
    const endpointGroup = new TierSecurityGroup(this, 'Default', {
      name: `${name}-smtp-endpoint`,
      description: `${name}: SES SMTP endpoint, port ${SES_SMTP_PORT} from the mail-sending instances only`,
      vpcId: props.placement.vpcId,
    });
    endpointGroup.allowFrom(props.clientSecurityGroupIds, SES_SMTP_PORT, 'SMTP submission from a mail-sending instance group', {
      idPrefix: 'smtp-',
    });
    new VpcEndpoint(this, 'smtp-endpoint', {
      vpcId: props.placement.vpcId,
      serviceName: `com.amazonaws.${region}.email-smtp`,
      vpcEndpointType: 'Interface',
      subnetIds: subnetIdsOf(props.placement),
      securityGroupIds: [endpointGroup.securityGroupId],
      // email-smtp.<region>.amazonaws.com resolves to the endpoint inside the VPC.
      privateDnsEnabled: true,
      tags: { Name: `${name}-smtp-endpoint` },
    });

    this.smtpHost = `email-smtp.${region}.amazonaws.com`;
    this.smtpPort = SES_SMTP_PORT;
    this.credentialsSecretArn = secret.arn;
    this.identityArn = identity.arn;
  }
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function validate(props: TenantMailProps, fromAddress: string, mailFromSubdomain: string): void {
  const owner = `TenantMail ${props.name}`;
  const fail = (message: string): never => {
    throw new Error(`${owner}: ${message}`);
  };
  const { domain, relay } = props;
  if (!HOST_NAME.test(domain)) fail(`domain must be a lower-case DNS name such as "learn.example.edu", got "${domain}"`);
  const at = fromAddress.lastIndexOf('@');
  const [local, addressDomain] = [fromAddress.slice(0, at), fromAddress.slice(at + 1).toLowerCase()];
  if (at < 1 || !/^[A-Za-z0-9._%+-]+$/.test(local) || !HOST_NAME.test(addressDomain))
    fail(`fromAddress must be an address such as "no-reply@${domain}", got "${fromAddress}"`);
  if (Token.isUnresolved(props.clientSecurityGroupIds)) {
    fail('clientSecurityGroupIds must be a list known at synthesis (one element per group)');
  }
  if (props.clientSecurityGroupIds.length < 1) fail('clientSecurityGroupIds is empty: no instance could send mail');
  if (relay) {
    if (!Number.isInteger(relay.port) || relay.port < 1 || relay.port > 65535) fail(`relay.port must be a TCP port, got ${relay.port}`);
    if (!/^[A-Za-z0-9.-]{1,253}$/.test(relay.host)) fail(`relay.host must be a host name or IPv4 address, got "${relay.host}"`);
    return;
  }
  if (addressDomain !== domain) {
    fail(
      `fromAddress "${fromAddress}" is not in the tenant domain ${domain}: SES may only send as ${domain}, so use an address "@${domain}"`,
    );
  }
  checkAccountAndRegion(owner, props.accountId, props.region);
  if (Token.isUnresolved(props.region)) fail('region must be known at synthesis: the SES endpoint service and DKIM domain depend on it');
  if (!SES_SMTP_DKIM_DOMAINS[props.region]) {
    fail(
      `Amazon SES has no SMTP interface in ${props.region}, so mail cannot go through SES there: ` +
        `name an SMTP relay for the tenant (relay: { host, port }), or run it in a region with SES SMTP (${SES_SMTP_REGIONS.join(', ')})`,
    );
  }
  if (!LABEL.test(mailFromSubdomain)) fail(`mailFromSubdomain must be one DNS label such as "mail", got "${mailFromSubdomain}"`);
  // The SMTP endpoint takes one interface per zone.
  assertPlacement(owner, props.placement, { minZones: 2, give: 'the app subnets (Network.appPlacement) for the SMTP endpoint' });
}
