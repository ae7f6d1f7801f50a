import { Token } from 'cdktf';
import type { Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';

/**
 * The rule statements both web ACLs (regional and CloudFront) write. The provider types rule
 * statements as `any` (too deeply nested to generate), so they are typed here, in terraform's own
 * (snake_case) block shape, checked by `terraform validate`.
 */

export interface TextTransformation {
  priority: number;
  type: string;
}
export type Statement =
  | { managed_rule_group_statement: ManagedRuleGroupStatement }
  | { rate_based_statement: RateBasedStatement }
  | { label_match_statement: { scope: 'LABEL' | 'NAMESPACE'; key: string } }
  | { byte_match_statement: ByteMatchStatement }
  | { regex_match_statement: RegexMatchStatement }
  | { and_statement: { statement: Statement[] } }
  | { or_statement: { statement: Statement[] } }
  | { not_statement: { statement: Statement[] } };
export interface RuleActionOverride {
  name: string;
  action_to_use: { count: Record<string, never> };
}
export interface ManagedRuleGroupStatement {
  vendor_name: 'AWS';
  name: string;
  rule_action_override?: RuleActionOverride[];
  scope_down_statement?: Statement;
}
export interface RateBasedStatement {
  limit: number;
  evaluation_window_sec: number;
  aggregate_key_type: 'IP' | 'FORWARDED_IP';
  forwarded_ip_config?: { header_name: string; fallback_behavior: 'MATCH' | 'NO_MATCH' };
}
export interface ByteMatchStatement {
  field_to_match: { uri_path: Record<string, never> };
  positional_constraint: 'STARTS_WITH';
  search_string: string;
  text_transformation: TextTransformation[];
}
export interface RegexMatchStatement {
  field_to_match: { uri_path: Record<string, never> };
  regex_string: string;
  text_transformation: TextTransformation[];
}

/** Decoded and normalised first, so `/mod/quiz/../../login/index.php` or `%2Fmod%2Fquiz` cannot borrow a path's allowance. */
export const PATH_TRANSFORMATIONS: TextTransformation[] = [
  { priority: 0, type: 'URL_DECODE' },
  { priority: 1, type: 'NORMALIZE_PATH' },
];

/** The managed groups whose rules read the request body, and those rules: the ones that only count on count-mode paths. */
export const BODY_INSPECTING_RULES: Readonly<Record<string, readonly string[]>> = {
  AWSManagedRulesCommonRuleSet: ['CrossSiteScripting_BODY', 'GenericLFI_BODY', 'GenericRFI_BODY', 'EC2MetaDataSSRF_BODY'],
  AWSManagedRulesSQLiRuleSet: ['SQLi_BODY', 'SQLiExtendedPatterns_BODY'],
};
/** The core rule set's body size rule: it only counts (and labels) everywhere; a rule of the ACL decides where big bodies may go. */
export const BODY_SIZE_RULE = 'SizeRestrictions_BODY';
/** Suffix of the managed group's second instance, the one scoped to the count-mode paths. */
export const COUNT_MODE_SUFFIX = '-count-mode-paths';
/** AWS WAF's limit on a regex string. */
const REGEX_LIMIT = 512;

const count = (name: string): RuleActionOverride => ({ name, action_to_use: { count: {} } });

/** Requests whose normalised path starts with one of `paths`: one regex (3 WCU + transformations), not a byte match per path. */
export function pathPrefixStatement(paths: readonly string[]): Statement {
  const regex = `^(?:${paths.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
  if (regex.length > REGEX_LIMIT)
    throw new Error(
      `count-mode paths make a ${regex.length}-character regex; AWS WAF takes at most ${REGEX_LIMIT}: list fewer, shorter prefixes`,
    );
  return { regex_match_statement: { field_to_match: { uri_path: {} }, regex_string: regex, text_transformation: PATH_TRANSFORMATIONS } };
}

export interface ManagedGroupOptions {
  /** Prefix of the metric names (`<prefix>-<metric>`). */
  readonly metricPrefix: string;
  /** Paths where the group's body-inspecting rules only count; empty: they block everywhere. */
  readonly countModePaths: readonly string[];
  /** Rules of the group that count everywhere (e.g. the body size rule, decided by another rule). */
  readonly countEverywhere?: readonly string[];
}

/**
 * A managed rule group as one or two rules. Without count-mode paths: once, as published (bar
 * `countEverywhere`). With them: twice, with complementary scope-down statements — the first
 * instance everywhere except those paths, as published; the second only on those paths, its
 * body-inspecting rules overridden to count. Every request meets exactly one instance, and on the
 * count-mode paths everything but the body rules (bad user agents, LFI in the URI, …) still blocks.
 * Costs the group's WCUs twice; label-based re-blocking would be cheaper but depends on label names
 * AWS may rename, and a renamed label silently stops blocking.
 */
export function managedGroupRules(priority: number, group: string, metric: string, options: ManagedGroupOptions): Wafv2WebAclRule[] {
  const everywhere = (options.countEverywhere ?? []).map(count);
  const visibility = (suffix: string) => ({
    cloudwatchMetricsEnabled: true,
    metricName: `${options.metricPrefix}-${metric}${suffix}`,
    sampledRequestsEnabled: true,
  });
  const rule = (name: string, rulePriority: number, statement: Partial<ManagedRuleGroupStatement>, suffix: string): Wafv2WebAclRule => ({
    name,
    priority: rulePriority,
    overrideAction: { none: {} },
    statement: { managed_rule_group_statement: { vendor_name: 'AWS', name: group, ...statement } } satisfies Statement,
    visibilityConfig: visibility(suffix),
  });
  const overrides = (list: RuleActionOverride[]) => (list.length > 0 ? { rule_action_override: list } : {});
  const bodyRules = BODY_INSPECTING_RULES[group] ?? [];
  if (options.countModePaths.length === 0 || bodyRules.length === 0) return [rule(group, priority, overrides(everywhere), '')];
  const onPaths = pathPrefixStatement(options.countModePaths);
  return [
    rule(group, priority, { ...overrides(everywhere), scope_down_statement: { not_statement: { statement: [onPaths] } } }, ''),
    rule(
      `${group}${COUNT_MODE_SUFFIX}`,
      priority + 1,
      {
        ...overrides([...everywhere, ...bodyRules.filter((r) => !options.countEverywhere?.includes(r)).map(count)]),
        scope_down_statement: onPaths,
      },
      '-count-mode',
    ),
  ];
}

/** Path lists the WAF takes: each starts with "/", holds no spaces, appears once. */
export function pathListProblems(field: string, paths: readonly string[]): string[] {
  const problems = paths
    .filter((p) => !Token.isUnresolved(p) && !/^\/\S{0,199}$/.test(p))
    .map((p) => `${field} must start with "/" and hold no spaces, got "${p}"`);
  if (new Set(paths).size !== paths.length) problems.push(`${field} has duplicates`);
  return problems;
}
