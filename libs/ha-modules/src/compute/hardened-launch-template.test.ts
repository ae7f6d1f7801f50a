import { describe, expect, it } from 'vitest';
import { TerraformOutput } from 'cdktf';
import { policyOf, serviceTrust } from '../testing/policy.js';
import { ref, synthesize, testStack, type SynthResource } from '../testing/synth.js';
import { KMS_KEY_ARN, placementOf, VPC_ID } from '../testing/values.js';
import {
  HardenedLaunchTemplate,
  type HardenedLaunchTemplateProps,
  type InstanceGroupSettings,
  type InstancePolicyStatement,
} from './hardened-launch-template.js';

/** The instances' subnets, one per zone. */
const SUBNET_IDS = ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'];

function synthTemplate(
  overrides: Partial<HardenedLaunchTemplateProps> = {},
  policies: [string, InstancePolicyStatement[]][] = [],
  group?: InstanceGroupSettings,
) {
  return synthesize(
    testStack((scope) => {
      const template = new HardenedLaunchTemplate(scope, 'instances', {
        name: 'acme-web',
        purpose: 'web/app instances',
        placement: placementOf(SUBNET_IDS),
        amiId: 'ami-0123456789abcdef0',
        instanceType: 't3.large',
        kmsKeyArn: KMS_KEY_ARN,
        ...overrides,
      });
      for (const [name, statements] of policies) template.addInlinePolicy(name, statements);
      if (group) new TerraformOutput(scope, 'group', { value: template.autoScalingGroupSettings(group) });
    }),
  );
}

