import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadTenantSpec, tenantSpecFiles } from '@hafleet/tenant-spec';
import { WORKSPACE_ROOT } from '@hafleet/testing';
import { FAKE_AWS_CREDENTIALS, startFakeAws, type FakeAws } from '../testing/fake-aws.js';
import { AwsGate, WEB_ASG_OUTPUT } from './aws-gate.js';
import type { GateTarget } from './gate.js';

/**
 * The AWS gate through the real AWS SDK against a FAKE AWS: a loopback server speaking only the
 * Query API of DescribeInstanceRefreshes, DescribeAutoScalingGroups and DescribeTargetHealth.
 */

const spec = loadTenantSpec(tenantSpecFiles(WORKSPACE_ROOT)[0]!, WORKSPACE_ROOT).spec;
const ASG = `${spec.name}-web`;
const TG = `arn:aws:elasticloadbalancing:${spec.region}:111122223333:targetgroup/${spec.name}-web/0123456789abcdef`;
const appliedSince = new Date('2025-06-12T10:00:00Z');
const minutes = (n: number) => new Date(appliedSince.getTime() + n * 60_000);

const target = (outputs: Record<string, unknown> = { [WEB_ASG_OUTPUT]: ASG }): GateTarget => ({
  tenant: spec.name,
  spec,
  rolloutId: 'test',
  wave: '1',
  appliedSince: appliedSince.toISOString(),
  outputs: async () => outputs,
  signal: new AbortController().signal,
});

describe('AWS health gate, real AWS SDK against a fake AWS (local Query API server)', () => {
  let aws: FakeAws;
  let gate: AwsGate;
  beforeEach(async () => {
    aws = await startFakeAws({
      refreshes: [{ id: 'old-refresh', status: 'Failed', startTime: minutes(-90), statusReason: 'yesterday' }],
      group: { name: ASG, desiredCapacity: 2, targetGroupArns: [TG] },
      targets: {
        [TG]: [
          { id: 'i-0aaa', state: 'healthy' },
          { id: 'i-0bbb', state: 'healthy' },
        ],
      },
    });
    gate = new AwsGate({ kind: 'aws', intervalMs: 20, timeoutMs: 2_000 }, { endpoint: aws.endpoint, credentials: FAKE_AWS_CREDENTIALS });
  });
  afterEach(() => aws.close());

  it('waits for the instance refresh this apply started, then passes when every target is healthy', async () => {
    aws.state.refreshes.push({ id: 'rollout-refresh', status: 'InProgress', startTime: minutes(1), percentComplete: 50 });
    let polls = 0;
    aws.beforeAnswer = (call, state) => {
      if (call.action === 'DescribeInstanceRefreshes' && ++polls === 3)
        Object.assign(state.refreshes[1]!, { status: 'Successful', percentComplete: 100 });
    };
    const result = await gate.check(target());
    expect(result).toEqual({
      ok: true,
      detail: `${ASG}: instance refresh rollout-refresh Successful 100%; 2/2 targets healthy (desired 2)`,
    });
    expect(aws.calls.map((c) => c.action)).toEqual([
      'DescribeInstanceRefreshes',
      'DescribeInstanceRefreshes',
      'DescribeInstanceRefreshes',
      'DescribeAutoScalingGroups',
      'DescribeTargetHealth',
    ]);
    // Signed for the tenant's region, asking about the group named by the stack's output.
    expect(new Set(aws.calls.map((c) => c.region))).toEqual(new Set([spec.region]));
    expect(aws.calls[0]!.params['AutoScalingGroupName']).toBe(ASG);
    expect(aws.calls.at(-1)!.params['TargetGroupArn']).toBe(TG);
  });

  it('fails at once when the refresh failed or rolled back, with AWS’s reason', async () => {
    aws.state.refreshes.push({
      id: 'rollout-refresh',
      status: 'RollbackSuccessful',
      startTime: minutes(2),
      statusReason: 'instances failed ELB health checks',
    });
    const result = await gate.check(target());
    expect(result).toEqual({
      ok: false,
      detail: `${ASG}: instance refresh rollout-refresh RollbackSuccessful (instances failed ELB health checks)`,
    });
    expect(aws.calls).toHaveLength(1);
  });

  it('ignores refreshes from before the apply: no refresh needed, targets healthy → pass', async () => {
    expect(await gate.check(target())).toEqual({
      ok: true,
      detail: `${ASG}: no instance refresh since the apply; 2/2 targets healthy (desired 2)`,
    });
  });

  it('fails when a target stays unhealthy past the timeout', async () => {
    aws.state.targets[TG]![1]!.state = 'unhealthy';
    const slow = new AwsGate(
      { kind: 'aws', intervalMs: 50, timeoutMs: 300 },
      { endpoint: aws.endpoint, credentials: FAKE_AWS_CREDENTIALS },
    );
    const result = await slow.check(target());
    expect(result.ok).toBe(false);
    expect(result.detail).toBe(
      `${ASG}: not healthy within 300ms; last seen: no instance refresh since the apply; 1/2 targets healthy (desired 2): i-0bbb=unhealthy`,
    );
  });

  it('fails with fewer healthy targets than the desired capacity', async () => {
    aws.state.targets[TG] = [{ id: 'i-0aaa', state: 'healthy' }];
    const result = await new AwsGate(
      { kind: 'aws', intervalMs: 50, timeoutMs: 200 },
      { endpoint: aws.endpoint, credentials: FAKE_AWS_CREDENTIALS },
    ).check(target());
    expect(result.detail).toMatch(/1\/1 targets healthy \(desired 2\): too few targets$/);
  });

  it('fails without calling AWS when the stack names no web auto scaling group', async () => {
    expect(await gate.check(target({}))).toEqual({
      ok: false,
      detail: `the stack has no output ${WEB_ASG_OUTPUT}, so there is no auto scaling group to check`,
    });
    expect(aws.calls).toHaveLength(0);
  });

  it('fails when the group does not exist in the account and region', async () => {
    aws.state.group = undefined;
    expect(await gate.check(target())).toEqual({ ok: false, detail: `${ASG}: no such auto scaling group in this account and region` });
  });
});

