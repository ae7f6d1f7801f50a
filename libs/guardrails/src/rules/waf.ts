import { fail, notApplicable, pass, verdictOf, type PolicyRule } from '../rule.js';
import type { StackResource, SynthesizedStack } from '../synthesized-stack.js';
import { block, blocks, isTrue } from './support.js';

/** Web application firewall: every way in from the internet goes through a web ACL. */

/** AWS managed rule groups every web ACL runs, blocking (not merely counting). */
const REQUIRED_MANAGED_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'];

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
      return verdictOf([!associations.some((a) => aclsOf(stack, a.values['web_acl_arn'], 'REGIONAL').length > 0) && 'no regional web ACL is associated']);
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
      return verdictOf([aclsOf(stack, distribution.values['web_acl_id'], 'CLOUDFRONT').length === 0 && 'web_acl_id is not a CloudFront web ACL of this stack']);
    },
  },
  {
    id: 'HAF-WAF-003',
    severity: 'error',
    area: 'waf',
    description: 'Web ACLs block with the AWS common and known-bad-inputs rule groups and a per-IP rate limit',
    resourceTypes: ['aws_wafv2_web_acl'],
    fix: 'add managed_rule_group_statement rules AWSManagedRulesCommonRuleSet and AWSManagedRulesKnownBadInputsRuleSet (override_action none) and a rate_based_statement rule with action block',
    check(acl) {
      const rules = blocks(acl.values['rule']);
      const managed = new Map(
        rules.flatMap((rule) => {
          const statement = block(block(rule['statement'])?.['managed_rule_group_statement']);
          return statement && statement['vendor_name'] === 'AWS' ? [[String(statement['name']), rule] as const] : [];
        }),
      );
      const rateLimited = rules.some((rule) => block(block(rule['statement'])?.['rate_based_statement']) && block(rule['action'])?.['block'] !== undefined);
      return verdictOf([
        ...REQUIRED_MANAGED_GROUPS.map((name) => {
          const rule = managed.get(name);
          if (!rule) return `no ${name}`;
          return block(rule['override_action'])?.['count'] !== undefined ? `${name} only counts (override_action count)` : undefined;
        }),
        !rateLimited && 'no rate-based rule that blocks',
      ]);
    },
  },
  {
    id: 'HAF-WAF-004',
    severity: 'error',
    area: 'waf',
    description: 'When the spec asks for Shield Advanced, it protects the load balancer',
    resourceTypes: ['aws_lb'],
    fix: 'create an aws_shield_protection for the load balancer (RegionalWebAcl shieldAdvanced, from spec edge.shieldAdvanced)',
    check(lb, stack, { spec }) {
      if (!spec.edge.shieldAdvanced) return notApplicable;
      return stack.referrers(lb.address, 'aws_shield_protection').length > 0 ? pass : fail('spec edge.shieldAdvanced is true but no aws_shield_protection covers it');
    },
  },
];
