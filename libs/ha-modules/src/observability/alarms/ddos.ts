import { MINUTE, type AlarmSpec } from '../alarm-spec.js';

/** A resource Shield Advanced protects. */
export interface WatchedShieldProtection {
  /** Short, constant name in the alarm id, e.g. `alb` or `cdn`. */
  readonly id: string;
  /** The protected resource's ARN (the `ResourceArn` dimension Shield publishes under). */
  readonly resourceArn: string;
  /** What it is, for the description, e.g. `the load balancer`. */
  readonly usedBy: string;
  /** A global resource (CloudFront): Shield publishes its metrics in us-east-1. @default false */
  readonly global?: boolean;
}

/**
 * Shield Advanced detects an attack but tells nobody by itself: `DDoSDetected` is 1 while an event
 * lasts. The on-call person then checks the WAF rate limits and, with a subscription's response team,
 * can open a case.
 */
export function ddosAlarms(protections: WatchedShieldProtection[]): AlarmSpec[] {
  return protections.map((protection): AlarmSpec => ({
    id: `ddos-${protection.id}-detected`,
    title: `DDoS on ${protection.usedBy}`,
    description:
      `Shield Advanced detected a DDoS attack on ${protection.usedBy}: ` +
      `check the WAF's blocked requests and rate limits; the Shield Response Team can help.`,
    period: MINUTE,
    periods: 1,
    missingData: 'notBreaching',
    global: protection.global ?? false,
    condition: {
      kind: 'threshold',
      metric: {
        namespace: 'AWS/DDoSProtection',
        metricName: 'DDoSDetected',
        dimensions: { ResourceArn: protection.resourceArn },
        stat: 'Maximum',
      },
      above: true,
      threshold: 1,
      orEqual: true,
    },
  }));
}
