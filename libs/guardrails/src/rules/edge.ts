import { CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS, cloudFrontPriceClass, priceClassServes } from '@hafleet/tenant-spec';
import { fail, notApplicable, pass, verdictOf, type PolicyRule } from '../rule.js';
import type { StackResource, SynthesizedStack } from '../synthesized-stack.js';
import { INGRESS_TYPES, block, blocks, ingressRules, num, shown, strings } from './support.js';

/** Edge: what CloudFront promises the tenant's learners, and that nothing goes around it. */

const MAINTENANCE_CODES = [502, 503, 504];
const HSTS_MIN_SECONDS = 31_536_000;

/** Every cache behaviour of a distribution, the default first. */
const behaviours = (distribution: StackResource): Array<{ name: string; values: Readonly<Record<string, unknown>> }> => [
  ...blocks(distribution.values['default_cache_behavior']).map((values) => ({ name: 'default', values })),
  ...blocks(distribution.values['ordered_cache_behavior']).map((values) => ({ name: String(values['path_pattern']), values })),
];

/** Load balancers some distribution of the stack uses as an origin. */
function cloudFrontOrigins(stack: SynthesizedStack): Set<string> {
  return new Set(
    stack
      .ofType('aws_cloudfront_distribution')
      .flatMap((d) => blocks(d.values['origin']).flatMap((o) => stack.referenced(o['domain_name'])))
      .filter((r) => r.type === 'aws_lb')
      .map((r) => r.address),
  );
}

/** Whether a CloudFront path pattern (`*` any characters, `?` one) matches `path`. */
const patternMatches = (pattern: string, path: string): boolean =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(path);

