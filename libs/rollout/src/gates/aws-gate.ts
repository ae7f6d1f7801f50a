import { formatDuration, sleep } from '../durations.js';
import type { AwsGateConfig, GateResult, GateTarget, HealthGate } from './gate.js';

/**
 * The AWS gate, through the AWS SDK: the tenant's web auto scaling group has finished its
 * instance refresh successfully (the rolling replacement of instances a new AMI starts), and
 * every target of its target groups is healthy. The SDK is imported on first use, so the CLI
 * never loads it unless this gate runs.
 *
 * Calls: autoscaling DescribeInstanceRefreshes and DescribeAutoScalingGroups (the group's target
 * groups and capacity), elbv2 DescribeTargetHealth. Credentials and region: the environment's
 * default chain, region from the spec.
 */

/** The terraform output holding the web ASG name (libs/tenant-stack). */
export const WEB_ASG_OUTPUT = 'web_asg_name';

/** Refresh states that will still change; anything else is final. */
const REFRESH_RUNNING = new Set(['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking']);
/** A refresh this much older than the apply is somebody else's (allows for clock skew). */
const CLOCK_SKEW_MS = 60_000;

export interface AwsGateOptions {
  /** Overrides the AWS endpoints (e.g. a local stand-in); default: AWS's, or AWS_ENDPOINT_URL_*. */
  readonly endpoint?: string;
  /** Default: the SDK's default credential chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

interface Observation {
  readonly done: boolean;
  readonly ok: boolean;
  readonly detail: string;
}

export class AwsGate implements HealthGate {
  readonly name = 'aws';

  constructor(
    private readonly config: AwsGateConfig,
    private readonly options: AwsGateOptions = {},
  ) {}

  async check(target: GateTarget): Promise<GateResult> {
    const outputs = await target.outputs();
    const asgName = outputs[WEB_ASG_OUTPUT];
    if (typeof asgName !== 'string' || !asgName) {
      return { ok: false, detail: `the stack has no output ${WEB_ASG_OUTPUT}, so there is no auto scaling group to check` };
    }
    const aws = await this.clients(target.spec.region);
    const deadline = Date.now() + this.config.timeoutMs;
    let last: Observation = { done: false, ok: false, detail: 'not checked' };
    try {
      while (!target.signal.aborted) {
        last = await this.observe(aws, asgName, Date.parse(target.appliedSince) - CLOCK_SKEW_MS);
        if (last.done) return { ok: last.ok, detail: last.detail };
        if (Date.now() + this.config.intervalMs > deadline) break;
        await sleep(this.config.intervalMs, target.signal);
      }
    } finally {
      aws.destroy();
    }
    const why = target.signal.aborted ? 'interrupted' : `not healthy within ${formatDuration(this.config.timeoutMs)}`;
    return { ok: false, detail: `${asgName}: ${why}; last seen: ${last.detail}` };
  }

  private async observe(aws: AwsClients, asgName: string, since: number): Promise<Observation> {
    const refreshes = await aws.autoScaling.send(
      new aws.DescribeInstanceRefreshesCommand({ AutoScalingGroupName: asgName, MaxRecords: 10 }),
    );
    // Newest first; only a refresh this apply could have started counts.
    const refresh = (refreshes.InstanceRefreshes ?? [])
      .filter((r) => (r.StartTime?.getTime() ?? 0) >= since)
      .sort((a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0))[0];
    let refreshNote = 'no instance refresh since the apply';
    if (refresh) {
      const status = refresh.Status ?? 'Unknown';
      const progress = refresh.PercentageComplete === undefined ? '' : ` ${refresh.PercentageComplete}%`;
      refreshNote = `instance refresh ${refresh.InstanceRefreshId ?? ''} ${status}${progress}`.replace(/\s+/g, ' ');
      if (REFRESH_RUNNING.has(status)) return { done: false, ok: false, detail: refreshNote };
      if (status !== 'Successful') {
        return { done: true, ok: false, detail: `${asgName}: ${refreshNote}${refresh.StatusReason ? ` (${refresh.StatusReason})` : ''}` };
      }
    }

    const groups = await aws.autoScaling.send(new aws.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [asgName] }));
    const group = groups.AutoScalingGroups?.[0];
    if (!group) return { done: true, ok: false, detail: `${asgName}: no such auto scaling group in this account and region` };
    const targetGroups = group.TargetGroupARNs ?? [];
    if (targetGroups.length === 0) return { done: true, ok: false, detail: `${asgName}: has no target group to check` };
    const desired = group.DesiredCapacity ?? 1;

    const states: string[] = [];
    for (const arn of targetGroups) {
      const health = await aws.elb.send(new aws.DescribeTargetHealthCommand({ TargetGroupArn: arn }));
      for (const description of health.TargetHealthDescriptions ?? []) {
        states.push(`${description.Target?.Id ?? '?'}=${description.TargetHealth?.State ?? 'unknown'}`);
      }
    }
    const healthy = states.filter((s) => s.endsWith('=healthy')).length;
    const seen = `${refreshNote}; ${healthy}/${states.length} targets healthy (desired ${desired})`;
    // Every registered target healthy, and at least the group's desired capacity of them.
    if (healthy === states.length && healthy >= desired * targetGroups.length)
      return { done: true, ok: true, detail: `${asgName}: ${seen}` };
    return { done: false, ok: false, detail: `${seen}: ${states.filter((s) => !s.endsWith('=healthy')).join(', ') || 'too few targets'}` };
  }

  private async clients(region: string): Promise<AwsClients> {
    const autoScalingSdk = await import('@aws-sdk/client-auto-scaling');
    const elbSdk = await import('@aws-sdk/client-elastic-load-balancing-v2');
    const config = {
      region,
      ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
      ...(this.options.credentials ? { credentials: this.options.credentials } : {}),
    };
    const autoScaling = new autoScalingSdk.AutoScalingClient(config);
    const elb = new elbSdk.ElasticLoadBalancingV2Client(config);
    return {
      autoScaling,
      elb,
      DescribeInstanceRefreshesCommand: autoScalingSdk.DescribeInstanceRefreshesCommand,
      DescribeAutoScalingGroupsCommand: autoScalingSdk.DescribeAutoScalingGroupsCommand,
      DescribeTargetHealthCommand: elbSdk.DescribeTargetHealthCommand,
      destroy: () => {
        autoScaling.destroy();
        elb.destroy();
      },
    };
  }
}

type AutoScalingSdk = typeof import('@aws-sdk/client-auto-scaling');
type ElbSdk = typeof import('@aws-sdk/client-elastic-load-balancing-v2');

interface AwsClients {
  readonly autoScaling: InstanceType<AutoScalingSdk['AutoScalingClient']>;
  readonly elb: InstanceType<ElbSdk['ElasticLoadBalancingV2Client']>;
  readonly DescribeInstanceRefreshesCommand: AutoScalingSdk['DescribeInstanceRefreshesCommand'];
  readonly DescribeAutoScalingGroupsCommand: AutoScalingSdk['DescribeAutoScalingGroupsCommand'];
  readonly DescribeTargetHealthCommand: ElbSdk['DescribeTargetHealthCommand'];
  destroy(): void;
}