describe('HardenedLaunchTemplate', () => {
  it('requires IMDSv2 with one hop, encrypts a gp3 root volume with the tenant key and has no key pair', () => {
    const { single } = synthTemplate();
    const [, template] = single('aws_launch_template');
    expect(template['metadata_options']).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 });
    expect(template['block_device_mappings']).toEqual([
      {
        device_name: '/dev/xvda',
        ebs: { volume_type: 'gp3', volume_size: 30, encrypted: 'true', kms_key_id: KMS_KEY_ARN, delete_on_termination: 'true' },
      },
    ]);
    expect(template).toMatchObject({ name: 'acme-web', image_id: 'ami-0123456789abcdef0', instance_type: 't3.large' });
    expect(template).not.toHaveProperty('key_name');
    expect(template).not.toHaveProperty('user_data');
  });

  it('passes base64 user data through unchanged', () => {
    const userData = Buffer.from('#!/bin/bash\nsystemctl enable --now moodle-cron.timer\n').toString('base64');
    expect(synthTemplate({ userData }).single('aws_launch_template')[1]['user_data']).toBe(userData);
  });

  it('gives the instances their own security group with no rule in it', () => {
    const { single, resources } = synthTemplate();
    const [groupId, group] = single('aws_security_group');
    expect(group).toMatchObject({ name: 'acme-web', vpc_id: VPC_ID });
    expect(group).not.toHaveProperty('ingress');
    expect(group).not.toHaveProperty('egress');
    expect(single('aws_launch_template')[1]['vpc_security_group_ids']).toEqual([ref('aws_security_group', groupId)]);
    expect(resources('aws_vpc_security_group_ingress_rule')).toEqual({});
    expect(resources('aws_vpc_security_group_egress_rule')).toEqual({});
  });

  it('grants the role only SSM until policies are added', () => {
    const { single, resources } = synthTemplate();
    const [roleId, role] = single('aws_iam_role');
    expect(role['name']).toBe('acme-web-instance');
    expect(policyOf(role, 'assume_role_policy')).toEqual(serviceTrust('ec2.amazonaws.com'));
    expect(Object.values(resources('aws_iam_role_policy_attachment'))).toEqual([
      { role: ref('aws_iam_role', roleId, 'name'), policy_arn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' },
    ]);
    expect(resources('aws_iam_role_policy')).toEqual({});
    expect(single('aws_iam_instance_profile')[1]).toMatchObject({ name: 'acme-web-instance', role: ref('aws_iam_role', roleId, 'name') });
  });

  it('writes added policies as they were given, one inline policy each', () => {
    const { resources, single } = synthTemplate({}, [
      ['read-content', [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::acme-content/*'] }]],
      [
        'cache-connect',
        [
          {
            actions: ['elasticache:Connect'],
            resources: ['arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:acme'],
            conditions: { StringEquals: { 'aws:ResourceAccount': '123456789012' } },
          },
          { effect: 'Deny', actions: ['s3:DeleteObject'], resources: ['arn:aws:s3:::acme-content/*'] },
        ],
      ],
    ]);
    const [roleId] = single('aws_iam_role');
    const policies: Record<string, SynthResource> = Object.fromEntries(
      Object.values(resources('aws_iam_role_policy')).map((p) => [p['name'] as string, p]),
    );
    expect(Object.keys(policies).sort()).toEqual(['cache-connect', 'read-content']);
    for (const policy of Object.values(policies)) expect(policy['role']).toBe(ref('aws_iam_role', roleId));
    expect(policyOf(policies['cache-connect']!)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['elasticache:Connect'],
          Resource: ['arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:acme'],
          Condition: { StringEquals: { 'aws:ResourceAccount': '123456789012' } },
        },
        { Effect: 'Deny', Action: ['s3:DeleteObject'], Resource: ['arn:aws:s3:::acme-content/*'] },
      ],
    });
  });

  it('refuses policies that are not least-privilege or not valid', () => {
    const add = (name: string, statements: InstancePolicyStatement[]) => () => synthTemplate({}, [[name, statements]]);
    const bucket = ['arn:aws:s3:::acme-content/*'];
    expect(add('all', [{ actions: ['*'], resources: bucket }])).toThrow(/\* grants a whole service/);
    expect(add('s3', [{ actions: ['s3:GetObject', 's3:*'], resources: bucket }])).toThrow(/s3:\* grants a whole service/);
    expect(add('empty', [])).toThrow(/at least one statement/);
    expect(add('no-actions', [{ actions: [], resources: bucket }])).toThrow(/needs actions and resources/);
    expect(add('bad name', [{ actions: ['s3:GetObject'], resources: bucket }])).toThrow(/inline policy "bad name": the name must be/);
  });

  it('keeps role names within the 64 IAM characters for long tenant names', () => {
    const name = `${'a-very-long-tenant-name-of-32-ch'}-worker`;
    const roleName = synthTemplate({ name }).single('aws_iam_role')[1]['name'] as string;
    expect(roleName.length).toBeLessThanOrEqual(64);
    expect(roleName).toBe(`${name}-instance`);
    const longer = synthTemplate({ name: `${'x'.repeat(60)}-web` }).single('aws_iam_role')[1]['name'] as string;
    expect(longer.length).toBe(64);
    expect(longer.endsWith('-instance')).toBe(true);
  });

  it('gives its auto scaling groups its name, a pinned version, a rolling refresh that rolls back, metrics and the Name tag', () => {
    const settings = (group: InstanceGroupSettings) => {
      const { outputs, single } = synthTemplate({}, [], group);
      return { templateId: single('aws_launch_template')[0], group: outputs['group'] as SynthResource };
    };
    const { templateId, group } = settings({ healthCheckGraceSeconds: 240, minHealthyPercent: 90 });
    expect(group).toEqual({
      name: 'acme-web',
      vpcZoneIdentifier: SUBNET_IDS,
      healthCheckGracePeriod: 240,
      launchTemplate: { id: ref('aws_launch_template', templateId), version: ref('aws_launch_template', templateId, 'latest_version') },
      instanceRefresh: {
        strategy: 'Rolling',
        preferences: { minHealthyPercentage: 90, instanceWarmup: '240', autoRollback: true, skipMatching: true },
      },
      enabledMetrics: [
        'GroupMinSize',
        'GroupMaxSize',
        'GroupDesiredCapacity',
        'GroupInServiceInstances',
        'GroupPendingInstances',
        'GroupTerminatingInstances',
        'GroupTotalInstances',
      ],
      tag: [{ key: 'Name', value: 'acme-web', propagateAtLaunch: true }],
    });
    const capped = settings({ healthCheckGraceSeconds: 300, minHealthyPercent: 0, maxHealthyPercent: 100 }).group;
    expect(capped['instanceRefresh']).toMatchObject({
      preferences: { minHealthyPercentage: 0, maxHealthyPercentage: 100, instanceWarmup: '300' },
    });
  });

  it('rejects root volume sizes gp3 cannot have', () => {
    expect(() => synthTemplate({ rootVolumeGiB: 0 })).toThrow(/rootVolumeGiB must be a whole number of GiB/);
    expect(() => synthTemplate({ rootVolumeGiB: 20.5 })).toThrow(/rootVolumeGiB/);
  });
});
