import { describe, expect, it } from 'vitest';
import { resolveProviderMirror } from '@hafleet/terraform';
import { Network } from './network/network.js';
import { networkProps, webTier } from './testing/fixtures.js';
import { offlineAwsProvider } from './testing/offline.js';
import { planOffline } from './testing/plan-offline.js';

/** The real terraform and AWS provider accept what the constructs synthesize, with no AWS account. */
describe.skipIf(resolveProviderMirror() === undefined)('Network + WebTier with the real terraform', () => {
  it('initialises, validates and plans offline', async () => {
    const summary = await planOffline((stack) => {
      offlineAwsProvider(stack);
      webTier(stack, new Network(stack, 'network', networkProps()));
    });

    expect(summary).toMatchObject({ change: 0, destroy: 0, replace: 0 });
    expect(summary.add).toBe(summary.changes.length);
    const count = (type: string) => summary.changes.filter((c) => c.type === type && c.action === 'create').length;
    expect(count('aws_subnet')).toBe(9);
    expect(count('aws_nat_gateway')).toBe(3);
    expect(count('aws_default_security_group')).toBe(1);
    expect(count('aws_flow_log')).toBe(1);
    expect(count('aws_lb_listener')).toBe(2);
    expect(count('aws_vpc_security_group_ingress_rule')).toBe(5);
    expect(count('aws_autoscaling_group')).toBe(1);
    expect(count('aws_autoscaling_policy')).toBe(1);
  });
});
