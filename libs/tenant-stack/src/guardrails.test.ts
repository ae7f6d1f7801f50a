import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  POLICY_REPORT_FILE,
  RULES,
  SynthesizedStack,
  evaluatePolicy,
  policyContext,
  type PolicyContext,
  type PolicyReport,
  type PolicyRule,
  type StackJson,
} from '@hafleet/guardrails';
import { SIGNING_PUBLIC_KEY } from '@hafleet/ha-modules/testing';
import { defaultAvailabilityZones, loadFleet, loadFleetConfig, tenantSpecFiles } from '@hafleet/tenant-spec';
import { tempWorkspace, WORKSPACE_ROOT, type TempWorkspace } from '@hafleet/testing';
import { synthesizeTenants, type SynthesizedTenant } from './synthesize.js';

/**
 * Every guardrail against real synthesized stacks: it passes on two fixture tenants built from
 * the example specs (one RDS without CDN and with one NAT gateway, one Aurora with CDN, Shield,
 * signed content, a NAT gateway per zone, a DR region and an account of its own), and fails on a copy of one of them broken in exactly the way the rule
 * exists to catch. Plus: every example tenant passes with no unsuppressed finding.
 */

const EXAMPLES = tenantSpecFiles(WORKSPACE_ROOT).map((file) => basename(dirname(file)));
const FIXTURES = { rds: 'fixture-rds', aurora: 'fixture-aurora' } as const;
type FixtureKind = keyof typeof FIXTURES;

let workspace: TempWorkspace;
let synthesized: Map<string, SynthesizedTenant>;
const stackText = new Map<string, string>();
const contexts = new Map<string, PolicyContext>();

const DEDICATED_ACCOUNT = '555566667777';
const inAccount = (arn: string, account: string) => arn.replace(/:\d{12}:/, `:${account}:`);

/** Two tenants from the first example's spec (whatever the schema asks today), differing where the rules do. */
function writeFixtureTenants(root: string): void {
  const base = JSON.parse(readFileSync(tenantSpecFiles(root)[0]!, 'utf8')) as Record<string, any>;
  const zones = defaultAvailabilityZones(base['region']);
  const variants: Record<FixtureKind, Record<string, unknown>> = {
    rds: {
      availabilityZones: zones.slice(0, 2),
      network: { vpcCidr: '10.250.0.0/16', natGateways: 'single' },
      database: { engine: 'mysql' },
      edge: { ...base['edge'], shieldAdvanced: false },
      cdn: undefined,
    },
    aurora: {
      availabilityZones: zones.slice(0, 3),
      network: { vpcCidr: '10.251.0.0/16', natGateways: 'per-az' },
      database: { engine: 'aurora-postgresql', readers: 1 },
      // Alone in its own account: its stack owns account-wide settings (Inspector).
      account: { id: DEDICATED_ACCOUNT, dedicated: true },
      // The other flow-log destination, kept longer than the default.
      observability: { flowLogs: { destination: 'cloudwatch', retentionDays: 400 } },
      edge: { ...base['edge'], certificateArn: inAccount(base['edge'].certificateArn, DEDICATED_ACCOUNT), shieldAdvanced: true },
      cdn: {
        certificateArn: `arn:aws:acm:us-east-1:${DEDICATED_ACCOUNT}:certificate/1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d`,
        signedContent: { pathPatterns: ['/content/private/*'], publicKeys: [{ name: 'fixture', encodedKey: SIGNING_PUBLIC_KEY }] },
      },
      cache: { separateApplicationCache: true },
      disasterRecovery: { region: base['region'] === 'eu-west-1' ? 'eu-central-1' : 'eu-west-1', copyRetentionDays: 30 },
    },
  };
  for (const [kind, name] of Object.entries(FIXTURES) as Array<[FixtureKind, string]>) {
    const spec = { ...base, ...variants[kind], name, displayName: `Guardrails fixture ${kind}`, domain: `${name}.example.test` };
    mkdirSync(join(root, 'tenants', name), { recursive: true });
    writeFileSync(join(root, 'tenants', name, 'tenant.json'), JSON.stringify(spec));
  }
}

beforeAll(() => {
  workspace = tempWorkspace();
  writeFixtureTenants(workspace.root);
  // Synthesis runs the pack: it throws on any unsuppressed finding, examples and fixtures alike.
  synthesized = new Map(synthesizeTenants({ workspaceRoot: workspace.root, mode: 'offline' }).map((s) => [s.tenant, s]));
  const fleet = loadFleetConfig(workspace.root);
  const fleetTenants = tenantSpecFiles(workspace.root).map((file) => basename(dirname(file)));
  for (const { spec } of loadFleet(workspace.root)) {
    stackText.set(spec.name, readFileSync(synthesized.get(spec.name)!.file, 'utf8'));
    contexts.set(spec.name, policyContext({ spec, fleet, fleetTenants }));
  }
});
afterAll(() => workspace.dispose());

describe.each(EXAMPLES)('example tenant %s', (tenant) => {
  it('passes every guardrail with no unsuppressed finding and no stale suppression', () => {
    const { policy, dir } = synthesized.get(tenant)!;
    // The whole report is the one synth wrote beside the stack; the run kept its counts and findings.
    const report = (JSON.parse(readFileSync(join(dir, POLICY_REPORT_FILE), 'utf8')) as { report: PolicyReport }).report;
    expect(report.outcomes.filter((o) => o.result === 'fail')).toEqual([]);
    expect(report.unusedSuppressions).toEqual([]);
    expect(report.outcomes.filter((o) => o.result === 'pass').length).toBeGreaterThan(100);
    expect(policy.summary).toMatchObject({
      checks: report.outcomes.length,
      passed: report.outcomes.length - policy.findings.length,
      errors: 0,
      warnings: 0,
    });
  });
});

/** A resource of the broken copy, found by type and construct path ending (or a test). */
interface Target {
  readonly address: string;
  readonly path: string;
  readonly values: Record<string, any>;
}

/** A deep copy of a fixture tenant's stack and context, to break in one place. */
class Broken {
  readonly json: StackJson & { resource: Record<string, Record<string, Record<string, any>>> };
  readonly context: PolicyContext;

  constructor(readonly tenant: string) {
    this.json = JSON.parse(stackText.get(tenant)!);
    this.context = structuredClone(contexts.get(tenant)!);
  }

  all(type: string): Target[] {
    return Object.entries(this.json.resource[type] ?? {}).map(([name, values]) => ({
      address: `${type}.${name}`,
      path: String(values['//']?.metadata?.path ?? '').replace(`${this.tenant}/`, ''),
      values,
    }));
  }

  at(type: string, which: string | ((t: Target) => boolean) = () => true): Target {
    const test = typeof which === 'string' ? (t: Target) => t.path.endsWith(which) : which;
    const found = this.all(type).find(test);
    if (!found) throw new Error(`${this.tenant}: no ${type} matching ${String(which)} — the fixture changed`);
    return found;
  }

  /** The resource a `${type.name.attr}` reference points at. */
  ref(reference: string): Target {
    const [, type, name] = /^\$\{([a-z0-9_]+)\.([^.}]+)/.exec(reference) ?? [];
    return this.at(type!, (t) => t.address === `${type}.${name}`);
  }

  add(type: string, name: string, values: Record<string, unknown>): Target {
    (this.json.resource[type] ??= {})[name] = values;
    return { address: `${type}.${name}`, path: '', values };
  }

  remove(type: string, which?: string | ((t: Target) => boolean)): void {
    const target = this.at(type, which);
    delete this.json.resource[type]![target.address.slice(type.length + 1)];
  }

  /** Edits a JSON policy document held as text in `attribute`. */
  policy(target: Target, edit: (document: { Statement: Array<Record<string, any>> }) => void, attribute = 'policy'): void {
    const document = JSON.parse(target.values[attribute]);
    edit(document);
    target.values[attribute] = JSON.stringify(document);
  }

