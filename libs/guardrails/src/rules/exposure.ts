import { fail, notApplicable, pass, verdictOf, type PolicyRule } from '../rule.js';
import type { StackResource, SynthesizedStack } from '../synthesized-stack.js';
import {
  INGRESS_TYPES,
  block,
  blocks,
  bucketConfigs,
  ingressRules,
  isEveryone,
  isTrue,
  isWorld,
  opensPort,
  policyStatements,
  routesToInternet,
  shown,
} from './support.js';

/** Exposure: nothing but the load balancer (and CloudFront) is reachable from the internet. */

const PUBLIC_ACCESS_FLAGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
const ADMIN_PORTS: ReadonlyArray<[number, string]> = [
  [22, 'SSH'],
  [3389, 'RDP'],
];

/** Security groups attached to a load balancer: the only ones the internet may reach. */
const albGroupsCache = new WeakMap<SynthesizedStack, Set<string>>();
function loadBalancerGroups(stack: SynthesizedStack): Set<string> {
  let groups = albGroupsCache.get(stack);
  if (!groups) {
    groups = new Set(stack.ofType('aws_lb').flatMap((lb) => stack.referenced(lb.values['security_groups']).map((g) => g.address)));
    albGroupsCache.set(stack, groups);
  }
  return groups;
}

/** Subnets a value refers to that route to an internet gateway. */
function publicSubnets(stack: SynthesizedStack, value: unknown): StackResource[] {
  return stack.referencedThrough(value, 'aws_subnet').filter((subnet) => routesToInternet(stack, subnet));
}

