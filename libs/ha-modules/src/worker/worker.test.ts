import { describe, expect, it } from 'vitest';
import { Network } from '../network/network.js';
import { networkProps, subnetRefs, webTier, worker } from '../testing/fixtures.js';
import { withoutDescription } from '../testing/security-group-rules.js';
import { addOutputs, ref, synthesize, testStack } from '../testing/synth.js';
import { KMS_KEY_ARN, VPC_ID } from '../testing/values.js';
import type { Worker, WorkerProps } from './worker.js';

const OUTPUTS = ['autoScalingGroupName', 'securityGroupId', 'instanceRoleName', 'instanceRoleArn'] as const;

function synthWorker(overrides: Partial<WorkerProps> = {}, options: { withWebTier?: boolean; extend?: (w: Worker) => void } = {}) {
  const synth = synthesize(
    testStack((scope) => {
      const network = new Network(scope, 'network', networkProps());
      if (options.withWebTier) webTier(scope, network);
      const cron = worker(scope, network, overrides);
      addOutputs(scope, cron, OUTPUTS);
      options.extend?.(cron);
    }),
  );
  /** Resources of `type` created by the worker construct (logical ids start with its path). */
  const own = (type: string) => Object.entries(synth.resources(type)).filter(([id]) => id.startsWith('worker_'));
  return { ...synth, own, single: (type: string) => synth.single(type, 'worker') };
}

