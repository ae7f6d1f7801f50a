import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpecValidationError, loadFleetConfig, loadTenantSpec, type TenantSpec } from '@hafleet/tenant-spec';
import { evaluatePolicy, policyContext } from './evaluate.js';
import { PolicyViolationError, assertCompliant, summarisePolicy } from './report.js';
import { fail, notApplicable, pass, type PolicyRule } from './rule.js';
import { RULES } from './rules/index.js';
import { assertSuppressionsValid, suppressionProblems } from './suppressions.js';
import { SynthesizedStack, type StackJson } from './synthesized-stack.js';
import { findWorkspaceRoot } from '@hafleet/entry-point';

/**
 * The engine on small hand-written stacks: how references are followed, how outcomes and
 * suppressions come out, and how a violation reads. The rules themselves are tested against real
 * synthesized tenants in tenant-stack (`guardrails.test.ts`), the only place that can make them.
 */

// Not @hafleet/testing: it builds on tenant-stack, which builds on this lib.
const WORKSPACE_ROOT = findWorkspaceRoot(import.meta.url);

const meta = (path: string) => ({ '//': { metadata: { path } } });

const STACK: StackJson = {
  provider: { aws: [{ region: 'eu-west-2' }, { alias: 'us_east_1', region: 'us-east-1' }] },
  terraform: { backend: { local: { path: '../../.hafleet/tenants/acme/terraform.tfstate' } } },
  data: { terraform_remote_state: { other: { backend: 's3' } } },
  resource: {
    aws_s3_bucket: {
      logs: { ...meta('acme/logs/bucket'), bucket: 'acme-logs' },
      content: { ...meta('acme/content/bucket'), bucket: 'acme-content' },
    },
    aws_s3_bucket_policy: { logs: { ...meta('acme/logs/policy'), bucket: '${aws_s3_bucket.logs.id}' } },
    aws_lb: {
      alb: {
        ...meta('acme/web/alb'),
        access_logs: { bucket: '${aws_s3_bucket_policy.logs.bucket}', enabled: true },
        subnets: ['${aws_subnet.a.id}', '${aws_subnet.b.id}'],
      },
    },
    aws_subnet: { a: { availability_zone: 'eu-west-2a' }, b: { availability_zone: 'eu-west-2b' } },
  },
};

function spec(suppressions: TenantSpec['guardrails']['suppressions'] = []): TenantSpec {
  const { spec } = loadTenantSpec(join(WORKSPACE_ROOT, 'tenants/harbour-health/tenant.json'), WORKSPACE_ROOT);
  return { ...spec, name: 'acme', guardrails: { suppressions } };
}

const context = (suppressions?: TenantSpec['guardrails']['suppressions']) =>
  policyContext({ spec: spec(suppressions), fleet: loadFleetConfig(WORKSPACE_ROOT) });

/** A rule that fails every bucket whose name ends in -content, and ignores the rest. */
const contentRule: PolicyRule = {
  id: 'HAF-TEST-001',
  severity: 'error',
  area: 'exposure',
  description: 'test rule',
  resourceTypes: ['aws_s3_bucket', 'aws_s3_bucket'],
  fix: 'rename it',
  check: (bucket) => (String(bucket.values['bucket']).endsWith('-content') ? fail('is a content bucket') : pass),
};

describe('SynthesizedStack', () => {
  const stack = new SynthesizedStack(STACK);

  it('follows references through pass-through attributes to the resource behind them', () => {
    const alb = stack.get('aws_lb.alb')!;
    expect(stack.referenced(alb.values['access_logs']).map((r) => r.address)).toEqual(['aws_s3_bucket_policy.logs']);
    expect(stack.references(alb.values['access_logs'])).toEqual([
      { resource: stack.get('aws_s3_bucket_policy.logs'), attribute: 'bucket' },
    ]);
    expect(stack.referencedThrough(alb.values['access_logs'], 'aws_s3_bucket').map((r) => r.address)).toEqual(['aws_s3_bucket.logs']);
  });

  it('finds who refers to a resource, and reads providers, backend and data sources', () => {
    expect(stack.referrers('aws_s3_bucket.logs').map((r) => r.address)).toEqual(['aws_s3_bucket_policy.logs']);
    expect(stack.referrers('aws_subnet.a', 'aws_lb').map((r) => r.address)).toEqual(['aws_lb.alb']);
    expect(stack.providers('aws').map((p) => p.address)).toEqual(['provider.aws', 'provider.aws.us_east_1']);
    expect(stack.backend).toEqual({ kind: 'local', values: { path: '../../.hafleet/tenants/acme/terraform.tfstate' } });
    expect(stack.dataSources.map((d) => d.address)).toEqual(['data.terraform_remote_state.other']);
  });
});