export const EXPOSURE_RULES: readonly PolicyRule[] = [
  {
    id: 'HAF-NET-001',
    severity: 'error',
    area: 'exposure',
    description: 'No database instance is publicly accessible',
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster_instance'],
    fix: 'set publicly_accessible = false; the application reaches the database inside the VPC',
    check(db) {
      return verdictOf([isTrue(db.values['publicly_accessible']) && 'publicly_accessible is true']);
    },
  },
  {
    id: 'HAF-NET-002',
    severity: 'error',
    area: 'exposure',
    description: 'Every bucket blocks all public access',
    resourceTypes: ['aws_s3_bucket'],
    fix: 'add an aws_s3_bucket_public_access_block with all four flags true (createPrivateBucket does)',
    check(bucket, stack) {
      const [settings] = bucketConfigs(stack, bucket, 'aws_s3_bucket_public_access_block');
      if (!settings) return fail('no public access block');
      return verdictOf(
        PUBLIC_ACCESS_FLAGS.filter((flag) => !isTrue(settings.values[flag])).map((flag) => `${flag} is ${shown(settings.values[flag])}`),
      );
    },
  },
  {
    id: 'HAF-NET-003',
    severity: 'error',
    area: 'exposure',
    description: 'Bucket policies grant nothing to everyone',
    resourceTypes: ['aws_s3_bucket_policy'],
    fix: 'grant to a service principal with an aws:SourceArn/aws:SourceAccount condition (e.g. CloudFront through origin access control), never to "*"',
    check(policy) {
      const statements = policyStatements(policy.values['policy']);
      if (!statements) return fail('the policy is a terraform expression the guardrails cannot read; write it as JSON');
      return verdictOf(
        statements
          .filter((s) => s.Effect === 'Allow' && isEveryone(s.Principal))
          .map((s) => `statement ${shown(s.Sid ?? '?')} allows everyone`),
      );
    },
  },
  {
    id: 'HAF-NET-004',
    severity: 'error',
    area: 'exposure',
    description: 'Only the load balancer accepts traffic from the internet, and only on 80 and 443',
    resourceTypes: INGRESS_TYPES,
    fix: 'open 0.0.0.0/0 and ::/0 only on the load balancer security group, TCP 80 and 443; let other tiers in by security group reference',
    check(resource, stack) {
      const rules = ingressRules(resource);
      if (rules.length === 0) return notApplicable;
      const albGroups = loadBalancerGroups(stack);
      return verdictOf(
        rules
          .filter((rule) => rule.cidrs.some(isWorld))
          .map((rule) => {
            const onAlb = stack.referenced(rule.securityGroup).some((g) => albGroups.has(g.address));
            const webPort = rule.protocol === 'tcp' && rule.fromPort === rule.toPort && (rule.fromPort === 80 || rule.fromPort === 443);
            if (onAlb && webPort) return undefined;
            const ports = rule.protocol === '-1' ? 'all traffic' : `${rule.protocol} ${rule.fromPort ?? '*'}-${rule.toPort ?? '*'}`;
            return `opens ${ports} to ${rule.cidrs.filter(isWorld).join(' and ')}${onAlb ? '' : " on a group that is not a load balancer's"}`;
          }),
      );
    },
  },
  {
    id: 'HAF-NET-005',
    severity: 'error',
    area: 'exposure',
    description: 'No security group allows SSH or RDP, from anywhere',
    resourceTypes: INGRESS_TYPES,
    fix: 'remove the rule; operators reach instances through SSM Session Manager',
    check(resource) {
      const rules = ingressRules(resource);
      if (rules.length === 0) return notApplicable;
      return verdictOf(
        rules.flatMap((rule) =>
          ADMIN_PORTS.filter(([port]) => opensPort(rule, port)).map(([port, name]) => `allows ${name} (port ${port})`),
        ),
      );
    },
  },
  {
    id: 'HAF-NET-006',
    severity: 'error',
    area: 'exposure',
    description: "Each VPC's default security group is adopted and closed",
    resourceTypes: ['aws_vpc'],
    fix: 'add an aws_default_security_group for the VPC with no ingress and no egress (Network does)',
    check(vpc, stack) {
      const [group] = stack.referrers(vpc.address, 'aws_default_security_group');
      if (!group) return fail("the default security group is not managed, so it keeps AWS's allow-within-group rules");
      return verdictOf([
        blocks(group.values['ingress']).length > 0 && `${group.address} has ingress rules`,
        blocks(group.values['egress']).length > 0 && `${group.address} has egress rules`,
      ]);
    },
  },
  {
    id: 'HAF-NET-007',
    severity: 'error',
    area: 'exposure',
    description: 'Instances run in private subnets and never get a public address',
    resourceTypes: ['aws_launch_template', 'aws_autoscaling_group'],
    fix: 'place instance groups in the private app subnets and never set associate_public_ip_address',
    check(resource, stack) {
      if (resource.type === 'aws_launch_template') {
        const interfaces = blocks(resource.values['network_interfaces']);
        return verdictOf([interfaces.some((i) => isTrue(i['associate_public_ip_address'])) && 'a network interface gets a public address']);
      }
      const exposed = publicSubnets(stack, resource.values['vpc_zone_identifier']);
      return verdictOf(exposed.map((s) => `runs in ${s.address}, which routes to an internet gateway`));
    },
  },
  {
    id: 'HAF-NET-008',
    severity: 'error',
    area: 'exposure',
    description: 'Databases, caches and file systems live in subnets with no route to the internet',
    resourceTypes: ['aws_db_subnet_group', 'aws_elasticache_subnet_group', 'aws_efs_mount_target'],
    fix: 'use the private data subnets (database, cache) or app subnets (file system mount targets), whose route tables have no internet gateway',
    check(resource, stack) {
      const exposed = publicSubnets(stack, resource.values['subnet_ids'] ?? resource.values['subnet_id']);
      return verdictOf(exposed.map((s) => `uses ${s.address}, which routes to an internet gateway`));
    },
  },
  {
    id: 'HAF-NET-009',
    severity: 'error',
    area: 'exposure',
    description: 'Buckets disable ACLs (CloudFront standard logs v2 need none)',
    resourceTypes: ['aws_s3_bucket'],
    fix: 'add aws_s3_bucket_ownership_controls with object_ownership "BucketOwnerEnforced"',
    check(bucket, stack) {
      const [ownership] = bucketConfigs(stack, bucket, 'aws_s3_bucket_ownership_controls');
      const setting = block(ownership?.values['rule'])?.['object_ownership'];
      if (setting === 'BucketOwnerEnforced') return pass;
      return fail(`object ownership is ${shown(setting)}, so ACLs can grant access`);
    },
  },
  {
    id: 'HAF-NET-010',
    severity: 'error',
    area: 'exposure',
    description: 'CloudFront reads buckets through origin access control, never a public endpoint',
    resourceTypes: ['aws_cloudfront_distribution'],
    fix: 'give the bucket origin an origin_access_control_id (and a bucket policy allowing that distribution only)',
    check(distribution, stack) {
      const bucketOrigins = blocks(distribution.values['origin']).filter(
        (o) => stack.referencedThrough(o['domain_name'], 'aws_s3_bucket').length > 0 || /\.s3[.-]/.test(String(o['domain_name'] ?? '')),
      );
      if (bucketOrigins.length === 0) return notApplicable;
      return verdictOf(
        bucketOrigins
          .filter((o) => !o['origin_access_control_id'])
          .map((o) => `origin ${shown(o['origin_id'])} has no origin access control`),
      );
    },
  },
];
