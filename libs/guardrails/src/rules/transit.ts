import { notApplicable, verdictOf, type PolicyRule } from '../rule.js';
import type { StackResource, SynthesizedStack } from '../synthesized-stack.js';
import { block, blocks, bucketConfigs, deniesInsecureTransport, isTrue, policyStatements, shown, strings } from './support.js';

/** Encryption in transit: TLS on every hop a learner's data takes, and nothing that accepts plaintext. */

/** TLS 1.2+ ALB policies: the TLS13-1-2/1-3 families and the forward-secret FS-1-2-Res ones. */
const MODERN_ALB_POLICY = /^ELBSecurityPolicy-(?:TLS13-1-[23]-|FS-1-2-Res-)/;
const HTTPS_VIEWER_POLICIES = ['redirect-to-https', 'https-only'];

const redirectsToHttps = (action: Readonly<Record<string, unknown>>): boolean =>
  action['type'] === 'redirect' && String(block(action['redirect'])?.['protocol'] ?? '').toUpperCase() === 'HTTPS';

/** The TLS-forcing parameter of each engine family, and the values that switch it on. */
function tlsParameter(engine: string): { name: string; values: string[] } | undefined {
  if (/mysql|mariadb/.test(engine)) return { name: 'require_secure_transport', values: ['1', 'on', 'true'] };
  if (/postgres|sqlserver/.test(engine)) return { name: 'rds.force_ssl', values: ['1'] };
  return undefined;
}

function parameterGroupForcesTls(stack: SynthesizedStack, db: StackResource, attribute: string, groupType: string): string | undefined {
  const engine = String(db.values['engine'] ?? '');
  const wanted = tlsParameter(engine);
  if (!wanted) return `engine ${shown(engine)} has no TLS-forcing parameter this rule knows`;
  const [group] = stack.referencedThrough(db.values[attribute], groupType);
  if (!group)
    return `${attribute} is ${shown(db.values[attribute])}: not a parameter group of this stack, and the default group accepts plaintext`;
  const parameter = blocks(group.values['parameter']).find((p) => p['name'] === wanted.name);
  const value = String(parameter?.['value'] ?? '').toLowerCase();
  return wanted.values.includes(value) ? undefined : `${group.address} sets ${wanted.name} to ${shown(parameter?.['value'])}`;
}

