import { describe, expect, it } from 'vitest';
import { TerraformStack } from 'cdktf';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Network } from '../network/network.js';
import { networkProps, subnetRefs } from '../testing/fixtures.js';
import { synthesize, testStack } from '../testing/synth.js';
import { KMS_KEY_ARN } from '../testing/values.js';
import { DatabaseProvisioner } from './provisioner.js';

function synthProvisioner(extend?: (job: DatabaseProvisioner, stack: TerraformStack, network: Network) => void) {
  return synthesize(
    testStack((stack) => {
      const network = new Network(stack, 'network', networkProps());
      const job = new DatabaseProvisioner(stack, 'db-provisioner', {
        name: 'acme',
        placement: network.appPlacement,
        amiId: 'ami-0123456789abcdef0',
        kmsKeyArn: KMS_KEY_ARN,
      });
      extend?.(job, stack, network);
    }),
  );
}

describe('DatabaseProvisioner', () => {
  it('launches its one job instance once, in the app subnets, and leaves the capacity the job sets back to 0 alone', () => {
    const synth = synthProvisioner();
    const [, asg] = synth.single('aws_autoscaling_group');
    expect(asg).toMatchObject({
      name: 'acme-db-provisioner',
      min_size: 0,
      max_size: 1,
      desired_capacity: 1,
      health_check_type: 'EC2',
      health_check_grace_period: 600,
      lifecycle: { ignore_changes: ['desired_capacity'] },
    });
    expect([...(asg['vpc_zone_identifier'] as string[])].sort()).toEqual(subnetRefs(synth, 'app').sort());
    expect(asg['instance_refresh']).toMatchObject({ preferences: { min_healthy_percentage: 0, max_healthy_percentage: 100 } });
    expect(synth.single('aws_launch_template')[1]).toMatchObject({ name: 'acme-db-provisioner', instance_type: 't3.micro' });
  });

  it('starts only after what it runs after exists, named by bare addresses', () => {
    const { single } = synthProvisioner((job, stack, network) => {
      job.runAfter([new SecurityGroup(stack, 'database', { name: 'acme-db', vpcId: network.vpcId })]);
    });
    expect(single('aws_autoscaling_group')[1]['depends_on']).toEqual(['aws_security_group.database']);
  });
});
