import { exemptPaths, wafExemptions } from '@hafleet/tenant-spec';
import { fail, notApplicable, pass, verdictOf, type PolicyRule } from '../rule.js';
import type { StackResource, SynthesizedStack } from '../synthesized-stack.js';
import { block, blocks, isTrue, num, shown, type Json } from './support.js';

/** Web application firewall: every way in from the internet goes through a web ACL. */

/** AWS managed rule groups every web ACL runs, blocking (not merely counting). */
const REQUIRED_MANAGED_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'];
/** Managed rules that read the body, per group: count only on the count-mode paths. */
const BODY_RULES: Readonly<Record<string, readonly string[]>> = {
  AWSManagedRulesCommonRuleSet: ['CrossSiteScripting_BODY', 'GenericLFI_BODY', 'GenericRFI_BODY', 'EC2MetaDataSSRF_BODY'],
  AWSManagedRulesSQLiRuleSet: ['SQLi_BODY', 'SQLiExtendedPatterns_BODY'],
};
const BODY_SIZE_RULE = 'SizeRestrictions_BODY';
const BODY_SIZE_LABEL = 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body';
/** Headers a client writes (or appends to): never a rate key. */
const SPOOFABLE_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'true-client-ip', 'cloudfront-viewer-address'];

interface ManagedRule {
  readonly rule: Json;
  readonly group: string;
  /** Rules of the group overridden to count. */
  readonly counted: string[];
  readonly scope: Json | undefined;
}

function managedRules(acl: StackResource): ManagedRule[] {
  return blocks(acl.values['rule']).flatMap((rule) => {
    const statement = block(block(rule['statement'])?.['managed_rule_group_statement']);
    if (!statement || statement['vendor_name'] !== 'AWS') return [];
    const counted = blocks(statement['rule_action_override'])
      .filter((o) => block(o['action_to_use'])?.['count'] !== undefined)
      .map((o) => String(o['name']));
    return [{ rule, group: String(statement['name']), counted, scope: block(statement['scope_down_statement']) }];
  });
}

