import { expect, it } from 'vitest';
import { Network } from './network/network.js';
import { networkProps, webTier } from './testing/fixtures.js';
import { offlineAwsProvider } from './testing/offline.js';
import { createdCounts, describeWithTerraform, expectOnlyCreates, planOffline } from './testing/plan-offline.js';

/** The real terraform and AWS provider accept what the constructs synthesize, with no AWS account. */
describeWithTerraform('Network + WebTier with the real terraform', () => {
  it('initialises, validates and plans offline', async () => {
    const summary = await planOffline((stack) => {
      offlineAwsProvider(stack);
      webTier(stack, new Network(stack, 'network', networkProps()));
    });

    expectOnlyCreates(summary);
    expect(createdCounts(summary)).toMatchObject({
      aws_subnet: 9,
      aws_nat_gateway: 3,
      aws_default_security_group: 1,
      aws_flow_log: 1,
      aws_lb_listener: 2,
      aws_vpc_security_group_ingress_rule: 5,
      aws_autoscaling_group: 1,
      aws_autoscaling_policy: 1,
    });
  });
});
