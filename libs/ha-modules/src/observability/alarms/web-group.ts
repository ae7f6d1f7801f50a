import { MINUTE, type AlarmSpec } from '../alarm-spec.js';

/** The web/app auto scaling group; it must publish group metrics (WebTier enables them). */
export interface WatchedAutoScalingGroup {
  readonly name: string;
  /** Instances that must be in service; fewer for 10 minutes raises the alarm. At least 1. */
  readonly minCapacity: number;
  /** The group's maximum size: a desired capacity held there for 15 minutes raises the alarm. */
  readonly maxCapacity: number;
}

export function autoScalingAlarms(group: WatchedAutoScalingGroup): AlarmSpec[] {
  const metric = (metricName: string, stat: string) => ({
    namespace: 'AWS/AutoScaling',
    metricName,
    dimensions: { AutoScalingGroupName: group.name },
    stat,
  });
  const inService: AlarmSpec = {
    id: 'web-in-service',
    title: 'Web tier: instances in service',
    // 10 minutes: a rolling instance refresh briefly runs one instance short.
    description: `Fewer than ${group.minCapacity} web/app instances in service for 10 minutes.`,
    period: MINUTE,
    periods: 10,
    // Group metrics come every minute; silence means the group or its metrics are gone.
    missingData: 'breaching',
    condition: { kind: 'threshold', metric: metric('GroupInServiceInstances', 'Minimum'), above: false, threshold: group.minCapacity },
  };
  // A group fixed at one size has no headroom to spend.
  if (group.maxCapacity === group.minCapacity) return [inService];
  const atMaximum: AlarmSpec = {
    id: 'web-at-maximum',
    title: 'Web tier: desired capacity (at maximum)',
    // Scaling cannot add anything more: the spike headroom is spent and the next surge is served slower or not at all.
    description: `The web/app group wanted its maximum of ${group.maxCapacity} instances for 15 minutes: no scaling headroom is left.`,
    period: MINUTE,
    periods: 15,
    missingData: 'notBreaching',
    condition: {
      kind: 'threshold',
      metric: metric('GroupDesiredCapacity', 'Minimum'),
      above: true,
      orEqual: true,
      threshold: group.maxCapacity,
    },
  };
  return [inService, atMaximum];
}