describe('evaluatePolicy', () => {
  const stack = new SynthesizedStack(STACK);

  it('records a pass or a failure per resource, once even when a type is listed twice, with the fix', () => {
    const report = evaluatePolicy(stack, context(), [contentRule]);
    expect(report.outcomes).toEqual([
      { rule: 'HAF-TEST-001', severity: 'error', area: 'exposure', resource: 'aws_s3_bucket.logs', path: 'logs/bucket', result: 'pass' },
      {
        rule: 'HAF-TEST-001',
        severity: 'error',
        area: 'exposure',
        resource: 'aws_s3_bucket.content',
        path: 'content/bucket',
        result: 'fail',
        message: 'is a content bucket',
        fix: 'rename it',
      },
    ]);
    expect(summarisePolicy(report)).toMatchObject({ rules: 1, checks: 2, passed: 1, errors: 1, suppressed: 0 });
    expect(() => assertCompliant([report])).toThrow(PolicyViolationError);
  });

  it.each([
    ['the construct path without the tenant', 'content/bucket'],
    ['the full construct path', 'acme/content/bucket'],
    ['the terraform address', 'aws_s3_bucket.content'],
  ])('suppresses a finding named by %s, keeping the reason in the report', (_label, resource) => {
    const report = evaluatePolicy(stack, context([{ rule: 'HAF-TEST-001', resource, reason: 'public by design' }]), [contentRule]);
    expect(report.outcomes.find((o) => o.resource === 'aws_s3_bucket.content')).toMatchObject({
      result: 'suppressed',
      reason: 'public by design',
      message: 'is a content bucket',
    });
    expect(report.unusedSuppressions).toEqual([]);
    expect(() => assertCompliant([report])).not.toThrow();
  });

  it('lists suppressions that matched no failing resource', () => {
    const unused = { rule: 'HAF-TEST-001', resource: 'logs/bucket', reason: 'stale' };
    const report = evaluatePolicy(stack, context([unused]), [contentRule]);
    expect(report.unusedSuppressions).toEqual([unused]);
    expect(report.outcomes.find((o) => o.path === 'logs/bucket')?.result).toBe('pass');
  });

  it('leaves out resources a rule does not apply to, and reaches providers, the backend and data sources', () => {
    const seen: string[] = [];
    const rule: PolicyRule = {
      ...contentRule,
      resourceTypes: ['provider.aws', 'terraform.backend', 'data.terraform_remote_state', 'aws_subnet'],
      check: (resource) => {
        seen.push(resource.address);
        return resource.type === 'aws_subnet' ? notApplicable : pass;
      },
    };
    const report = evaluatePolicy(stack, context(), [rule]);
    expect(seen).toEqual([
      'provider.aws',
      'provider.aws.us_east_1',
      'terraform.backend.local',
      'data.terraform_remote_state.other',
      'aws_subnet.a',
      'aws_subnet.b',
    ]);
    expect(report.outcomes.map((o) => o.resource)).toEqual([
      'provider.aws',
      'provider.aws.us_east_1',
      'terraform.backend.local',
      'data.terraform_remote_state.other',
    ]);
  });

  it('fails closed when a check throws', () => {
    const broken: PolicyRule = { ...contentRule, check: () => JSON.parse('{') };
    const [first] = evaluatePolicy(stack, context(), [broken]).outcomes;
    expect(first).toMatchObject({ result: 'fail', message: expect.stringMatching(/^the check itself failed \(/) });
  });
});

describe('violations', () => {
  it('name the tenant, the rule, the resource and the fix, and how to suppress', () => {
    const report = evaluatePolicy(new SynthesizedStack(STACK), context(), [contentRule]);
    expect(() => assertCompliant([report])).toThrow(
      'tenant acme: HAF-TEST-001 (error) on content/bucket (aws_s3_bucket.content): is a content bucket — fix: rename it',
    );
    expect(() => assertCompliant([report])).toThrow(/guardrails\.suppressions \[\{ rule, resource, reason \}\]/);
  });
});

describe('suppressions in the spec', () => {
  const loaded = (suppressions: TenantSpec['guardrails']['suppressions']) => ({
    spec: spec(suppressions),
    file: join(WORKSPACE_ROOT, 'tenants/acme/tenant.json'),
  });

  it('refuse an unknown rule id, naming the tenant, the field and the ids of the area', () => {
    const problems = suppressionProblems(loaded([{ rule: 'HAF-ENC-999', resource: 'logs/bucket', reason: 'x' }]), WORKSPACE_ROOT);
    expect(problems).toEqual([
      {
        tenant: 'acme',
        file: 'tenants/acme/tenant.json',
        field: 'guardrails.suppressions.0.rule',
        message: expect.stringMatching(
          /^"HAF-ENC-999" is not a guardrails rule — fix: use one of HAF-ENC-001, HAF-ENC-002, .*, or remove the suppression$/,
        ),
      },
    ]);
    expect(() => assertSuppressionsValid([loaded([{ rule: 'HAF-NOPE-001', resource: 'x', reason: 'y' }])], WORKSPACE_ROOT)).toThrow(
      SpecValidationError,
    );
  });

  it('refuse the same suppression twice', () => {
    const twice = { rule: 'HAF-ENC-003', resource: 'logs/bucket', reason: 'x' };
    expect(suppressionProblems(loaded([twice, twice]), WORKSPACE_ROOT)).toEqual([
      expect.objectContaining({
        field: 'guardrails.suppressions.1',
        message: expect.stringContaining('repeats guardrails.suppressions.0'),
      }),
    ]);
  });
});

describe('the rule pack', () => {
  it('has unique, well-formed ids and says what, where and how to fix for every rule', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^HAF-[A-Z0-9]+-\d{3}$/);
      expect(rule.description.length, rule.id).toBeGreaterThan(10);
      expect(rule.fix.length, rule.id).toBeGreaterThan(10);
      expect(rule.resourceTypes.length, rule.id).toBeGreaterThan(0);
    }
  });

  it("is listed in the library's README exactly as the rules describe themselves, and nothing else is", () => {
    const readme = readFileSync(join(WORKSPACE_ROOT, 'libs/guardrails/README.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| (HAF-[A-Z0-9]+-\d{3}) \| (.*) \|$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(listed).toEqual(RULES.map((r) => `${r.id} ${r.description}`));
  });
});
