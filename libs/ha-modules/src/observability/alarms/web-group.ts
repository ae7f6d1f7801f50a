import { MINUTE, type AlarmSpec } from '../alarm-spec.js';

/** The web/app auto scaling group; it must publish group metrics (WebTier enables them). */
export interface WatchedAutoScalingGroup {
  readonly name: string;
  /** Instances that must be in service; fewer for 10 minutes raises the alarm. At least 1. */
  readonly minCapacity: number;
}

export function autoScalingAlarms(group: WatchedAutoScalingGroup): AlarmSpec[] {
  return [
    {
      id: 'web-in-service',
      title: 'Web tier: instances in service',
      // 10 minutes: a rolling instance refresh briefly runs one instance short.
      description: `Fewer than ${group.minCapacity} web/app instances in service for 10 minutes.`,
      period: MINUTE,
      periods: 10,
      // Group metrics come every minute; silence means the group or its metrics are gone.
      missingData: 'breaching',
      condition: {
        kind: 'threshold',
        metric: {
          namespace: 'AWS/AutoScaling',
          metricName: 'GroupInServiceInstances',
          dimensions: { AutoScalingGroupName: group.name },
          stat: 'Minimum',
        },
        above: false,
        threshold: group.minCapacity,
      },
    },
  ];
}

