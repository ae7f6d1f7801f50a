import { describe, expect, it } from 'vitest';
import { ALB_ARN, webAcl } from '../testing/edge-fixtures.js';
import { offlineAwsProvider } from '../testing/offline.js';
import { describeWithTerraform, planOffline } from '../testing/plan-offline.js';
import { addOutputs, ref, synthesize, testStack, type SynthResource } from '../testing/synth.js';
import { KMS_KEY_ARN } from '../testing/values.js';
import { BODY_SIZE_LABEL, DEFAULT_LARGE_BODY_PATHS, type RegionalWebAclProps } from './web-acl.js';

function synthAcl(overrides: Partial<RegionalWebAclProps> = {}) {
  const synth = synthesize(
    testStack((scope) => addOutputs(scope, webAcl(scope, ALB_ARN, overrides), ['webAclArn', 'webAclId', 'logGroupName'])),
  );
  const [aclId, acl] = synth.single('aws_wafv2_web_acl');
  const rules = acl['rule'] as SynthResource[];
  const rule = (name: string) => {
    const found = rules.find((r) => r['name'] === name);
    if (!found) throw new Error(`no rule ${name}`);
    return found;
  };
  return { ...synth, aclId, acl, rules, rule };
}

const startsWith = (path: string) => ({
  byte_match_statement: {
    field_to_match: { uri_path: {} },
    positional_constraint: 'STARTS_WITH',
    search_string: path,
    text_transformation: [
      { priority: 0, type: 'URL_DECODE' },
      { priority: 1, type: 'NORMALIZE_PATH' },
    ],
  },
});
const bodySizeLabel = { label_match_statement: { scope: 'LABEL', key: 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body' } };

describe('RegionalWebAcl', () => {
  it('is a regional web ACL that allows by default and is attached to the load balancer', () => {
    const { acl, aclId, single } = synthAcl();
    expect(acl).toMatchObject({
      name: 'acme-alb',
      scope: 'REGIONAL',
      default_action: { allow: {} },
      visibility_config: { cloudwatch_metrics_enabled: true, metric_name: 'acme-alb', sampled_requests_enabled: true },
    });
    expect(single('aws_wafv2_web_acl_association')[1]).toEqual({
      resource_arn: ALB_ARN,
      web_acl_arn: ref('aws_wafv2_web_acl', aclId, 'arn'),
    });
  });

  it('runs the managed rule groups and its own rules in a fixed order, all visible and sampled', () => {
    const { rules } = synthAcl();
    const ordered = [...rules].sort((a, b) => (a['priority'] as number) - (b['priority'] as number)).map((r) => r['name']);
    expect(ordered).toEqual([
      'AWSManagedRulesAmazonIpReputationList',
      'rate-limit-per-client',
      'AWSManagedRulesCommonRuleSet',
      'large-body-outside-upload-paths',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'AWSManagedRulesSQLiRuleSet',
    ]);
    expect(new Set(rules.map((r) => r['priority'])).size).toBe(rules.length);
    for (const rule of rules) {
      expect(rule['visibility_config'], rule['name'] as string).toMatchObject({
        cloudwatch_metrics_enabled: true,
        sampled_requests_enabled: true,
      });
    }
    expect(new Set(rules.map((r) => (r['visibility_config'] as SynthResource)['metric_name'])).size).toBe(rules.length);
  });

  it('applies the managed groups as published, except the body size rule, which only counts and labels', () => {
    const { rule } = synthAcl();
    for (const name of ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesSQLiRuleSet']) {
      expect(rule(name)).toMatchObject({
        override_action: { none: {} },
        statement: { managed_rule_group_statement: { vendor_name: 'AWS', name } },
      });
      expect(rule(name)['action']).toBeUndefined();
    }
    expect(rule('AWSManagedRulesCommonRuleSet')).toMatchObject({
      override_action: { none: {} },
      statement: {
        managed_rule_group_statement: {
          vendor_name: 'AWS',
          name: 'AWSManagedRulesCommonRuleSet',
          rule_action_override: [{ name: 'SizeRestrictions_BODY', action_to_use: { count: {} } }],
        },
      },
    });
  });

  it('blocks labelled large bodies after the core rule set, except on the upload and SCORM paths', () => {
    const { rule } = synthAcl();
    const largeBody = rule('large-body-outside-upload-paths');
    expect(largeBody['priority']).toBeGreaterThan(rule('AWSManagedRulesCommonRuleSet')['priority'] as number);
    expect(largeBody['action']).toEqual({ block: {} });
    expect(largeBody['statement']).toEqual({
      and_statement: {
        statement: [
          bodySizeLabel,
          {
            not_statement: {
              statement: [
                {
                  or_statement: {
                    statement: ['/repository/', '/webservice/', '/mod/scorm/', '/pluginfile.php', '/draftfile.php'].map(startsWith),
                  },
                },
              ],
            },
          },
        ],
      },
    });
    expect(BODY_SIZE_LABEL).toBe('awswaf:managed:aws:core-rule-set:SizeRestrictions_Body');
    expect(DEFAULT_LARGE_BODY_PATHS).toEqual(['/repository/', '/webservice/', '/mod/scorm/', '/pluginfile.php', '/draftfile.php']);
  });

  it('builds the large-body exception from the paths it is given', () => {
    const one = synthAcl({ largeBodyPaths: ['/upload/'] }).rule('large-body-outside-upload-paths');
    expect(one['statement']).toEqual({
      and_statement: { statement: [bodySizeLabel, { not_statement: { statement: [startsWith('/upload/')] } }] },
    });
    // No exception at all: every large body is blocked.
    expect(synthAcl({ largeBodyPaths: [] }).rule('large-body-outside-upload-paths')['statement']).toEqual(bodySizeLabel);
  });

  it('blocks a client above 2000 requests in 5 minutes, counted by source IP unless told which header holds it', () => {
    const rate = (overrides: Partial<RegionalWebAclProps> = {}) => synthAcl(overrides).rule('rate-limit-per-client');
    expect(rate()).toMatchObject({
      action: { block: {} },
      statement: { rate_based_statement: { limit: 2000, evaluation_window_sec: 300, aggregate_key_type: 'IP' } },
    });
    expect(rate()['statement']).not.toHaveProperty('rate_based_statement.forwarded_ip_config');
    expect(rate({ rateLimitPerFiveMinutes: 500, clientIpHeader: 'X-Viewer-Ip' })['statement']).toEqual({
      rate_based_statement: {
        limit: 500,
        evaluation_window_sec: 300,
        aggregate_key_type: 'FORWARDED_IP',
        forwarded_ip_config: { header_name: 'X-Viewer-Ip', fallback_behavior: 'NO_MATCH' },
      },
    });
  });

  it('runs the body-inspecting groups twice with count-mode paths: as published elsewhere, their body rules counting on those paths', () => {
    const { rules, rule } = synthAcl({ countModePaths: ['/mod/quiz/', '/course/modedit.php'] });
    const onPaths = {
      regex_match_statement: {
        field_to_match: { uri_path: {} },
        regex_string: '^(?:/mod/quiz/|/course/modedit\\.php)',
        text_transformation: [
          { priority: 0, type: 'URL_DECODE' },
          { priority: 1, type: 'NORMALIZE_PATH' },
        ],
      },
    };
    const managed = (name: string) =>
      (rule(name)['statement'] as { managed_rule_group_statement: SynthResource }).managed_rule_group_statement;
    const count = (...names: string[]) => names.map((name) => ({ name, action_to_use: { count: {} } }));
    expect(managed('AWSManagedRulesCommonRuleSet')).toEqual({
      vendor_name: 'AWS',
      name: 'AWSManagedRulesCommonRuleSet',
      rule_action_override: count('SizeRestrictions_BODY'),
      scope_down_statement: { not_statement: { statement: [onPaths] } },
    });
    expect(managed('AWSManagedRulesCommonRuleSet-count-mode-paths')).toEqual({
      vendor_name: 'AWS',
      name: 'AWSManagedRulesCommonRuleSet',
      rule_action_override: count(
        'SizeRestrictions_BODY',
        'CrossSiteScripting_BODY',
        'GenericLFI_BODY',
        'GenericRFI_BODY',
        'EC2MetaDataSSRF_BODY',
      ),
      scope_down_statement: onPaths,
    });
    expect(managed('AWSManagedRulesSQLiRuleSet')).toEqual({
      vendor_name: 'AWS',
      name: 'AWSManagedRulesSQLiRuleSet',
      scope_down_statement: { not_statement: { statement: [onPaths] } },
    });
    expect(managed('AWSManagedRulesSQLiRuleSet-count-mode-paths')).toEqual({
      vendor_name: 'AWS',
      name: 'AWSManagedRulesSQLiRuleSet',
      rule_action_override: count('SQLi_BODY', 'SQLiExtendedPatterns_BODY'),
      scope_down_statement: onPaths,
    });
    // Each twin runs right after its group, so the large-body rule still follows every core rule set instance.
    const ordered = [...rules].sort((a, b) => (a['priority'] as number) - (b['priority'] as number)).map((r) => r['name']);
    expect(ordered.indexOf('AWSManagedRulesCommonRuleSet-count-mode-paths')).toBe(ordered.indexOf('AWSManagedRulesCommonRuleSet') + 1);
    expect(ordered.indexOf('large-body-outside-upload-paths')).toBeGreaterThan(
      ordered.indexOf('AWSManagedRulesCommonRuleSet-count-mode-paths'),
    );
    expect(rules.filter((r) => r['name'] === 'AWSManagedRulesKnownBadInputsRuleSet')).toHaveLength(1);
  });

  it('logs to an aws-waf-logs- group encrypted with the tenant key, without credentials', () => {
    const { single, aclId } = synthAcl();
    const [groupId, group] = single('aws_cloudwatch_log_group');
    expect(group).toMatchObject({ name: 'aws-waf-logs-acme', kms_key_id: KMS_KEY_ARN, retention_in_days: 365 });
    expect(single('aws_wafv2_web_acl_logging_configuration')[1]).toEqual({
      resource_arn: ref('aws_wafv2_web_acl', aclId, 'arn'),
      log_destination_configs: [ref('aws_cloudwatch_log_group', groupId, 'arn')],
      redacted_fields: [{ single_header: { name: 'authorization' } }, { single_header: { name: 'cookie' } }],
    });
    expect(synthAcl({ logRetentionDays: 731 }).single('aws_cloudwatch_log_group')[1]['retention_in_days']).toBe(731);
  });

  it('adds Shield Advanced protection only when asked', () => {
    expect(synthAcl().resources('aws_shield_protection')).toEqual({});
    expect(synthAcl({ shieldAdvanced: true }).single('aws_shield_protection')[1]).toMatchObject({
      name: 'acme-alb',
      resource_arn: ALB_ARN,
    });
  });

  it('exposes its outputs as references to the resources', () => {
    const { outputs, aclId, single } = synthAcl();
    const [groupId] = single('aws_cloudwatch_log_group');
    expect(outputs).toEqual({
      webAclArn: ref('aws_wafv2_web_acl', aclId, 'arn'),
      webAclId: ref('aws_wafv2_web_acl', aclId),
      logGroupName: ref('aws_cloudwatch_log_group', groupId, 'name'),
    });
  });

  it('rejects settings WAF would refuse', () => {
    expect(() => synthAcl({ rateLimitPerFiveMinutes: 5 })).toThrow(/rateLimitPerFiveMinutes must be a whole number in \[10, 2000000000\]/);
    expect(() => synthAcl({ largeBodyPaths: ['repository/'] })).toThrow(/largeBodyPaths must start with "\/"/);
    expect(() => synthAcl({ largeBodyPaths: ['/a/', '/a/'] })).toThrow(/duplicates/);
    expect(() => synthAcl({ logRetentionDays: 100 })).toThrow(/logRetentionDays must be one of/);
    expect(() => synthAcl({ name: 'acme corp' })).toThrow(/name must be/);
    expect(() => synthAcl({ clientIpHeader: 'X Viewer' })).toThrow(/clientIpHeader/);
    expect(() => synthAcl({ clientIpHeader: 'X-Forwarded-For' })).toThrow(
      /must not be X-Forwarded-For: its first entry is whatever the client sent/,
    );
    expect(() => synthAcl({ countModePaths: ['/a/', '/a/'] })).toThrow(/countModePaths has duplicates/);
    expect(() => synthAcl({ countModePaths: Array.from({ length: 40 }, (_, i) => `/a-rather-long-authoring-path-${i}/`) })).toThrow(
      /AWS WAF takes at most 512/,
    );
  });

  // The complete edge is planned in edge.terraform.test.ts; this plans the other statement shapes
  // (forwarded IP, a single large-body path), which the provider types only as `any`.
  describeWithTerraform('with the real terraform', () => {
    it('is accepted by the real AWS provider with a forwarded client IP, one large-body path and count-mode paths', async () => {
      const summary = await planOffline((stack) => {
        offlineAwsProvider(stack);
        webAcl(stack, ALB_ARN, {
          clientIpHeader: 'X-Viewer-Ip',
          largeBodyPaths: ['/repository/'],
          countModePaths: ['/mod/quiz/', '/webservice/'],
          logRetentionDays: 90,
        });
      });
      expect(summary).toMatchObject({ add: 4, change: 0, destroy: 0 });
      expect(summary.changes.map((c) => c.type).sort()).toEqual([
        'aws_cloudwatch_log_group',
        'aws_wafv2_web_acl',
        'aws_wafv2_web_acl_association',
        'aws_wafv2_web_acl_logging_configuration',
      ]);
    });
  });
});
