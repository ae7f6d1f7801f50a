import type { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';

export interface AlertTopicProps {
  /** Tenant name: alarm names start with it. */
  readonly name: string;
  /** The topic's name, e.g. `<name>-alerts`. */
  readonly topicName: string;
  readonly accountId: string;
  /** Region of the topic (and of the alarms that publish to it). */
  readonly region: string;
  /** Key encrypting the topic, in `region`: its policy must let every publisher use it. */
  readonly kmsKeyArn: string;
  readonly alertEmails: string[];
  /** RDS event subscriptions publish here too. @default false */
  readonly rdsEvents?: boolean;
  /** Provider of `region`. @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

const SNS_MANAGE_ACTIONS = [
  'sns:GetTopicAttributes',
  'sns:SetTopicAttributes',
  'sns:AddPermission',
  'sns:RemovePermission',
  'sns:DeleteTopic',
  'sns:Subscribe',
  'sns:ListSubscriptionsByTopic',
];

/**
 * An encrypted SNS topic that the tenant's own alarms (and, when asked, its RDS events) may
 * publish to, with one email subscription per owner; its resources are children of `scope`.
 * Auto Scaling notifications need no statement here: the Auto Scaling service-linked role is an
 * IAM principal of the account, allowed by its own policy.
 */
export function createAlertTopic(scope: Construct, props: AlertTopicProps): string {
  const { name, accountId, region, provider } = props;
  const topic = new SnsTopic(scope, 'topic', {
    provider,
    name: props.topicName,
    displayName: `${name} alerts${provider ? ` (${region})` : ''}`,
    kmsMasterKeyId: props.kmsKeyArn,
    tags: { Name: props.topicName },
  });
  // A service may publish on behalf of sources of this account only (confused-deputy protection).
  const servicePublishes = (sid: string, service: string, sourceArn: string) => ({
    Sid: sid,
    Effect: 'Allow',
    Principal: { Service: service },
    Action: 'sns:Publish',
    Resource: topic.arn,
    Condition: { StringEquals: { 'aws:SourceAccount': accountId }, ArnLike: { 'aws:SourceArn': sourceArn } },
  });
  new SnsTopicPolicy(scope, 'topic-policy', {
    provider,
    arn: topic.arn,
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AccountManagesTopic',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: SNS_MANAGE_ACTIONS,
          Resource: topic.arn,
        },
        servicePublishes('TenantAlarmsPublish', 'cloudwatch.amazonaws.com', `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}-*`),
        // RDS names the database or cluster the event is about as the source.
        ...(props.rdsEvents
          ? [servicePublishes('DatabaseEventsPublish', 'events.rds.amazonaws.com', `arn:aws:rds:${region}:${accountId}:*`)]
          : []),
      ],
    }),
  });
  for (const email of props.alertEmails) {
    new SnsTopicSubscription(scope, `email-${email.toLowerCase()}`, { provider, topicArn: topic.arn, protocol: 'email', endpoint: email });
  }
  return topic.arn;
}
