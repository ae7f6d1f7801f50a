import { MINUTE, type AlarmSpec, type Metric } from '../alarm-spec.js';

/** The tenant's application load balancer and its target group (e.g. `WebTier.albArnSuffix`). */
export interface WatchedLoadBalancer {
  /** `app/<name>/<id>`: the load balancer's CloudWatch dimension. */
  readonly arnSuffix: string;
  /** `targetgroup/<name>/<id>`: the target group's CloudWatch dimension. */
  readonly targetGroupArnSuffix: string;
  /** 95th-percentile target response time that raises the alarm, in seconds. @default 2 */
  readonly targetResponseTimeSeconds?: number;
}

export function loadBalancerAlarms(lb: WatchedLoadBalancer): AlarmSpec[] {
  const alb = (metricName: string, stat: string, targetGroup = false): Metric => ({
    namespace: 'AWS/ApplicationELB',
    metricName,
    dimensions: targetGroup ? { LoadBalancer: lb.arnSuffix, TargetGroup: lb.targetGroupArnSuffix } : { LoadBalancer: lb.arnSuffix },
    stat,
  });
  const responseTime = lb.targetResponseTimeSeconds ?? 2;
  return [
    {
      id: 'alb-5xx-rate',
      title: 'Load balancer: 5xx responses (% of requests)',
      description: 'More than 5 % of requests answered 5xx (by the load balancer or the instances) for 5 minutes.',
      period: MINUTE,
      periods: 5,
      missingData: 'notBreaching',
      condition: {
        kind: 'expression',
        // Requests the load balancer rejects itself (no healthy target) are not in RequestCount: add them back.
        metrics: {
          requests: alb('RequestCount', 'Sum'),
          elb5xx: alb('HTTPCode_ELB_5XX_Count', 'Sum'),
          target5xx: alb('HTTPCode_Target_5XX_Count', 'Sum'),
        },
        expression:
          'IF((FILL(requests, 0) + FILL(elb5xx, 0)) > 0, ' +
          '100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / (FILL(requests, 0) + FILL(elb5xx, 0)), 0)',
        label: '5xx %',
        above: true,
        threshold: 5,
      },
    },
    {
      id: 'alb-unhealthy-hosts',
      title: 'Load balancer: unhealthy instances',
      // Auto scaling replaces a failing instance within minutes; 5 minutes means self-healing is not working.
      description: 'At least one instance failed the target group health check for 5 minutes.',
      period: MINUTE,
      periods: 5,
      missingData: 'notBreaching',
      condition: { kind: 'threshold', metric: alb('UnHealthyHostCount', 'Maximum', true), above: true, threshold: 0 },
    },
    {
      id: 'alb-response-time',
      title: 'Load balancer: target response time p95 (s)',
      description: `95th-percentile response time of the instances above ${responseTime} s for 5 minutes.`,
      period: MINUTE,
      periods: 5,
      missingData: 'notBreaching',
      condition: { kind: 'threshold', metric: alb('TargetResponseTime', 'p95', true), above: true, threshold: responseTime },
    },
  ];
}
