import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationProfile } from '@hafleet/app-profiles';
import { synthesizeExamples, type ExampleStacks } from './testing/example-stacks.js';

/**
 * How each example tenant's stack wires the on-call pieces from its spec and profile: the
 * request-count target, the us-east-1 placement of the global alarms, the flow-log destination
 * and the account-wide Inspector switch. (The guardrails check that each piece exists.)
 */
let examples: ExampleStacks;
beforeAll(() => {
  examples = synthesizeExamples();
});
afterAll(() => examples.dispose());

describe.each(['harbour-health', 'lakeside-state', 'northwind-university'])('%s', (tenant) => {
  const stack = () => examples.stacks.get(tenant)!;
  const spec = () => examples.specs.get(tenant)!;
  const alarm = (suffix: string) =>
    stack()
      .ofType('aws_cloudwatch_metric_alarm')
      .find((a) => a.values['alarm_name'] === `${tenant}-${suffix}`);

  it("scales the web group on requests per instance at the profile's target", () => {
    const policy = stack()
      .ofType('aws_autoscaling_policy')
      .find((p) => p.path.endsWith('/web/request-target-tracking'))!;
    expect(policy.values['target_tracking_configuration']).toMatchObject({
      target_value: applicationProfile(spec().app.profile).requestsPerTargetPerMinute,
    });
  });

  it('places the global alarms in us-east-1 through one provider alias (shared with the CDN), or with the main provider in us-east-1', () => {
    const aliases = stack()
      .providers('aws')
      .filter((p) => p.alias !== undefined && p.values['region'] === 'us-east-1');
    const health = alarm('deep-health-check')!;
    if (spec().region === 'us-east-1') {
      // Alarms and topic stay with the main provider; an alias exists only for the CDN's web ACL.
      expect(aliases).toHaveLength(spec().cdn ? 1 : 0);
      expect(health.values['provider']).toBeUndefined();
      expect(stack().ofType('aws_sns_topic')).toHaveLength(1);
    } else {
      expect(aliases.map((p) => p.alias)).toEqual(['us_east_1']);
      expect(health.values['provider']).toBe('aws.us_east_1');
    }
    expect(alarm('certificate-cdn-expiry') !== undefined).toBe(spec().cdn !== undefined);
    expect(alarm('waf-cdn-blocked-surge') !== undefined).toBe(spec().cdn !== undefined);
  });

  it('alarms on the heartbeat the worker puts, named by the tenant, at the cadence of the profile', () => {
    const heartbeat = alarm('worker-heartbeat')!;
    expect(heartbeat.values).toMatchObject({
      namespace: 'Hafleet/Worker',
      metric_name: 'CronHeartbeat',
      dimensions: { Tenant: tenant },
      treat_missing_data: 'breaching',
    });
    expect(Number(heartbeat.values['period'])).toBeGreaterThanOrEqual(applicationProfile(spec().app.profile).cron.everyMinutes * 60);
  });

  it('delivers flow logs where the spec says, and switches Inspector on only for a tenant alone in its account', () => {
    const [flowLog] = stack().ofType('aws_flow_log');
    expect(flowLog!.values['log_destination_type']).toBe(spec().observability.flowLogs.destination === 's3' ? 's3' : 'cloud-watch-logs');
    expect(stack().ofType('aws_inspector2_enabler')).toHaveLength(spec().account.dedicated ? 1 : 0);
  });
});