/** The path prefixes a statement matches: `^(?:a|b)` regexes and STARTS_WITH byte matches (OR-ed), normalised first. */
function matchedPrefixes(statement: Json | undefined): string[] | undefined {
  if (!statement) return undefined;
  const normalised = (s: Json) => blocks(s['text_transformation']).some((t) => t['type'] === 'NORMALIZE_PATH');
  const regex = block(statement['regex_match_statement']);
  if (regex) {
    const match = /^\^\(\?:(.*)\)$/s.exec(String(regex['regex_string'] ?? ''));
    if (!match || !normalised(regex)) return undefined;
    return match[1]!.split(/(?<!\\)\|/).map((p) => p.replace(/\\(.)/g, '$1'));
  }
  const bytes = block(statement['byte_match_statement']);
  if (bytes) return bytes['positional_constraint'] === 'STARTS_WITH' && normalised(bytes) ? [String(bytes['search_string'])] : undefined;
  const or = block(statement['or_statement']);
  if (or) {
    const parts = blocks(or['statement']).map(matchedPrefixes);
    return parts.every((p) => p !== undefined) ? parts.flat() : undefined;
  }
  return undefined;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
const listed = (paths: readonly string[]) => (paths.length === 0 ? 'none' : paths.join(' '));

const aclsOf = (stack: SynthesizedStack, value: unknown, scope: string): StackResource[] =>
  stack.referenced(value).filter((r) => r.type === 'aws_wafv2_web_acl' && r.values['scope'] === scope);

export const WAF_RULES: readonly PolicyRule[] = [
  {
    id: 'HAF-WAF-001',
    severity: 'error',
    area: 'waf',
    description: 'The internet-facing load balancer is behind a regional web ACL',
    resourceTypes: ['aws_lb'],
    fix: 'associate a REGIONAL aws_wafv2_web_acl with the load balancer (RegionalWebAcl albArn)',
    check(lb, stack) {
      if (isTrue(lb.values['internal'])) return notApplicable;
      const associations = stack.referrers(lb.address, 'aws_wafv2_web_acl_association');
      return verdictOf([
        !associations.some((a) => aclsOf(stack, a.values['web_acl_arn'], 'REGIONAL').length > 0) && 'no regional web ACL is associated',
      ]);
    },
  },
  {
    id: 'HAF-WAF-002',
    severity: 'error',
    area: 'waf',
    description: 'CloudFront is behind a CloudFront-scope web ACL',
    resourceTypes: ['aws_cloudfront_distribution'],
    fix: 'set web_acl_id to the ARN of a CLOUDFRONT-scope aws_wafv2_web_acl (created in us-east-1; ContentDelivery does)',
    check(distribution, stack) {
      return verdictOf([
        aclsOf(stack, distribution.values['web_acl_id'], 'CLOUDFRONT').length === 0 &&
          'web_acl_id is not a CloudFront web ACL of this stack',
      ]);
    },
  },
  {
    id: 'HAF-WAF-003',
    severity: 'error',
    area: 'waf',
    description: 'Web ACLs block with the AWS common and known-bad-inputs rule groups and a per-IP rate limit',
    resourceTypes: ['aws_wafv2_web_acl'],
    fix:
      'add managed_rule_group_statement rules AWSManagedRulesCommonRuleSet and ' +
      'AWSManagedRulesKnownBadInputsRuleSet (override_action none) ' +
      'and a rate_based_statement rule with action block',
    check(acl) {
      const rules = blocks(acl.values['rule']);
      const managed = managedRules(acl);
      const rateLimited = rules.some(
        (rule) => block(block(rule['statement'])?.['rate_based_statement']) && block(rule['action'])?.['block'] !== undefined,
      );
      return verdictOf([
        ...REQUIRED_MANAGED_GROUPS.map((name) => {
          const instances = managed.filter((m) => m.group === name);
          if (instances.length === 0) return `no ${name}`;
          return instances.some((m) => block(m.rule['override_action'])?.['count'] !== undefined)
            ? `${name} only counts (override_action count)`
            : undefined;
        }),
        !rateLimited && 'no rate-based rule that blocks',
      ]);
    },
  },
  {
    id: 'HAF-WAF-004',
    severity: 'error',
    area: 'waf',
    description: 'When the spec asks for Shield Advanced, it protects the load balancer and the CloudFront distribution',
    resourceTypes: ['aws_lb', 'aws_cloudfront_distribution'],
    fix: 'create an aws_shield_protection for it (RegionalWebAcl and ContentDelivery shieldAdvanced, from spec edge.shieldAdvanced)',
    check(resource, stack, { spec }) {
      if (!spec.edge.shieldAdvanced) return notApplicable;
      return stack.referrers(resource.address, 'aws_shield_protection').length > 0
        ? pass
        : fail('spec edge.shieldAdvanced is true but no aws_shield_protection covers it');
    },
  },
  {
    id: 'HAF-WAF-005',
    severity: 'error',
    area: 'waf',
    description: "Body-inspecting managed rules only count on the profile's and the spec's count-mode paths, and block everywhere else",
    resourceTypes: ['aws_wafv2_web_acl'],
    fix:
      'run each body-inspecting managed group twice with complementary scope-down statements: ' +
      'as published outside the count-mode paths, its *_BODY rules overridden to count on them ' +
      '(managedGroupRules, from the profile waf.countModePaths and spec edge.countModePaths)',
    check(acl, _stack, { spec }) {
      const expected = exemptPaths(wafExemptions(spec).countModePaths);
      const managed = managedRules(acl);
      return verdictOf(
        Object.entries(BODY_RULES).flatMap(([group, bodyRules]) => {
          const instances = managed.filter((m) => m.group === group);
          if (instances.length === 0) return [];
          const counting = instances.filter((m) => bodyRules.some((r) => m.counted.includes(r)));
          const blocking = instances.filter((m) => !counting.includes(m));
          if (expected.length === 0)
            return counting.map((m) => `${m.rule['name']} counts ${m.counted.join(', ')} though no count-mode path is set`);
          const problems: string[] = [];
          for (const m of counting) {
            const paths = matchedPrefixes(m.scope);
            if (!paths) problems.push(`${m.rule['name']} counts body rules on every path`);
            else if (!sameSet(paths, expected))
              problems.push(`${m.rule['name']} counts body rules on ${listed(paths)}, not the count-mode paths ${listed(expected)}`);
            const missing = bodyRules.filter((r) => !m.counted.includes(r));
            if (missing.length > 0) problems.push(`${m.rule['name']} still blocks ${missing.join(', ')} on the count-mode paths`);
          }
          if (counting.length === 0) problems.push(`${group} blocks body rules on the count-mode paths ${listed(expected)} too`);
          for (const m of blocking) {
            const not = block(m.scope?.['not_statement']);
            const paths = matchedPrefixes(blocks(not?.['statement'])[0]);
            if (!paths || !sameSet(paths, expected))
              problems.push(
                `${m.rule['name']} does not leave out exactly the count-mode paths (its scope-down is ${shown(m.scope ?? 'none')})`,
              );
          }
          if (blocking.length === 0) problems.push(`no instance of ${group} blocks body attacks outside the count-mode paths`);
          return problems;
        }),
      );
    },
  },
  {
    id: 'HAF-WAF-006',
    severity: 'error',
    area: 'waf',
    description:
      "Bodies over 8 KB are blocked at the load balancer except on the profile's and the spec's large-body paths, and never at the CDN",
    resourceTypes: ['aws_wafv2_web_acl'],
    fix:
      'override SizeRestrictions_BODY to count in every instance of AWSManagedRulesCommonRuleSet and, ' +
      'in the regional web ACL, block its label outside the large-body paths ' +
      '(profile waf.largeBodyPaths + spec edge.largeBodyPaths)',
    check(acl, _stack, { spec }) {
      const common = managedRules(acl).filter((m) => m.group === 'AWSManagedRulesCommonRuleSet');
      const sizeBlocks = common
        .filter((m) => !m.counted.includes(BODY_SIZE_RULE))
        .map((m) => `${m.rule['name']} blocks every body over 8 KB (uploads, long answers) on the paths it covers`);
      if (acl.values['scope'] !== 'REGIONAL') return verdictOf(sizeBlocks);
      const expected = exemptPaths(wafExemptions(spec).largeBodyPaths);
      const labelled = blocks(acl.values['rule']).filter(
        (rule) => block(rule['action'])?.['block'] !== undefined && JSON.stringify(rule['statement'] ?? '').includes(BODY_SIZE_LABEL),
      );
      if (labelled.length === 0) return verdictOf([...sizeBlocks, 'no rule blocks large bodies (the body size label) at all']);
      const exempt = labelled.map((rule) => {
        const parts = blocks(block(block(rule['statement'])?.['and_statement'])?.['statement']);
        const not = parts.map((p) => block(p['not_statement'])).find(Boolean);
        return not ? (matchedPrefixes(blocks(not['statement'])[0]) ?? ['(unreadable)']) : [];
      });
      return verdictOf([
        ...sizeBlocks,
        ...exempt
          .filter((paths) => !sameSet(paths, expected))
          .map((paths) => `large bodies are allowed on ${listed(paths)}, not the large-body paths ${listed(expected)}`),
      ]);
    },
  },
  {
    id: 'HAF-WAF-007',
    severity: 'error',
    area: 'waf',
    description: "Per-IP rate limits are the tenant's sized limit and count an address no client can forge",
    resourceTypes: ['aws_wafv2_web_acl'],
    fix:
      'rate_based_statement { limit = spec edge.rateLimitPerFiveMinutes (sized from the expected load), ' +
      'aggregate_key_type = "IP" at CloudFront or without a CDN; behind CloudFront, ' +
      'FORWARDED_IP on the header its viewer-request function writes (VIEWER_IP_HEADER) }',
    check(acl, stack, { spec }) {
      const rates = blocks(acl.values['rule']).flatMap((rule) => {
        const rate = block(block(rule['statement'])?.['rate_based_statement']);
        return rate && block(rule['action'])?.['block'] !== undefined ? [{ name: String(rule['name']), rate }] : [];
      });
      if (rates.length === 0) return notApplicable;
      const behindCdn = acl.values['scope'] === 'REGIONAL' && stack.ofType('aws_cloudfront_distribution').length > 0;
      // Headers a CloudFront function of this stack overwrites on every viewer request.
      const written = stack
        .ofType('aws_cloudfront_function')
        .flatMap((f) => [...String(f.values['code'] ?? '').matchAll(/headers\[['"]([a-z0-9-]+)['"]\]\s*=/g)].map((m) => m[1]!));
      return verdictOf(
        rates.flatMap(({ name, rate }) => {
          const limit = num(rate['limit']);
          const kind = rate['aggregate_key_type'];
          const header = String(block(rate['forwarded_ip_config'])?.['header_name'] ?? '').toLowerCase();
          return [
            limit !== spec.edge.rateLimitPerFiveMinutes &&
              `${name} allows ${limit ?? 'unset'} requests per 5 minutes; the tenant's limit is ${spec.edge.rateLimitPerFiveMinutes}`,
            kind === 'FORWARDED_IP' && SPOOFABLE_HEADERS.includes(header) && `${name} counts the client-supplied ${header} header`,
            kind === 'FORWARDED_IP' &&
              !SPOOFABLE_HEADERS.includes(header) &&
              !written.includes(header) &&
              `${name} counts ${header || 'a header'}, which no CloudFront function of this stack writes`,
            kind === 'IP' && behindCdn && `${name} counts CloudFront's edge servers, not viewers`,
            kind !== 'IP' && kind !== 'FORWARDED_IP' && `${name} aggregates by ${shown(kind)}`,
          ];
        }),
      );
    },
  },
];