describe('AWS SDK loading', () => {
  // A module resolve hook that reports every @aws-sdk import of the process it runs in.
  let dir: string;
  let hook: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hafleet-sdk-trace-'));
    writeFileSync(
      join(dir, 'resolve.mjs'),
      `export async function resolve(specifier, context, next) {
  if (specifier.startsWith('@aws-sdk/')) process.stderr.write('aws-sdk loaded: ' + specifier + '\\n');
  return next(specifier, context);
}\n`,
    );
    hook = join(dir, 'register.mjs');
    writeFileSync(
      hook,
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'resolve.mjs')).href)});\n`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const traced = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', '--import', hook, ...args], {
      cwd: WORKSPACE_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).stderr;

  it('is not loaded when the CLI starts, only when the AWS gate runs', () => {
    expect(traced(join(WORKSPACE_ROOT, 'apps/cli/src/main.ts'), '--help')).not.toContain('aws-sdk loaded');
    const script = join(dir, 'gate.mts');
    writeFileSync(
      script,
      `import { AwsGate } from ${JSON.stringify(join(WORKSPACE_ROOT, 'libs/rollout/src/gates/aws-gate.ts'))};
const gate = new AwsGate(
  { kind: 'aws', intervalMs: 1, timeoutMs: 1 },
  { endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } },
);
await gate
  .check({
    tenant: 't', spec: { region: 'eu-west-2' }, rolloutId: 'r', wave: 'w', appliedSince: new Date().toISOString(),
    outputs: async () => ({ web_asg_name: 'x' }), signal: new AbortController().signal,
  })
  .catch(() => {});\n`,
    );
    expect(traced(script)).toContain('aws-sdk loaded: @aws-sdk/client-auto-scaling');
  });
});
