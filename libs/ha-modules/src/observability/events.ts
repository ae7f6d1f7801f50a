import type { Construct } from 'constructs';
import { AutoscalingNotification } from '@cdktf/provider-aws/lib/autoscaling-notification';
import { DbEventSubscription } from '@cdktf/provider-aws/lib/db-event-subscription';

/** The tenant database, as the source of RDS events. */
export interface DatabaseEventSource {
  readonly kind: 'instance' | 'cluster';
  /** DB instance identifier or DB cluster identifier. */
  readonly identifier: string;
  /** An Aurora cluster's instances (writer and readers), whose own events (storage, failure) are watched too. */
  readonly instanceIdentifiers?: string[];
}

/**
 * RDS event categories per source type: only those that the source type has and that need a
 * person (failover, failure, maintenance, low storage, notices), not creation, backups or
 * configuration changes, which the apply itself caused.
 */
export const RDS_EVENT_CATEGORIES = {
  'db-instance': ['availability', 'failover', 'failure', 'low storage', 'maintenance', 'notification'],
  'db-cluster': ['failover', 'failure', 'maintenance', 'notification'],
  /** Aurora instances: their failover comes as the cluster's; local storage runs low per instance. */
  'cluster-member': ['availability', 'failure', 'low storage', 'maintenance'],
} as const;

/** Launches and terminations that failed: the group cannot reach or leave the capacity it wants. */
export const AUTO_SCALING_ERROR_NOTIFICATIONS = ['autoscaling:EC2_INSTANCE_LAUNCH_ERROR', 'autoscaling:EC2_INSTANCE_TERMINATE_ERROR'];

export function subscribeDatabaseEvents(scope: Construct, name: string, database: DatabaseEventSource, topicArn: string): void {
  const subscribe = (id: string, sourceType: 'db-instance' | 'db-cluster', sourceIds: string[], categories: readonly string[]) =>
    new DbEventSubscription(scope, id, {
      name: `${name}-${id}`,
      snsTopic: topicArn,
      sourceType,
      sourceIds,
      eventCategories: [...categories],
      enabled: true,
      tags: { Name: `${name}-${id}` },
    });
  if (database.kind === 'instance') {
    subscribe('db-events', 'db-instance', [database.identifier], RDS_EVENT_CATEGORIES['db-instance']);
    return;
  }
  subscribe('db-events', 'db-cluster', [database.identifier], RDS_EVENT_CATEGORIES['db-cluster']);
  const members = database.instanceIdentifiers ?? [];
  if (members.length > 0) subscribe('db-instance-events', 'db-instance', members, RDS_EVENT_CATEGORIES['cluster-member']);
}

/** One notification configuration per group (the resource takes a list, but one per group reads better in a plan). */
export function notifyAutoScalingErrors(scope: Construct, groupNames: Record<string, string>, topicArn: string): void {
  for (const [id, groupName] of Object.entries(groupNames)) {
    new AutoscalingNotification(scope, `${id}-scaling-errors`, {
      groupNames: [groupName],
      notifications: AUTO_SCALING_ERROR_NOTIFICATIONS,
      topicArn,
    });
  }
}
