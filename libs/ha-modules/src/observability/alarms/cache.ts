import { MINUTE, type AlarmSpec, type Metric } from '../alarm-spec.js';

/** The tenant's ElastiCache (Valkey/Redis OSS, cluster mode disabled) replication group. */
export interface WatchedCache {
  readonly replicationGroupId: string;
  /**
   * Member cache clusters (nodes); ElastiCache publishes its metrics per node, not per group.
   * @default `<replicationGroupId>-001` and `-002`, the primary and first replica ElastiCache names
   */
  readonly memberClusterIds?: string[];
}

export function cacheAlarms(cache: WatchedCache): AlarmSpec[] {
  const members = cache.memberClusterIds ?? [`${cache.replicationGroupId}-001`, `${cache.replicationGroupId}-002`];
  const node = (metricName: string, member: string, stat: string): Metric => ({
    namespace: 'AWS/ElastiCache',
    metricName,
    dimensions: { CacheClusterId: member },
    stat,
  });
  return members.flatMap((member, index): AlarmSpec[] => [
    {
      id: `cache-node-${index + 1}-memory`,
      title: `Cache node-${index + 1}: memory used (%)`,
      description: `Memory used by cache node ${member} above 80 % for 5 minutes.`,
      period: MINUTE,
      periods: 5,
      missingData: 'missing',
      condition: { kind: 'threshold', metric: node('DatabaseMemoryUsagePercentage', member, 'Maximum'), above: true, threshold: 80 },
    },
    {
      id: `cache-node-${index + 1}-evictions`,
      title: `Cache node-${index + 1}: evictions`,
      // Evicted keys are lost sessions: alarm when it keeps happening, not on one burst.
      description: `Cache node ${member} evicted keys in each of 3 consecutive 5-minute periods.`,
      period: 5 * MINUTE,
      periods: 3,
      missingData: 'notBreaching',
      condition: { kind: 'threshold', metric: node('Evictions', member, 'Sum'), above: true, threshold: 0 },
    },
  ]);
}