describe('Worker', () => {
  it('keeps exactly one instance, in any of the app subnets, replaced when EC2 finds it unhealthy', () => {
    const synth = synthWorker();
    const [, asg] = synth.single('aws_autoscaling_group');
    const appSubnets = subnetRefs(synth, 'app');
    expect(appSubnets).toHaveLength(3);
    expect(asg).toMatchObject({
      name: 'acme-worker',
      min_size: 1,
      max_size: 1,
      desired_capacity: 1,
      health_check_type: 'EC2',
      health_check_grace_period: 300,
      tag: [{ key: 'Name', value: 'acme-worker', propagate_at_launch: true }],
    });
    expect([...(asg['vpc_zone_identifier'] as string[])].sort()).toEqual(appSubnets.sort());
    expect(asg['enabled_metrics']).toContain('GroupInServiceInstances');
  });

  it('is never behind the load balancer', () => {
    const [, asg] = synthWorker({}, { withWebTier: true }).single('aws_autoscaling_group');
    expect(asg).not.toHaveProperty('target_group_arns');
    expect(asg).not.toHaveProperty('load_balancers');
  });

  it('replaces its instance on a new template by terminating first, so two cron nodes never overlap, and rolls back', () => {
    const { single } = synthWorker();
    const [, asg] = single('aws_autoscaling_group');
    const [templateId] = single('aws_launch_template');
    expect(asg['launch_template']).toEqual({
      id: ref('aws_launch_template', templateId),
      version: ref('aws_launch_template', templateId, 'latest_version'),
    });
    expect(asg['instance_refresh']).toEqual({
      strategy: 'Rolling',
      preferences: {
        min_healthy_percentage: 0,
        max_healthy_percentage: 100,
        instance_warmup: '300',
        auto_rollback: true,
        skip_matching: true,
      },
    });
    expect(asg).not.toHaveProperty('lifecycle');
  });

  it('starts from the hardened template: same AMI, IMDSv2, tenant-key encryption, no key pair', () => {
    const { single } = synthWorker({ rootVolumeGiB: 40, rootDeviceName: '/dev/sda1' });
    const [, template] = single('aws_launch_template');
    const [securityGroupId] = single('aws_security_group');
    expect(template).toMatchObject({
      name: 'acme-worker',
      image_id: 'ami-0123456789abcdef0',
      instance_type: 't3.medium',
      metadata_options: { http_tokens: 'required', http_endpoint: 'enabled', http_put_response_hop_limit: 1 },
      vpc_security_group_ids: [ref('aws_security_group', securityGroupId)],
      block_device_mappings: [
        {
          device_name: '/dev/sda1',
          ebs: { volume_type: 'gp3', volume_size: 40, encrypted: 'true', kms_key_id: KMS_KEY_ARN, delete_on_termination: 'true' },
        },
      ],
    });
    expect(template).not.toHaveProperty('key_name');
    expect(synthWorker({ instanceType: 't3.small' }).single('aws_launch_template')[1]['instance_type']).toBe('t3.small');
  });

  it('has its own role, with SSM only, separate from the web instances', () => {
    const { single, own } = synthWorker({}, { withWebTier: true });
    const [roleId, role] = single('aws_iam_role');
    expect(role['name']).toBe('acme-worker-instance');
    expect(own('aws_iam_role_policy_attachment').map(([, r]) => r)).toEqual([
      { role: ref('aws_iam_role', roleId, 'name'), policy_arn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' },
    ]);
    expect(own('aws_iam_role_policy')).toEqual([]);
  });

  it('accepts no connection at all and only talks HTTPS out', () => {
    const { single, own, resources } = synthWorker({}, { withWebTier: true });
    const [groupId, group] = single('aws_security_group');
    const sg = ref('aws_security_group', groupId);
    expect(group).toMatchObject({ name: 'acme-worker' });
    expect(group).not.toHaveProperty('ingress');
    expect(group).not.toHaveProperty('egress');
    const touching = (type: string) =>
      Object.values(resources(type)).filter((r) => r['security_group_id'] === sg || r['referenced_security_group_id'] === sg);
    expect(touching('aws_vpc_security_group_ingress_rule')).toEqual([]);
    expect(touching('aws_vpc_security_group_egress_rule').map(withoutDescription)).toEqual([
      { security_group_id: sg, ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '0.0.0.0/0' },
    ]);
    expect(own('aws_vpc_security_group_egress_rule')).toHaveLength(1);
  });

  it('adds least-privilege inline policies on request, with references encoded by terraform', () => {
    const { single, own } = synthWorker(
      {},
      {
        extend: (cron) =>
          cron.addInstancePolicy('cache-connect', [
            {
              actions: ['elasticache:Connect'],
              resources: [cron.instanceRoleArn, 'arn:aws:elasticache:eu-west-1:123456789012:user:acme-app'],
            },
          ]),
      },
    );
    const [roleId] = single('aws_iam_role');
    const policies = own('aws_iam_role_policy').map(([, r]) => r);
    expect(policies).toHaveLength(1);
    expect(policies[0]).toMatchObject({ name: 'cache-connect', role: ref('aws_iam_role', roleId) });
    const policy = policies[0]!['policy'] as string;
    expect(policy).toMatch(/^\$\{jsonencode\(/);
    expect(policy).toContain('"Action" = ["elasticache:Connect"]');
    expect(policy).toContain(`"Resource" = [aws_iam_role.${roleId}.arn, "arn:aws:elasticache:eu-west-1:123456789012:user:acme-app"]`);
  });

  it('exposes its outputs as references to the resources', () => {
    const { outputs, single } = synthWorker();
    const [asgId] = single('aws_autoscaling_group');
    const [groupId] = single('aws_security_group');
    const [roleId] = single('aws_iam_role');
    expect(outputs).toEqual({
      autoScalingGroupName: ref('aws_autoscaling_group', asgId, 'name'),
      securityGroupId: ref('aws_security_group', groupId),
      instanceRoleName: ref('aws_iam_role', roleId, 'name'),
      instanceRoleArn: ref('aws_iam_role', roleId, 'arn'),
    });
  });

  it('refuses to run without subnets', () => {
    expect(() => synthWorker({ placement: { vpcId: VPC_ID, subnets: [] } })).toThrow(
      'acme-worker: placement needs subnets in at least 1 zone, got none; give the app subnets of every zone (Network.appPlacement)',
    );
  });
});