export const TRANSIT_RULES: readonly PolicyRule[] = [
  {
    id: 'HAF-TLS-001',
    severity: 'error',
    area: 'transit',
    description: 'HTTPS listeners use a TLS 1.2+ security policy',
    resourceTypes: ['aws_lb_listener'],
    fix: 'set ssl_policy to ELBSecurityPolicy-TLS13-1-2-2021-06 (ALB_TLS_POLICY in ha-modules)',
    check(listener) {
      if (listener.values['protocol'] !== 'HTTPS') return notApplicable;
      const policy = listener.values['ssl_policy'];
      return verdictOf([
        !(typeof policy === 'string' && MODERN_ALB_POLICY.test(policy)) &&
          `ssl_policy is ${policy === undefined ? 'unset (AWS default ELBSecurityPolicy-2016-08, which allows TLS 1.0)' : shown(policy)}`,
      ]);
    },
  },
  {
    id: 'HAF-TLS-002',
    severity: 'error',
    area: 'transit',
    description: 'Plain-HTTP listeners only redirect to HTTPS',
    resourceTypes: ['aws_lb_listener'],
    fix: 'make the HTTP listener\'s default action a redirect { protocol = "HTTPS", port = "443", status_code = "HTTP_301" } and give it no forwarding rules',
    check(listener, stack) {
      if (listener.values['protocol'] !== 'HTTP') return notApplicable;
      const actions = blocks(listener.values['default_action']);
      const rules = stack.referrers(listener.address, 'aws_lb_listener_rule');
      return verdictOf([
        !(actions.length > 0 && actions.every(redirectsToHttps)) &&
          `the default action is ${actions.map((a) => shown(a['type'])).join(', ') || 'missing'}, not a redirect to HTTPS`,
        ...rules
          .filter((rule) => !blocks(rule.values['action']).every(redirectsToHttps))
          .map((rule) => `${rule.address} serves plain HTTP`),
      ]);
    },
  },
  {
    id: 'HAF-TLS-003',
    severity: 'error',
    area: 'transit',
    description: 'CloudFront serves viewers over HTTPS only, with TLS 1.2+',
    resourceTypes: ['aws_cloudfront_distribution'],
    fix:
      'set viewer_protocol_policy = "redirect-to-https" on every cache behavior and an ACM viewer ' +
      'certificate with minimum_protocol_version = "TLSv1.2_2021"',
    check(distribution) {
      const v = distribution.values;
      const behaviors = [...blocks(v['default_cache_behavior']), ...blocks(v['ordered_cache_behavior'])];
      const certificate = block(v['viewer_certificate']) ?? {};
      const minimum = certificate['minimum_protocol_version'];
      return verdictOf([
        ...behaviors
          .filter((b) => !HTTPS_VIEWER_POLICIES.includes(String(b['viewer_protocol_policy'])))
          .map((b) => `behavior ${shown(b['path_pattern'] ?? 'default')} has viewer_protocol_policy ${shown(b['viewer_protocol_policy'])}`),
        isTrue(certificate['cloudfront_default_certificate']) && 'uses the default *.cloudfront.net certificate, which allows TLS 1.0',
        !(typeof minimum === 'string' && /^TLSv1\.[23]/.test(minimum)) && `minimum_protocol_version is ${shown(minimum)}`,
      ]);
    },
  },
  {
    id: 'HAF-TLS-004',
    severity: 'error',
    area: 'transit',
    description: 'CloudFront reaches custom origins over HTTPS only, with TLS 1.2',
    resourceTypes: ['aws_cloudfront_distribution'],
    fix: 'set custom_origin_config { origin_protocol_policy = "https-only", origin_ssl_protocols = ["TLSv1.2"] }',
    check(distribution) {
      const custom = blocks(distribution.values['origin']).filter((o) => block(o['custom_origin_config']));
      if (custom.length === 0) return notApplicable;
      return verdictOf(
        custom.flatMap((origin) => {
          const config = block(origin['custom_origin_config'])!;
          const id = shown(origin['origin_id']);
          const protocols = strings(config['origin_ssl_protocols']);
          return [
            config['origin_protocol_policy'] !== 'https-only' &&
              `origin ${id} has origin_protocol_policy ${shown(config['origin_protocol_policy'])}`,
            (protocols.length === 0 || protocols.some((p) => p !== 'TLSv1.2')) && `origin ${id} allows ${shown(protocols)}`,
          ];
        }),
      );
    },
  },
  {
    id: 'HAF-TLS-005',
    severity: 'error',
    area: 'transit',
    description: 'Caches require TLS from every client',
    resourceTypes: ['aws_elasticache_replication_group'],
    fix: 'set transit_encryption_enabled = true and transit_encryption_mode = "required"',
    check(group) {
      const v = group.values;
      return verdictOf([
        !isTrue(v['transit_encryption_enabled']) && `transit_encryption_enabled is ${shown(v['transit_encryption_enabled'])}`,
        v['transit_encryption_mode'] === 'preferred' && 'transit_encryption_mode is "preferred", which still accepts plaintext',
      ]);
    },
  },
  {
    id: 'HAF-TLS-006',
    severity: 'error',
    area: 'transit',
    description: 'Bucket policies refuse every request not made over TLS',
    resourceTypes: ['aws_s3_bucket'],
    fix:
      'add the DenyInsecureTransport statement ' +
      '(Deny s3:* to "*" on the bucket and its objects when aws:SecureTransport is false) ' +
      'to its aws_s3_bucket_policy',
    check(bucket, stack) {
      const statements = bucketConfigs(stack, bucket, 'aws_s3_bucket_policy').flatMap((p) => policyStatements(p.values['policy']) ?? []);
      const denies = statements.filter(deniesInsecureTransport);
      const resources = denies.flatMap((s) => strings(s.Resource));
      const actions = denies.flatMap((s) => strings(s.Action));
      return verdictOf([
        denies.length === 0 && 'no bucket policy statement denies aws:SecureTransport = false',
        denies.length > 0 && !(actions.includes('s3:*') || actions.includes('*')) && `the TLS denial covers only ${shown(actions)}`,
        denies.length > 0 &&
          !(resources.some((r) => r.endsWith('/*')) && resources.some((r) => !r.endsWith('/*'))) &&
          'the TLS denial does not cover both the bucket and its objects',
      ]);
    },
  },
  {
    id: 'HAF-TLS-007',
    severity: 'error',
    area: 'transit',
    description: 'File system policies refuse mounts not made over TLS',
    resourceTypes: ['aws_efs_file_system'],
    fix: 'add an aws_efs_file_system_policy with a Deny "*" statement for aws:SecureTransport = false (SharedFileSystem does)',
    check(fs, stack) {
      const statements = stack
        .referrers(fs.address, 'aws_efs_file_system_policy')
        .flatMap((p) => policyStatements(p.values['policy']) ?? []);
      return verdictOf([!statements.some(deniesInsecureTransport) && 'no file system policy denies aws:SecureTransport = false']);
    },
  },
  {
    id: 'HAF-TLS-008',
    severity: 'error',
    area: 'transit',
    description: 'Database parameter groups force TLS connections',
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
    fix:
      'use a parameter group of this stack with require_secure_transport = 1 (MySQL) or rds.force_ssl = 1 ' +
      '(PostgreSQL); for Aurora, the cluster parameter group',
    check(db, stack) {
      return db.type === 'aws_rds_cluster'
        ? verdictOf([parameterGroupForcesTls(stack, db, 'db_cluster_parameter_group_name', 'aws_rds_cluster_parameter_group')])
        : verdictOf([parameterGroupForcesTls(stack, db, 'parameter_group_name', 'aws_db_parameter_group')]);
    },
  },
];