  webGroup = () => this.at('aws_autoscaling_group', (g) => (g.values['target_group_arns'] ?? []).length > 0);
  workerGroup = () => this.at('aws_autoscaling_group', 'worker/asg');
  rolePolicy = (path: string) => this.at('aws_iam_role_policy', path);
  regionalAcl = () => this.at('aws_wafv2_web_acl', (a) => a.values['scope'] === 'REGIONAL');
  /** The managed_rule_group_statement of an ACL's rule named `name`. */
  managed = (acl: Target, name: string): Record<string, any> =>
    acl.values['rule'].find((r: any) => r.name === name).statement.managed_rule_group_statement;
  rateRule = (acl: Target): Record<string, any> =>
    acl.values['rule'].find((r: any) => r.statement?.rate_based_statement).statement.rate_based_statement;
  publicSubnets = (): string[] => this.at('aws_lb').values['subnets'];
}

interface BreakCase {
  readonly rule: string;
  readonly tenant: FixtureKind;
  readonly label: string;
  /** Breaks the copy and returns the resource that must now fail (address for providers and the backend). */
  readonly breaks: (f: Broken) => Target | string;
  readonly message: RegExp;
}

const OTHER_ACCOUNT = '999999999999';
const FOREIGN_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

const CASES: BreakCase[] = [
  // encryption
  {
    rule: 'HAF-ENC-001',
    tenant: 'rds',
    label: 'database storage without a key',
    breaks: (f) => {
      const db = f.at('aws_db_instance');
      delete db.values['kms_key_id'];
      return db;
    },
    message: /storage has no KMS key/,
  },
  {
    rule: 'HAF-ENC-001',
    tenant: 'aurora',
    label: 'Performance Insights with a foreign key',
    breaks: (f) => {
      const w = f.at('aws_rds_cluster_instance');
      w.values['performance_insights_kms_key_id'] = FOREIGN_KEY;
      return w;
    },
    message: /Performance Insights uses .* not the tenant's own aws_kms_key/,
  },
  {
    rule: 'HAF-ENC-002',
    tenant: 'aurora',
    label: 'file system with a pasted key ARN',
    breaks: (f) => {
      const fs = f.at('aws_efs_file_system');
      fs.values['kms_key_id'] = FOREIGN_KEY;
      return fs;
    },
    message: /the file system uses .* not the tenant's own aws_kms_key/,
  },
  {
    rule: 'HAF-ENC-003',
    tenant: 'rds',
    label: 'content bucket on SSE-S3',
    breaks: (f) => {
      const c = f.at('aws_s3_bucket_server_side_encryption_configuration', 'content/encryption');
      c.values['rule'][0].apply_server_side_encryption_by_default = { sse_algorithm: 'AES256' };
      return f.at('aws_s3_bucket', 'content/bucket');
    },
    message: /uses SSE-S3 \(AES256\) though it receives no ALB or S3 access logs/,
  },
  {
    rule: 'HAF-ENC-003',
    tenant: 'aurora',
    label: 'content bucket without default encryption',
    breaks: (f) => {
      f.remove('aws_s3_bucket_server_side_encryption_configuration', 'content/encryption');
      return f.at('aws_s3_bucket', 'content/bucket');
    },
    message: /no default encryption configuration/,
  },
  {
    rule: 'HAF-ENC-004',
    tenant: 'rds',
    label: 'cache not encrypted at rest',
    breaks: (f) => {
      const g = f.at('aws_elasticache_replication_group');
      g.values['at_rest_encryption_enabled'] = 'false';
      return g;
    },
    message: /at_rest_encryption_enabled is "false"/,
  },
  {
    rule: 'HAF-ENC-005',
    tenant: 'rds',
    label: 'alert topic without a key',
    breaks: (f) => {
      const t = f.at('aws_sns_topic');
      delete t.values['kms_master_key_id'];
      return t;
    },
    message: /the topic has no KMS key/,
  },
  {
    rule: 'HAF-ENC-006',
    tenant: 'aurora',
    label: 'flow-log group without a key',
    breaks: (f) => {
      const g = f.at('aws_cloudwatch_log_group', (l) => /flow/.test(l.path));
      delete g.values['kms_key_id'];
      return g;
    },
    message: /the log group has no KMS key/,
  },
  {
    rule: 'HAF-ENC-007',
    tenant: 'rds',
    label: 'unencrypted root volume',
    breaks: (f) => {
      const t = f.at('aws_launch_template');
      t.values['block_device_mappings'][0].ebs.encrypted = 'false';
      return t;
    },
    message: /encrypted is "false"/,
  },
  {
    rule: 'HAF-ENC-008',
    tenant: 'aurora',
    label: 'backup vault without a key',
    breaks: (f) => {
      const v = f.at('aws_backup_vault');
      delete v.values['kms_key_arn'];
      return v;
    },
    message: /the vault has no KMS key/,
  },
  // transit
  {
    rule: 'HAF-TLS-001',
    tenant: 'rds',
    label: 'HTTPS listener allowing TLS 1.0',
    breaks: (f) => {
      const l = f.at('aws_lb_listener', (x) => x.values['protocol'] === 'HTTPS');
      l.values['ssl_policy'] = 'ELBSecurityPolicy-2016-08';
      return l;
    },
    message: /ssl_policy is "ELBSecurityPolicy-2016-08"/,
  },
  {
    rule: 'HAF-TLS-002',
    tenant: 'rds',
    label: 'HTTP listener serving the application',
    breaks: (f) => {
      const l = f.at('aws_lb_listener', (x) => x.values['protocol'] === 'HTTP');
      l.values['default_action'] = [{ type: 'forward', target_group_arn: '${aws_lb_target_group.x.arn}' }];
      return l;
    },
    message: /the default action is "forward", not a redirect to HTTPS/,
  },
  {
    rule: 'HAF-TLS-003',
    tenant: 'aurora',
    label: 'CloudFront allowing plain HTTP',
    breaks: (f) => {
      const d = f.at('aws_cloudfront_distribution');
      d.values['default_cache_behavior'].viewer_protocol_policy = 'allow-all';
      return d;
    },
    message: /behavior "default" has viewer_protocol_policy "allow-all"/,
  },
  {
    rule: 'HAF-TLS-004',
    tenant: 'aurora',
    label: 'CloudFront reaching the ALB over HTTP',
    breaks: (f) => {
      const d = f.at('aws_cloudfront_distribution');
      d.values['origin'].find((o: any) => o.custom_origin_config).custom_origin_config.origin_protocol_policy = 'match-viewer';
      return d;
    },
    message: /has origin_protocol_policy "match-viewer"/,
  },
  {
    rule: 'HAF-TLS-005',
    tenant: 'aurora',
    label: 'cache accepting plaintext',
    breaks: (f) => {
      const g = f.at('aws_elasticache_replication_group');
      g.values['transit_encryption_mode'] = 'preferred';
      return g;
    },
    message: /transit_encryption_mode is "preferred"/,
  },
  {
    rule: 'HAF-TLS-006',
    tenant: 'rds',
    label: 'bucket policy without the TLS denial',
    breaks: (f) => {
      f.policy(
        f.at('aws_s3_bucket_policy', 'content/policy'),
        (d) => (d.Statement = d.Statement.filter((s) => s['Sid'] !== 'DenyInsecureTransport')),
      );
      return f.at('aws_s3_bucket', 'content/bucket');
    },
    message: /no bucket policy statement denies aws:SecureTransport = false/,
  },
  {
    rule: 'HAF-TLS-007',
    tenant: 'aurora',
    label: 'file system policy without the TLS denial',
    breaks: (f) => {
      f.policy(f.at('aws_efs_file_system_policy'), (d) => (d.Statement = d.Statement.filter((s) => s['Effect'] !== 'Deny')));
      return f.at('aws_efs_file_system');
    },
    message: /no file system policy denies aws:SecureTransport = false/,
  },
  {
    rule: 'HAF-TLS-008',
    tenant: 'rds',
    label: 'MySQL accepting plaintext',
    breaks: (f) => {
      const g = f.at('aws_db_parameter_group');
      g.values['parameter'].find((p: any) => p.name === 'require_secure_transport').value = '0';
      return f.at('aws_db_instance');
    },
    message: /sets require_secure_transport to "0"/,
  },
  {
    rule: 'HAF-TLS-008',
    tenant: 'aurora',
    label: 'Aurora PostgreSQL on the default parameter group',
    breaks: (f) => {
      const c = f.at('aws_rds_cluster');
      delete c.values['db_cluster_parameter_group_name'];
      return c;
    },
    message: /the default group accepts plaintext/,
  },
  // exposure
  {
    rule: 'HAF-NET-001',
    tenant: 'rds',
    label: 'public database',
    breaks: (f) => {
      const db = f.at('aws_db_instance');
      db.values['publicly_accessible'] = true;
      return db;
    },
    message: /publicly_accessible is true/,
  },
  {
    rule: 'HAF-NET-002',
    tenant: 'rds',
    label: 'bucket with public policies allowed',
    breaks: (f) => {
      f.at('aws_s3_bucket_public_access_block', 'content/public-access-block').values['restrict_public_buckets'] = false;
      return f.at('aws_s3_bucket', 'content/bucket');
    },
    message: /restrict_public_buckets is false/,
  },
  {
    rule: 'HAF-NET-003',
    tenant: 'aurora',
    label: 'bucket policy reading to everyone',
    breaks: (f) => {
      const p = f.at('aws_s3_bucket_policy', 'content/policy');
      f.policy(p, (d) =>
        d.Statement.push({ Sid: 'Anyone', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::x/*' }),
      );
      return p;
    },
    message: /statement "Anyone" allows everyone/,
  },
  {
    rule: 'HAF-NET-004',
    tenant: 'rds',
    label: 'database port open to the internet',
    breaks: (f) => {
      const sg = f.ref(f.at('aws_db_instance').values['vpc_security_group_ids'][0]);
      return f.add('aws_vpc_security_group_ingress_rule', 'db-world', {
        security_group_id: `\${${sg.address}.id}`,
        cidr_ipv4: '0.0.0.0/0',
        ip_protocol: 'tcp',
        from_port: 3306,
        to_port: 3306,
      });
    },
    message: /opens tcp 3306-3306 to 0\.0\.0\.0\/0 on a group that is not a load balancer's/,
  },
  {
    rule: 'HAF-NET-004',
    tenant: 'aurora',
    label: 'load balancer open on another port',
    breaks: (f) => {
      const sg = f.ref(f.at('aws_lb').values['security_groups'][0]);
      return f.add('aws_vpc_security_group_ingress_rule', 'alb-8080', {
        security_group_id: `\${${sg.address}.id}`,
        cidr_ipv6: '::/0',
        ip_protocol: 'tcp',
        from_port: 8080,
        to_port: 8080,
      });
    },
    message: /opens tcp 8080-8080 to ::\/0$/,
  },
  {
    rule: 'HAF-NET-005',
    tenant: 'rds',
    label: 'SSH from the load balancer group',
    breaks: (f) => {
      const sg = f.ref(f.at('aws_launch_template').values['vpc_security_group_ids'][0]);
      const alb = f.ref(f.at('aws_lb').values['security_groups'][0]);
      return f.add('aws_vpc_security_group_ingress_rule', 'ssh', {
        security_group_id: `\${${sg.address}.id}`,
        referenced_security_group_id: `\${${alb.address}.id}`,
        ip_protocol: 'tcp',
        from_port: 22,
        to_port: 22,
      });
    },
    message: /allows SSH \(port 22\)/,
  },
  {
    rule: 'HAF-NET-006',
    tenant: 'aurora',
    label: 'default security group left to AWS',
    breaks: (f) => {
      f.remove('aws_default_security_group');
      return f.at('aws_vpc');
    },
    message: /the default security group is not managed/,
  },
  {
    rule: 'HAF-NET-007',
    tenant: 'rds',
    label: 'worker in the public subnets',
    breaks: (f) => {
      const w = f.workerGroup();
      w.values['vpc_zone_identifier'] = f.publicSubnets();
      return w;
    },
    message: /runs in aws_subnet\..*, which routes to an internet gateway/,
  },
  {
    rule: 'HAF-NET-008',
    tenant: 'aurora',
    label: 'database in the public subnets',
    breaks: (f) => {
      const g = f.at('aws_db_subnet_group');
      g.values['subnet_ids'] = f.publicSubnets();
      return g;
    },
    message: /uses aws_subnet\..*, which routes to an internet gateway/,
  },
  {
    rule: 'HAF-NET-009',
    tenant: 'rds',
    label: 'content bucket with ACLs',
    breaks: (f) => {
      f.at('aws_s3_bucket_ownership_controls', 'content/ownership').values['rule'].object_ownership = 'BucketOwnerPreferred';
      return f.at('aws_s3_bucket', 'content/bucket');
    },
    message: /object ownership is "BucketOwnerPreferred", so ACLs can grant access/,
  },
  {
    rule: 'HAF-NET-010',
    tenant: 'aurora',
    label: 'CloudFront reading the bucket without origin access control',
    breaks: (f) => {
      const d = f.at('aws_cloudfront_distribution');
      delete d.values['origin'].find((o: any) => o.origin_access_control_id).origin_access_control_id;
      return d;
    },
    message: /has no origin access control/,
  },
  // compute
  {
    rule: 'HAF-EC2-001',
    tenant: 'rds',
    label: 'IMDSv1 allowed',
    breaks: (f) => {
      const t = f.at('aws_launch_template');
      t.values['metadata_options'].http_tokens = 'optional';
      return t;
    },
    message: /http_tokens is "optional"/,
  },
  {
    rule: 'HAF-EC2-002',
    tenant: 'aurora',
    label: 'an SSH key pair',
    breaks: (f) => {
      const t = f.at('aws_launch_template');
      t.values['key_name'] = 'ops-keypair';
      return t;
    },
    message: /key_name is "ops-keypair"/,
  },
  {
    rule: 'HAF-IAM-001',
    tenant: 'rds',
    label: 'instance policy granting s3:*',
    breaks: (f) => {
      const p = f.at('aws_iam_role_policy', (x) => String(x.values['policy']).includes('s3:GetObject'));
      p.values['policy'] = String(p.values['policy']).replace('"s3:GetObject"', '"s3:*"');
      return p;
    },
    message: /grants "s3:\*"/,
  },
  {
    rule: 'HAF-IAM-002',
    tenant: 'aurora',
    label: 'administrator access attached',
    breaks: (f) => {
      const a = f.at('aws_iam_role_policy_attachment');
      a.values['policy_arn'] = 'arn:aws:iam::aws:policy/AdministratorAccess';
      return a;
    },
    message: /attaches arn:aws:iam::aws:policy\/AdministratorAccess/,
  },
  // availability
  {
    rule: 'HAF-HA-001',
    tenant: 'rds',
    label: 'load balancer in one zone',
    breaks: (f) => {
      const lb = f.at('aws_lb');
      lb.values['subnets'] = lb.values['subnets'].slice(0, 1);
      return lb;
    },
    message: /spans [a-z0-9-]+$/,
  },
  {
    rule: 'HAF-HA-002',
    tenant: 'aurora',
    label: 'worker group in one zone',
    breaks: (f) => {
      const w = f.workerGroup();
      w.values['vpc_zone_identifier'] = w.values['vpc_zone_identifier'].slice(0, 1);
      return w;
    },
    message: /spans [a-z0-9-]+$/,
  },
  {
    rule: 'HAF-HA-003',
    tenant: 'rds',
    label: 'single-AZ database',
    breaks: (f) => {
      const db = f.at('aws_db_instance');
      db.values['multi_az'] = false;
      return db;
    },
    message: /multi_az is false/,
  },
  {
    rule: 'HAF-HA-003',
    tenant: 'aurora',
    label: 'Aurora without a reader',
    breaks: (f) => {
      f.remove('aws_rds_cluster_instance', (i) => i.values['promotion_tier'] !== undefined && !i.path.endsWith('writer'));
      return f.at('aws_rds_cluster');
    },
    message: /has 1 instance\(s\): nothing to fail over to/,
  },
  {
    rule: 'HAF-HA-004',
    tenant: 'rds',
    label: 'cache without failover',
    breaks: (f) => {
      const g = f.at('aws_elasticache_replication_group');
      g.values['automatic_failover_enabled'] = false;
      return g;
    },
    message: /automatic_failover_enabled is false/,
  },
  {
    rule: 'HAF-HA-005',
    tenant: 'aurora',
    label: 'production web tier on one instance',
    breaks: (f) => {
      const g = f.webGroup();
      g.values['min_size'] = 1;
      return g;
    },
    message: /min_size is 1; the spec needs \d+ \(production/,
  },
  {
    rule: 'HAF-HA-006',
    tenant: 'aurora',
    label: 'a zone without its NAT gateway',
    breaks: (f) => {
      f.remove('aws_nat_gateway', (n) => n.path.endsWith(f.context.spec.availabilityZones[2]!));
      return f.at('aws_vpc');
    },
    message: /no NAT gateway in [a-z0-9-]+ \(spec natGateways "per-az"\)/,
  },
  {
    rule: 'HAF-HA-006',
    tenant: 'rds',
    label: 'one shared NAT gateway the spec does not accept',
    breaks: (f) => {
      f.context.spec.network.natGateways = 'per-az';
      return f.at('aws_vpc');
    },
    message: /no NAT gateway in [a-z0-9-]+ \(spec natGateways "per-az"\)/,
  },
  {
    rule: 'HAF-HA-007',
    tenant: 'aurora',
    label: 'a zone without a mount target',
    breaks: (f) => {
      f.remove('aws_efs_mount_target');
      return f.at('aws_efs_file_system');
    },
    message: /no mount target in [a-z0-9-]+/,
  },
  {
    rule: 'HAF-HA-008',
    tenant: 'rds',
    label: 'web group blind to the load balancer health check',
    breaks: (f) => {
      const g = f.webGroup();
      g.values['health_check_type'] = 'EC2';
      return g;
    },
    message: /health_check_type is "EC2"/,
  },
  {
    rule: 'HAF-HA-009',
    tenant: 'aurora',
    label: 'instance refresh without rollback',
    breaks: (f) => {
      const g = f.webGroup();
      g.values['instance_refresh'].preferences.auto_rollback = false;
      return g;
    },
    message: /auto_rollback is off/,
  },
  // protection
  {
    rule: 'HAF-PROT-001',
    tenant: 'rds',
    label: 'database without deletion protection',
    breaks: (f) => {
      const db = f.at('aws_db_instance');
      db.values['deletion_protection'] = false;
      return db;
    },
    message: /deletion_protection is false/,
  },
  {
    rule: 'HAF-PROT-002',
    tenant: 'aurora',
    label: 'cluster deleted without a final snapshot',
    breaks: (f) => {
      const c = f.at('aws_rds_cluster');
      c.values['skip_final_snapshot'] = true;
      return c;
    },
    message: /skip_final_snapshot is true/,
  },
  {
    rule: 'HAF-PROT-003',
    tenant: 'rds',
    label: 'one day of backups',
    breaks: (f) => {
      const db = f.at('aws_db_instance');
      db.values['backup_retention_period'] = 1;
      return db;
    },
    message: /backup_retention_period is 1/,
  },
  {
    rule: 'HAF-PROT-004',
    tenant: 'aurora',
    label: 'file system left out of AWS Backup',
    breaks: (f) => {
      const s = f.at('aws_backup_selection');
      s.values['resources'] = s.values['resources'].filter((r: string) => !r.includes('aws_efs_file_system'));
      return f.at('aws_efs_file_system');
    },
    message: /no AWS Backup selection covers it/,
  },
  {
    rule: 'HAF-PROT-004',
    tenant: 'rds',
    label: 'backups kept three days',
    breaks: (f) => {
      const p = f.at('aws_backup_plan');
      for (const r of p.values['rule']) r.lifecycle = { delete_after: 3 };
      return f.at('aws_db_instance');
    },
    message: /backups are deleted after 3 days/,
  },
  {
    rule: 'HAF-PROT-004',
    tenant: 'rds',
    label: 'content bucket left out of AWS Backup',
    breaks: (f) => {
      const s = f.at('aws_backup_selection');
      s.values['resources'] = s.values['resources'].filter((r: string) => !r.includes('aws_s3_bucket'));
      return f.at('aws_s3_bucket', 'content/bucket');
    },
    message: /no AWS Backup selection covers it/,
  },
  {
    rule: 'HAF-PROT-004',
    tenant: 'aurora',
    label: 'a bucket claiming declared contents it does not have',
    breaks: (f) => {
      f.remove('aws_s3_object');
      return f.at('aws_s3_bucket', 'maintenance/bucket');
    },
    message: /tagged hafleet:contents=declared-in-stack, but no aws_s3_object of this stack fills it/,
  },
  {
    rule: 'HAF-PROT-005',
    tenant: 'rds',
    label: 'versioning suspended',
    breaks: (f) => {
      f.at('aws_s3_bucket_versioning', 'content/versioning').values['versioning_configuration'].status = 'Suspended';
      return f.at('aws_s3_bucket', 'content/bucket');
    },
    message: /versioning is \["Suspended"\]/,
  },
  {
    rule: 'HAF-PROT-006',
    tenant: 'aurora',
    label: 'bucket terraform may empty',
    breaks: (f) => {
      const b = f.at('aws_s3_bucket', 'content/bucket');
      b.values['force_destroy'] = true;
      return b;
    },
    message: /force_destroy is true/,
  },
  {
    rule: 'HAF-PROT-007',
    tenant: 'rds',
    label: 'key that never rotates',
    breaks: (f) => {
      const k = f.at('aws_kms_key');
      k.values['enable_key_rotation'] = false;
      return k;
    },
    message: /enable_key_rotation is false/,
  },
  {
    rule: 'HAF-PROT-008',
    tenant: 'aurora',
    label: 'load balancer without deletion protection',
    breaks: (f) => {
      const lb = f.at('aws_lb');
      lb.values['enable_deletion_protection'] = false;
      return lb;
    },
    message: /enable_deletion_protection is false/,
  },
  // recovery
  {
    rule: 'HAF-DR-001',
    tenant: 'aurora',
    label: 'file system backed up twice',
    breaks: (f) => {
      f.at('aws_efs_backup_policy').values['backup_policy'].status = 'ENABLED';
      return f.at('aws_efs_file_system');
    },
    message: /EFS automatic backups are on as well as AWS Backup/,
  },
  {
    rule: 'HAF-DR-002',
    tenant: 'aurora',
    label: 'DR region named but nothing copied',
    breaks: (f) => {
      const p = f.at('aws_backup_plan');
      for (const r of p.values['rule']) delete r.copy_action;
      return p;
    },
    message: /rule "daily" copies nowhere/,
  },
  {
    rule: 'HAF-DR-002',
    tenant: 'aurora',
    label: 'copies to the primary region vault',
    breaks: (f) => {
      const p = f.at('aws_backup_plan');
      const primary = f.at('aws_backup_vault', 'backup/vault');
      for (const r of p.values['rule']) r.copy_action[0].destination_vault_arn = `\${${primary.address}.arn}`;
      return p;
    },
    message: /copies to no vault of this stack in eu-[a-z]+-1 encrypted with a key there/,
  },
  {
    rule: 'HAF-DR-002',
    tenant: 'aurora',
    label: 'copies kept a week',
    breaks: (f) => {
      const p = f.at('aws_backup_plan');
      for (const r of p.values['rule']) r.copy_action[0].lifecycle.delete_after = 7;
      return p;
    },
    message: /keeps its copies 7 days; the spec asks 30/,
  },
  // observability
  {
    rule: 'HAF-LOG-001',
    tenant: 'rds',
    label: 'VPC without flow logs',
    breaks: (f) => {
      f.remove('aws_flow_log');
      return f.at('aws_vpc');
    },
    message: /no flow log/,
  },
  {
    rule: 'HAF-LOG-002',
    tenant: 'aurora',
    label: 'access logs off',
    breaks: (f) => {
      const lb = f.at('aws_lb');
      lb.values['access_logs'].enabled = false;
      return lb;
    },
    message: /access_logs is /,
  },
  {
    rule: 'HAF-LOG-003',
    tenant: 'aurora',
    label: 'CloudFront logs delivered nowhere',
    breaks: (f) => {
      f.remove('aws_cloudwatch_log_delivery');
      return f.at('aws_cloudfront_distribution');
    },
    message: /its access logs are delivered to no bucket of this stack/,
  },
  {
    rule: 'HAF-LOG-004',
    tenant: 'rds',
    label: 'regional web ACL without logging',
    breaks: (f) => {
      f.remove('aws_wafv2_web_acl_logging_configuration');
      return f.at('aws_wafv2_web_acl', (a) => a.values['scope'] === 'REGIONAL');
    },
    message: /no aws_wafv2_web_acl_logging_configuration/,
  },
  {
    rule: 'HAF-LOG-004',
    tenant: 'aurora',
    label: 'CloudFront web ACL without its WAF log',
    breaks: (f) => {
      f.remove('aws_wafv2_web_acl_logging_configuration', 'cdn/web-acl-logging');
      return f.at('aws_wafv2_web_acl', (a) => a.values['scope'] === 'CLOUDFRONT');
    },
    message: /no aws_wafv2_web_acl_logging_configuration/,
  },
  {
    rule: 'HAF-LOG-005',
    tenant: 'rds',
    label: 'content bucket without access logs',
    breaks: (f) => {
      f.remove('aws_s3_bucket_logging');
      return f.at('aws_s3_bucket', 'content/bucket');
    },
    message: /no aws_s3_bucket_logging/,
  },
  {
    rule: 'HAF-LOG-006',
    tenant: 'aurora',
    label: 'alarm that tells nobody',
    breaks: (f) => {
      const a = f.at('aws_cloudwatch_metric_alarm');
      a.values['alarm_actions'] = [];
      return a;
    },
    message: /alarm_actions is \[\]: no topic of this stack/,
  },
  {
    rule: 'HAF-LOG-007',
    tenant: 'rds',
    label: 'an alert address never subscribed',
    breaks: (f) => {
      f.context.spec.alerts.emails.push('oncall@example.test');
      return f.at('aws_sns_topic');
    },
    message: /oncall@example\.test not subscribed/,
  },
  {
    rule: 'HAF-LOG-008',
    tenant: 'rds',
    label: 'database exporting no logs',
    breaks: (f) => {
      const db = f.at('aws_db_instance');
      db.values['enabled_cloudwatch_logs_exports'] = [];
      return db;
    },
    message: /exports no logs/,
  },
  {
    rule: 'HAF-LOG-009',
    tenant: 'rds',
    label: 'RDS events without failover',
    breaks: (f) => {
      f.at('aws_db_event_subscription').values['event_categories'] = ['backup', 'maintenance'];
      return f.at('aws_db_instance');
    },
    message: /event categories miss failover, failure, low storage/,
  },
  {
    rule: 'HAF-LOG-009',
    tenant: 'aurora',
    label: 'Aurora cluster events never subscribed',
    breaks: (f) => {
      f.remove('aws_db_event_subscription', (e) => e.values['source_type'] === 'db-cluster');
      return f.at('aws_rds_cluster');
    },
    message: /no db-cluster event subscription names it/,
  },
  {
    rule: 'HAF-LOG-010',
    tenant: 'aurora',
    label: 'worker launch errors told to nobody',
    breaks: (f) => {
      f.remove('aws_autoscaling_notification', 'observability/worker-scaling-errors');
      return f.workerGroup();
    },
    message: /no aws_autoscaling_notification names it/,
  },
  {
    rule: 'HAF-LOG-011',
    tenant: 'rds',
    label: 'a key RDS events cannot use',
    breaks: (f) => {
      f.policy(f.at('aws_kms_key', 'key/key'), (d) => (d.Statement = d.Statement.filter((s) => s['Sid'] !== 'RdsEventsToEncryptedTopics')));
      return f.at('aws_sns_topic', 'observability/topic');
    },
    message: /RDS events publish to it, but the key policy does not let them use the key/,
  },
  {
    rule: 'HAF-LOG-011',
    tenant: 'aurora',
    label: 'a key the Auto Scaling role cannot use',
    breaks: (f) => {
      f.policy(
        f.at('aws_kms_key', 'key/key'),
        (d) => (d.Statement = d.Statement.filter((s) => !JSON.stringify(s).includes('AWSServiceRoleForAutoScaling'))),
      );
      return f.at('aws_sns_topic', 'observability/topic');
    },
    message: /Auto Scaling notifications publish to it/,
  },
  {
    rule: 'HAF-LOG-012',
    tenant: 'aurora',
    label: 'an at-maximum alarm below the maximum',
    breaks: (f) => {
      f.at('aws_cloudwatch_metric_alarm', 'observability/alarm-web-at-maximum').values['threshold'] = 1;
      return f.webGroup();
    },
    message: /no alarm fires at GroupDesiredCapacity >= \d+ \(max_size\)/,
  },
  {
    rule: 'HAF-LOG-013',
    tenant: 'rds',
    label: 'a heartbeat whose silence never pages',
    breaks: (f) => {
      f.at('aws_cloudwatch_metric_alarm', 'observability/alarm-worker-heartbeat').values['treat_missing_data'] = 'notBreaching';
      return f.rolePolicy('worker/instances/policy-platform-access');
    },
    message: /does not treat missing data as breaching/,
  },
  {
    rule: 'HAF-LOG-014',
    tenant: 'aurora',
    label: 'a NAT gateway whose drops nobody sees',
    breaks: (f) => {
      const a = f.at('aws_cloudwatch_metric_alarm', 'observability/alarm-nat-2-packets-dropped');
      const nat = f.ref(a.values['metric_query'].find((q: any) => q.metric).metric.dimensions.NatGatewayId);
      f.remove('aws_cloudwatch_metric_alarm', 'observability/alarm-nat-2-packets-dropped');
      return nat;
    },
    message: /no alarm on PacketsDropCount notifies the alert topic/,
  },
  {
    rule: 'HAF-LOG-015',
    tenant: 'rds',
    label: 'load balancer certificate expiring unseen',
    breaks: (f) => {
      f.remove('aws_cloudwatch_metric_alarm', 'observability/alarm-certificate-alb-expiry');
      return f.at('aws_lb_listener', (x) => x.values['protocol'] === 'HTTPS');
    },
    message: /no alarm on DaysToExpiry of arn:aws:acm:.* notifies an alert topic/,
  },
  {
    rule: 'HAF-LOG-015',
    tenant: 'aurora',
    label: 'CDN certificate watched in the wrong region',
    breaks: (f) => {
      delete f.at('aws_cloudwatch_metric_alarm', 'observability/alarm-certificate-cdn-expiry').values['provider'];
      return f.at('aws_cloudfront_distribution');
    },
    message: /the expiry alarm is not in us-east-1/,
  },
  {
    rule: 'HAF-LOG-016',
    tenant: 'aurora',
    label: 'CloudFront web ACL blocking unseen',
    breaks: (f) => {
      f.remove('aws_cloudwatch_metric_alarm', 'observability/alarm-waf-cdn-blocked-surge');
      return f.at('aws_wafv2_web_acl', (a) => a.values['scope'] === 'CLOUDFRONT');
    },
    message: /no alarm on BlockedRequests notifies the alert topic/,
  },
  {
    rule: 'HAF-LOG-017',
    tenant: 'rds',
    label: 'a health check on the shallow page',
    breaks: (f) => {
      f.at('aws_route53_health_check').values['resource_path'] = '/';
      return f.at('aws_lb');
    },
    message: /no HTTPS health check on fixture-rds\.example\.test\/.* \(the profile's deep path\)/,
  },
  {
    rule: 'HAF-LOG-017',
    tenant: 'aurora',
    label: 'a health check alarm where Route 53 publishes nothing',
    breaks: (f) => {
      delete f.at('aws_cloudwatch_metric_alarm', 'observability/alarm-deep-health-check').values['provider'];
      return f.at('aws_lb');
    },
    message: /no alarm in us-east-1 on its HealthCheckStatus/,
  },
  {
    rule: 'HAF-LOG-019',
    tenant: 'aurora',
    label: 'a DDoS on the load balancer nobody is told about',
    breaks: (f) => {
      f.remove('aws_cloudwatch_metric_alarm', 'observability/alarm-ddos-alb-detected');
      return f.at('aws_shield_protection', (p) => !/cdn/.test(p.path));
    },
    message: /no alarm on DDoSDetected of \$\{aws_lb\..*\.arn\} notifies an alert topic/,
  },
  {
    rule: 'HAF-LOG-019',
    tenant: 'aurora',
    label: "CloudFront's DDoS alarm where Shield publishes nothing",
    breaks: (f) => {
      delete f.at('aws_cloudwatch_metric_alarm', 'observability/alarm-ddos-cdn-detected').values['provider'];
      return f.at('aws_shield_protection', (p) => /cdn/.test(p.path));
    },
    message: /the DDoS alarm is not in "us-east-1", where Shield publishes the metric/,
  },
  {
    rule: 'HAF-LOG-018',
    tenant: 'rds',
    label: 'flow logs expiring early',
    breaks: (f) => {
      const l = f.at('aws_s3_bucket_lifecycle_configuration', 'logs/lifecycle');
      l.values['rule'].find((r: any) => r.id === 'expire-flow-logs').expiration = [{ days: 30 }];
      return f.at('aws_flow_log');
    },
    message: /objects under vpc-flow-logs\/ expire after 30 days, the spec says 365/,
  },
  {
    rule: 'HAF-LOG-018',
    tenant: 'aurora',
    label: 'flow logs not where the spec says',
    breaks: (f) => {
      f.context.spec.observability.flowLogs.destination = 's3';
      return f.at('aws_flow_log');
    },
    message: /log_destination_type is "cloud-watch-logs", the spec says s3/,
  },
  {
    rule: 'HAF-LOG-018',
    tenant: 'aurora',
    label: 'flow-log group keeping a year instead of 400 days',
    breaks: (f) => {
      f.at('aws_cloudwatch_log_group', (l) => /flow/.test(l.path)).values['retention_in_days'] = 365;
      return f.at('aws_flow_log');
    },
    message: /the log group keeps them 365 days, the spec says 400/,
  },
  // cost
  {
    rule: 'HAF-COST-001',
    tenant: 'rds',
    label: 'S3 traffic paying for NAT',
    breaks: (f) => {
      f.remove('aws_vpc_endpoint', 'network/s3-gateway-endpoint');
      return f.at('aws_route_table', (t) => t.path.includes('app-route-table'));
    },
    message: /no S3 gateway endpoint on this route table/,
  },
  // waf
  {
    rule: 'HAF-WAF-001',
    tenant: 'rds',
    label: 'load balancer without its web ACL',
    breaks: (f) => {
      f.remove('aws_wafv2_web_acl_association');
      return f.at('aws_lb');
    },
    message: /no regional web ACL is associated/,
  },
  {
    rule: 'HAF-WAF-002',
    tenant: 'aurora',
    label: 'CloudFront without a web ACL',
    breaks: (f) => {
      const d = f.at('aws_cloudfront_distribution');
      delete d.values['web_acl_id'];
      return d;
    },
    message: /web_acl_id is not a CloudFront web ACL of this stack/,
  },
  {
    rule: 'HAF-WAF-003',
    tenant: 'rds',
    label: 'common rule set only counting',
    breaks: (f) => {
      const acl = f.at('aws_wafv2_web_acl');
      acl.values['rule'].find(
        (r: any) => r.statement?.managed_rule_group_statement?.name === 'AWSManagedRulesCommonRuleSet',
      ).override_action = { count: {} };
      return acl;
    },
    message: /AWSManagedRulesCommonRuleSet only counts/,
  },
  {
    rule: 'HAF-WAF-004',
    tenant: 'aurora',
    label: 'Shield Advanced asked for but missing',
    breaks: (f) => {
      f.remove('aws_shield_protection', 'waf/shield-protection');
      return f.at('aws_lb');
    },
    message: /spec edge.shieldAdvanced is true but no aws_shield_protection covers it/,
  },
  {
    rule: 'HAF-WAF-004',
    tenant: 'aurora',
    label: 'Shield Advanced on the load balancer only',
    breaks: (f) => {
      f.remove('aws_shield_protection', 'cdn/shield-protection');
      return f.at('aws_cloudfront_distribution');
    },
    message: /no aws_shield_protection covers it/,
  },
  {
    rule: 'HAF-WAF-005',
    tenant: 'aurora',
    label: 'body rules counting on every path',
    breaks: (f) => {
      const acl = f.regionalAcl();
      delete f.managed(acl, 'AWSManagedRulesCommonRuleSet-count-mode-paths').scope_down_statement;
      return acl;
    },
    message: /AWSManagedRulesCommonRuleSet-count-mode-paths counts body rules on every path/,
  },
  {
    rule: 'HAF-WAF-005',
    tenant: 'rds',
    label: 'a spec count-mode path the web ACL ignores',
    breaks: (f) => {
      f.context.spec.edge.countModePaths.push('/mod/wiki/');
      return f.regionalAcl();
    },
    message: /counts body rules on .*, not the count-mode paths .*\/mod\/wiki\//,
  },
  {
    rule: 'HAF-WAF-006',
    tenant: 'rds',
    label: 'a spec large-body path the web ACL ignores',
    breaks: (f) => {
      f.context.spec.edge.largeBodyPaths.push('/local/upload/');
      return f.regionalAcl();
    },
    message: /large bodies are allowed on .*, not the large-body paths .*\/local\/upload\//,
  },
  {
    rule: 'HAF-WAF-006',
    tenant: 'aurora',
    label: 'the CDN blocking every large body',
    breaks: (f) => {
      const acl = f.at('aws_wafv2_web_acl', (a) => a.values['scope'] === 'CLOUDFRONT');
      delete f.managed(acl, 'AWSManagedRulesCommonRuleSet').rule_action_override;
      return acl;
    },
    message: /AWSManagedRulesCommonRuleSet blocks every body over 8 KB/,
  },
  {
    rule: 'HAF-WAF-007',
    tenant: 'aurora',
    label: 'a rate limit on X-Forwarded-For behind CloudFront',
    breaks: (f) => {
      const acl = f.regionalAcl();
      f.rateRule(acl).forwarded_ip_config.header_name = 'X-Forwarded-For';
      return acl;
    },
    message: /counts the client-supplied x-forwarded-for header/,
  },
  {
    rule: 'HAF-WAF-007',
    tenant: 'rds',
    label: 'the fixed 2000 on a tenant sized for more',
    breaks: (f) => {
      const acl = f.regionalAcl();
      f.rateRule(acl).limit = 2000;
      return acl;
    },
    message: /allows 2000 requests per 5 minutes; the tenant's limit is \d+/,
  },
  // edge
  {
    rule: 'HAF-EDGE-001',
    tenant: 'aurora',
    label: 'load balancer behind CloudFront still open to the internet',
    breaks: (f) => {
      const sg = f.ref(f.at('aws_lb').values['security_groups'][0]);
      f.add('aws_vpc_security_group_ingress_rule', 'alb-world', {
        security_group_id: `\${${sg.address}.id}`,
        cidr_ipv4: '0.0.0.0/0',
        ip_protocol: 'tcp',
        from_port: 443,
        to_port: 443,
      });
      return f.at('aws_lb');
    },
    message: /aws_vpc_security_group_ingress_rule\.alb-world admits 0\.0\.0\.0\/0/,
  },
  {
    rule: 'HAF-EDGE-001',
    tenant: 'aurora',
    label: "another region's prefix list",
    breaks: (f) => {
      f.at('aws_vpc_security_group_ingress_rule', 'web/alb-ingress-443-cloudfront').values['prefix_list_id'] = 'pl-3b927c52';
      return f.at('aws_lb');
    },
    message: /admits \["pl-3b927c52"\], not pl-[0-9a-f]+ \(eu-west-2\)/,
  },
  {
    rule: 'HAF-EDGE-002',
    tenant: 'aurora',
    label: 'a Sydney tenant on North American and European edges',
    breaks: (f) => {
      f.context.spec.region = 'ap-southeast-2';
      return f.at('aws_cloudfront_distribution');
    },
    message: /price_class is PriceClass_100: learners near ap-southeast-2 need PriceClass_All/,
  },
  {
    rule: 'HAF-EDGE-003',
    tenant: 'aurora',
    label: 'the application served without HSTS',
    breaks: (f) => {
      const d = f.at('aws_cloudfront_distribution');
      delete d.values['default_cache_behavior'].response_headers_policy_id;
      return d;
    },
    message: /behavior "default" has no response headers policy of this stack/,
  },
  {
    rule: 'HAF-EDGE-004',
    tenant: 'aurora',
    label: 'a bare 503',
    breaks: (f) => {
      const d = f.at('aws_cloudfront_distribution');
      d.values['custom_error_response'] = d.values['custom_error_response'].filter((r: any) => r.error_code !== 503);
      return d;
    },
    message: /^503 has no custom error page$/,
  },
  {
    rule: 'HAF-EDGE-004',
    tenant: 'aurora',
    label: 'a maintenance page nobody uploads',
    breaks: (f) => {
      f.remove('aws_s3_object');
      return f.at('aws_cloudfront_distribution');
    },
    message: /502 shows \/maintenance\/index\.html, but no aws_s3_object of this stack puts it in aws_s3_bucket\.maintenance/,
  },
  {
    rule: 'HAF-EDGE-005',
    tenant: 'aurora',
    label: 'signed content anyone can read',
    breaks: (f) => {
      const d = f.at('aws_cloudfront_distribution');
      delete d.values['ordered_cache_behavior'][0].trusted_key_groups;
      return d;
    },
    message: /\/content\/private\/\* trusts no key group of this stack: anyone can read it/,
  },
  {
    rule: 'HAF-EDGE-005',
    tenant: 'aurora',
    label: 'signed content shadowed by the public content path',
    breaks: (f) => {
      const d = f.at('aws_cloudfront_distribution');
      d.values['ordered_cache_behavior'].reverse();
      return d;
    },
    message: /\/content\/private\/\* is shadowed by the earlier behaviour "\/content\/\*"/,
  },
  // isolation
  {
    rule: 'HAF-ISO-001',
    tenant: 'rds',
    label: 'provider labelled with another tenant',
    breaks: (f) => {
      (f.json.provider as any).aws[0].default_tags[0].tags.tenant = 'someone-else';
      return 'provider.aws';
    },
    message: /default_tags has tenant="someone-else", not "fixture-rds"/,
  },
  {
    rule: 'HAF-ISO-001',
    tenant: 'aurora',
    label: 'worker group without the tenant tag',
    breaks: (f) => {
      const g = f.workerGroup();
      g.values['tag'] = g.values['tag'].filter((t: any) => t.key !== 'tenant');
      return g;
    },
    message: /the group lacks tenant=fixture-aurora/,
  },
  {
    rule: 'HAF-ISO-001',
    tenant: 'rds',
    label: 'volumes launched without the tenant tags',
    breaks: (f) => {
      const t = f.at('aws_launch_template');
      t.values['tag_specifications'] = t.values['tag_specifications'].filter((s: any) => s.resource_type !== 'volume');
      return t;
    },
    message: /launched volumes lacks tenant=fixture-rds/,
  },
  {
    rule: 'HAF-ISO-001',
    tenant: 'aurora',
    label: 'a resource relabelled',
    breaks: (f) => {
      const b = f.at('aws_s3_bucket', 'content/bucket');
      b.values['tags'] = { ...b.values['tags'], 'managed-by': 'console' };
      return b;
    },
    message: /tags has managed-by="console", not "hafleet"/,
  },
  {
    rule: 'HAF-ISO-002',
    tenant: 'rds',
    label: 'flow logs written through a role made elsewhere',
    breaks: (f) => {
      const l = f.at('aws_flow_log');
      l.values['iam_role_arn'] = 'arn:aws:iam::111122223333:role/shared-flow-logs';
      return l;
    },
    message: /iam_role_arn is "arn:aws:iam::111122223333:role\/shared-flow-logs", not a role of this stack/,
  },
  {
    rule: 'HAF-ISO-002',
    tenant: 'aurora',
    label: 'key alias on a key made elsewhere',
    breaks: (f) => {
      const a = f.at('aws_kms_alias');
      a.values['target_key_id'] = FOREIGN_KEY;
      return a;
    },
    message: /target_key_id is .*, not a key of this stack/,
  },
  {
    rule: 'HAF-ISO-003',
    tenant: 'rds',
    label: "another account's certificate",
    breaks: (f) => {
      const l = f.at('aws_lb_listener', (x) => x.values['protocol'] === 'HTTPS');
      l.values['certificate_arn'] = String(l.values['certificate_arn']).replace(/:\d{12}:/, `:${OTHER_ACCOUNT}:`);
      return l;
    },
    message: new RegExp(`refers to account ${OTHER_ACCOUNT}; the tenant's is \\d{12}`),
  },
  {
    rule: 'HAF-ISO-004',
    tenant: 'rds',
    label: "access logs into another tenant's bucket",
    breaks: (f) => {
      const l = f.at('aws_s3_bucket_logging');
      l.values['target_bucket'] = 'fixture-aurora-logs-111122223333';
      return l;
    },
    message: /names tenant fixture-aurora/,
  },
  {
    rule: 'HAF-ISO-005',
    tenant: 'rds',
    label: "another tenant's state file",
    breaks: (f) => {
      f.json.terraform!.backend = { local: { path: '../../../.hafleet/tenants/fixture-aurora/terraform.tfstate' } };
      return 'terraform.backend.local';
    },
    message: /local state .* is not in the tenant's own folder/,
  },
  {
    rule: 'HAF-ISO-005',
    tenant: 'aurora',
    label: "another tenant's deployer role",
    breaks: (f) => {
      (f.json.provider as any).aws[0].assume_role = [{ role_arn: 'arn:aws:iam::111122223333:role/fixture-rds-deployer' }];
      return 'provider.aws';
    },
    message: /assumes "arn:aws:iam::111122223333:role\/fixture-rds-deployer"; the tenant's deployer role is not set in the spec/,
  },
  {
    rule: 'HAF-ISO-005',
    tenant: 'rds',
    label: "reading another stack's state",
    breaks: (f) => {
      f.json.data = {
        terraform_remote_state: { neighbour: { backend: 'local', config: { path: '../fixture-aurora/terraform.tfstate' } } },
      };
      return 'data.terraform_remote_state.neighbour';
    },
    message: /reads the state of another stack/,
  },
  {
    rule: 'HAF-ISO-006',
    tenant: 'aurora',
    label: 'role another account can assume',
    breaks: (f) => {
      const r = f.at('aws_iam_role');
      f.policy(r, (d) => (d.Statement[0]!['Principal'] = { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }), 'assume_role_policy');
      return r;
    },
    message: new RegExp(`trusts arn:aws:iam::${OTHER_ACCOUNT}:root`),
  },
  {
    rule: 'HAF-HA-010',
    tenant: 'aurora',
    label: 'a web group deaf to request surges',
    breaks: (f) => {
      f.remove('aws_autoscaling_policy', 'web/request-target-tracking');
      return f.webGroup();
    },
    message: /no target-tracking policy on ALBRequestCountPerTarget/,
  },
  {
    rule: 'HAF-EC2-003',
    tenant: 'aurora',
    label: 'a dedicated account nobody scans',
    breaks: (f) => {
      f.remove('aws_inspector2_enabler');
      return f.at('aws_launch_template', 'web/instances/launch-template');
    },
    message: /no aws_inspector2_enabler scans EC2 in account 555566667777/,
  },
  {
    rule: 'HAF-ISO-007',
    tenant: 'rds',
    label: 'Inspector switched on from a shared account',
    breaks: (f) => f.add('aws_inspector2_enabler', 'rogue', { account_ids: ['111122223333'], resource_types: ['EC2'] }),
    message: /enables Inspector for account 111122223333, which other tenants may share/,
  },
  // runtime
  {
    rule: 'HAF-RUN-001',
    tenant: 'rds',
    label: 'a health check that needs the database',
    breaks: (f) => {
      const g = f.at('aws_lb_target_group');
      g.values['health_check'].path = '/login/index.php';
      return g;
    },
    message: /needs the database: a 60 s failover would replace every instance/,
  },
  {
    rule: 'HAF-RUN-002',
    tenant: 'aurora',
    label: 'a release that terminates before it launches',
    breaks: (f) => {
      const g = f.webGroup();
      g.values['instance_refresh'].preferences.max_healthy_percentage = 100;
      return g;
    },
    message: /max_healthy_percentage is 100: the refresh terminates before it launches/,
  },
  {
    rule: 'HAF-RUN-003',
    tenant: 'rds',
    label: 'web instances reading the master secret',
    breaks: (f) => {
      const p = f.rolePolicy('web/instances/policy-platform-access');
      const master = String(f.rolePolicy('db-provisioner/instances/policy-provision-database').values['policy']).match(
        /aws_db_instance\.[^\]]+master_user_secret\[0\]\.secret_arn/,
      )![0];
      p.values['policy'] = String(p.values['policy']).replace(
        '"Resource" = [aws_secretsmanager_secret.',
        `"Resource" = [${master}, aws_secretsmanager_secret.`,
      );
      return p;
    },
    message: /grants access to the master user secret/,
  },
  {
    rule: 'HAF-RUN-004',
    tenant: 'aurora',
    label: 'an instance policy on every bucket',
    breaks: (f) => {
      const p = f.rolePolicy('worker/instances/policy-platform-access');
      p.values['policy'] = String(p.values['policy']).replace(
        /"Action" = \["s3:ListBucket"\], "Resource" = \[[^\]]+\]/,
        '"Action" = ["s3:ListBucket"], "Resource" = ["*"]',
      );
      return p;
    },
    message: /allows \["s3:ListBucket"\] on "\*"/,
  },
  {
    rule: 'HAF-RUN-005',
    tenant: 'rds',
    label: "reading another tenant's parameters",
    breaks: (f) => {
      const p = f.rolePolicy('web/instances/policy-platform-access');
      p.values['policy'] = String(p.values['policy']).replace(/parameter\/hafleet\/fixture-rds\/\*/, 'parameter/hafleet/*');
      return p;
    },
    message: /reads ".*parameter\/hafleet\/\*", outside \/hafleet\/fixture-rds\//,
  },
  {
    rule: 'HAF-RUN-006',
    tenant: 'aurora',
    label: 'cluster maintenance left to AWS',
    breaks: (f) => {
      const c = f.at('aws_rds_cluster');
      delete c.values['preferred_maintenance_window'];
      return c;
    },
    message: /preferred_maintenance_window is unset, not [a-z]{3}:\d\d:\d\d/,
  },
  {
    rule: 'HAF-RUN-006',
    tenant: 'rds',
    label: 'cache snapshots at lunchtime',
    breaks: (f) => {
      const g = f.at('aws_elasticache_replication_group');
      g.values['snapshot_window'] = '12:00-13:00';
      return g;
    },
    message: /snapshot_window is "12:00-13:00"/,
  },
  {
    rule: 'HAF-RUN-008',
    tenant: 'aurora',
    label: 'a worker template with no user data',
    breaks: (f) => {
      const t = f.at('aws_launch_template', 'worker/instances/launch-template');
      delete t.values['user_data'];
      return t;
    },
    message: /has no user_data/,
  },
  {
    rule: 'HAF-RUN-008',
    tenant: 'rds',
    label: "user data reading another tenant's path",
    breaks: (f) => {
      const t = f.at('aws_launch_template', 'web/instances/launch-template');
      t.values['user_data'] = Buffer.from(
        Buffer.from(t.values['user_data'], 'base64').toString('utf8').replaceAll('/hafleet/fixture-rds/', '/hafleet/someone-else/'),
      ).toString('base64');
      return t;
    },
    message: /never reads \/hafleet\/fixture-rds\//,
  },
  {
    rule: 'HAF-RUN-007',
    tenant: 'rds',
    label: 'the database endpoint never published',
    breaks: (f) => {
      f.remove('aws_ssm_parameter', (p) => p.values['name'] === '/hafleet/fixture-rds/db/writer-endpoint');
      return 'provider.aws';
    },
    message: /\/hafleet\/fixture-rds\/db\/writer-endpoint is not published/,
  },
  {
    rule: 'HAF-RUN-007',
    tenant: 'aurora',
    label: 'a secret reference in plain text',
    breaks: (f) => {
      const p = f.at('aws_ssm_parameter', (x) => x.values['name'] === '/hafleet/fixture-aurora/db/app-secret-arn');
      p.values['type'] = 'String';
      return 'provider.aws';
    },
    message: /db\/app-secret-arn is "String", not SecureString/,
  },
];

const outcomesOf = (rule: PolicyRule, json: StackJson, context: PolicyContext) =>
  evaluatePolicy(new SynthesizedStack(json), context, [rule]).outcomes;

describe.each(RULES.map((rule) => [rule.id, rule] as const))('%s', (id, rule) => {
  it('passes on the fixture tenants (and applies to at least one resource)', () => {
    const outcomes = Object.values(FIXTURES).flatMap((tenant) =>
      outcomesOf(rule, JSON.parse(stackText.get(tenant)!), contexts.get(tenant)!),
    );
    expect(outcomes.filter((o) => o.result !== 'pass')).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(0);
  });

  const cases = CASES.filter((c) => c.rule === id);
  it('has a failing fixture', () => expect(cases.length).toBeGreaterThan(0));

  it.each(cases.map((c) => [c.label, c] as const))('fails on %s', (_label, c) => {
    const broken = new Broken(FIXTURES[c.tenant]);
    const target = c.breaks(broken);
    const resource = typeof target === 'string' ? target : target.path || target.address;
    const failures = outcomesOf(rule, broken.json, broken.context).filter((o) => o.result === 'fail');
    expect(failures.map((o) => o.path || o.resource)).toContain(resource);
    expect(failures.find((o) => (o.path || o.resource) === resource)).toMatchObject({
      severity: rule.severity,
      fix: rule.fix,
      message: expect.stringMatching(c.message),
    });
  });
});