export const EDGE_RULES: readonly PolicyRule[] = [
  {
    id: 'HAF-EDGE-001',
    severity: 'error',
    area: 'edge',
    description: "Behind CloudFront, the load balancer admits only CloudFront's origin-facing prefix list, on 443 only",
    resourceTypes: ['aws_lb'],
    fix:
      'WebTier originPrefixListId: one ingress rule, ' +
      "TCP 443 from the region's com.amazonaws.global.cloudfront.origin-facing prefix list " +
      '(CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS), and no port 80',
    check(lb, stack, { spec }) {
      if (!cloudFrontOrigins(stack).has(lb.address)) return notApplicable;
      const expected = CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS[spec.region];
      const groups = new Set(stack.referenced(lb.values['security_groups']).map((g) => g.address));
      const rules = INGRESS_TYPES.flatMap((type) => stack.ofType(type))
        .flatMap(ingressRules)
        .filter((rule) => stack.referenced(rule.securityGroup).some((g) => groups.has(g.address)));
      const prefixLists = (rule: (typeof rules)[number]) => [
        ...strings(rule.resource.values['prefix_list_id']),
        ...strings(rule.resource.values['prefix_list_ids']),
      ];
      return verdictOf([
        ...rules.filter((r) => r.cidrs.length > 0).map((r) => `${r.resource.address} admits ${r.cidrs.join(', ')}`),
        ...rules
          .filter((r) => prefixLists(r).some((id) => id !== expected))
          .map((r) => `${r.resource.address} admits ${shown(prefixLists(r))}, not ${expected ?? 'a known prefix list'} (${spec.region})`),
        ...rules
          .filter((r) => r.fromPort !== 443 || r.toPort !== 443)
          .map((r) => `${r.resource.address} opens ${r.protocol} ${r.fromPort ?? '*'}-${r.toPort ?? '*'}`),
        !rules.some((r) => prefixLists(r).includes(expected ?? '')) &&
          `no rule admits CloudFront's origin-facing prefix list ${expected ?? `(unknown for ${spec.region})`}`,
      ]);
    },
  },
  {
    id: 'HAF-EDGE-002',
    severity: 'error',
    area: 'edge',
    description: "CloudFront's price class includes the edge locations near the tenant's learners",
    resourceTypes: ['aws_cloudfront_distribution'],
    fix: "set price_class to at least the region's class (REGION_PRICE_CLASSES; leave spec cdn.priceClass unset to get it)",
    check(distribution, _stack, { spec }) {
      const priceClass = String(distribution.values['price_class'] ?? 'PriceClass_All');
      return priceClassServes(priceClass, spec.region)
        ? pass
        : fail(`price_class is ${priceClass}: learners near ${spec.region} need ${cloudFrontPriceClass(spec.region)}`);
    },
  },
  {
    id: 'HAF-EDGE-003',
    severity: 'error',
    area: 'edge',
    description: 'Every CloudFront response carries HSTS (at least a year), nosniff and a frame policy',
    resourceTypes: ['aws_cloudfront_distribution'],
    fix:
      'give every cache behaviour a response_headers_policy_id of an ' +
      'aws_cloudfront_response_headers_policy with strict_transport_security, ' +
      'content_type_options and frame_options (ContentDelivery does)',
    check(distribution, stack) {
      return verdictOf(
        behaviours(distribution).map(({ name, values }) => {
          const [policy] = stack
            .referenced(values['response_headers_policy_id'])
            .filter((r) => r.type === 'aws_cloudfront_response_headers_policy');
          if (!policy) return `behavior "${name}" has no response headers policy of this stack`;
          const security = block(policy.values['security_headers_config']);
          const hsts = block(security?.['strict_transport_security']);
          const maxAge = num(hsts?.['access_control_max_age_sec']) ?? 0;
          const missing = [
            maxAge < HSTS_MIN_SECONDS && `HSTS max-age ${maxAge}`,
            !block(security?.['content_type_options']) && 'no nosniff',
            !block(security?.['frame_options']) && 'no frame options',
          ].filter(Boolean);
          return missing.length > 0 ? `behavior "${name}": ${missing.join(', ')}` : undefined;
        }),
      );
    },
  },
  {
    id: 'HAF-EDGE-004',
    severity: 'error',
    area: 'edge',
    description: 'CloudFront shows a maintenance page from S3 (origin access control) instead of a bare 502, 503 or 504',
    resourceTypes: ['aws_cloudfront_distribution'],
    fix:
      'add custom_error_response for 502, 503 and 504 with a response_page_path served by a behaviour ' +
      'on an S3 origin with origin access control, and declare the page as an aws_s3_object (MaintenancePage)',
    check(distribution, stack) {
      const responses = blocks(distribution.values['custom_error_response']);
      const origins = blocks(distribution.values['origin']);
      return verdictOf(
        MAINTENANCE_CODES.map((code) => {
          const response = responses.find((r) => num(r['error_code']) === code);
          const page = typeof response?.['response_page_path'] === 'string' ? response['response_page_path'] : undefined;
          if (!page) return `${code} has no custom error page`;
          const behaviour = behaviours(distribution).find((b) => b.name !== 'default' && patternMatches(b.name, page));
          const origin = origins.find((o) => o['origin_id'] === behaviour?.values['target_origin_id']);
          const [bucket] = stack.referencedThrough(origin?.['domain_name'], 'aws_s3_bucket');
          if (!bucket || !origin?.['origin_access_control_id'])
            return `${code} shows ${page}, which no behaviour serves from a bucket through origin access control`;
          const declared = stack
            .ofType('aws_s3_object')
            .some(
              (o) =>
                o.values['key'] === page.slice(1) &&
                stack.referencedThrough(o.values['bucket'], 'aws_s3_bucket').some((b) => b.address === bucket.address),
            );
          return declared ? undefined : `${code} shows ${page}, but no aws_s3_object of this stack puts it in ${bucket.address}`;
        }),
      );
    },
  },
  {
    id: 'HAF-EDGE-005',
    severity: 'error',
    area: 'edge',
    description: "The spec's signed-content paths are served only with a signed URL or cookie",
    resourceTypes: ['aws_cloudfront_distribution'],
    fix:
      'give each spec cdn.signedContent path pattern its own cache behaviour, ahead of broader ones, ' +
      'with trusted_key_groups = [an aws_cloudfront_key_group of this stack]',
    check(distribution, stack, { spec }) {
      const patterns = spec.cdn?.signedContent?.pathPatterns ?? [];
      if (patterns.length === 0) return notApplicable;
      const ordered = behaviours(distribution).filter((b) => b.name !== 'default');
      return verdictOf(
        patterns.map((pattern) => {
          // CloudFront takes the first behaviour whose pattern matches: the signed one must come first.
          const index = ordered.findIndex((b) => b.name === pattern);
          const first = ordered.findIndex((b) => patternMatches(b.name, pattern.replace(/\*/g, 'x')));
          if (index < 0) return `no cache behaviour for ${pattern}`;
          if (first >= 0 && first < index) return `${pattern} is shadowed by the earlier behaviour "${ordered[first]!.name}"`;
          const groups = stack
            .referenced(ordered[index]!.values['trusted_key_groups'])
            .filter((r) => r.type === 'aws_cloudfront_key_group');
          return groups.length === 0 ? `${pattern} trusts no key group of this stack: anyone can read it` : undefined;
        }),
      );
    },
  },
];
