import { describe, expect, it } from 'vitest';
import { TerraformOutput } from 'cdktf';
import { resolveProviderMirror } from '@hafleet/terraform';
import { Network } from '../network/network.js';
import { webAcl, worker } from '../testing/edge-fixtures.js';
import { networkProps, webTier } from '../testing/fixtures.js';
import { offlineAwsProvider } from '../testing/offline.js';
import { planOffline } from '../testing/plan-offline.js';
import { OriginVerifySecret } from './origin-secret.js';

/** The whole edge and compute layer of a tenant, accepted by the real terraform and AWS provider. */
describe.skipIf(resolveProviderMirror() === undefined)('edge + web tier + worker with the real terraform', () => {
  it('initialises, validates and plans offline', async () => {
    const summary = await planOffline((stack) => {
      offlineAwsProvider(stack);
      const network = new Network(stack, 'network', networkProps());
      const secret = new OriginVerifySecret(stack, 'origin-secret');
      const web = webTier(stack, network, { originVerify: { headerName: secret.headerName, secret: secret.value } });
      web.addInstancePolicy('read-content', [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::acme-content/*'] }]);
      webAcl(stack, web.albArn, { shieldAdvanced: true });
      const cron = worker(stack, network);
      // A reference to another resource goes through terraform's jsonencode.
      cron.addInstancePolicy('cache-connect', [{ actions: ['elasticache:Connect'], resources: [web.albArn] }]);
      new TerraformOutput(stack, 'origin_secret', { value: secret.value, sensitive: true });
    });

    expect(summary).toMatchObject({ change: 0, destroy: 0, replace: 0 });
    expect(summary.add).toBe(summary.changes.length);
    const count = (type: string) => summary.changes.filter((c) => c.type === type && c.action === 'create').length;
    expect(count('terraform_data')).toBe(1);
    expect(count('aws_lb')).toBe(1);
    expect(count('aws_lb_listener')).toBe(2);
    expect(count('aws_lb_listener_rule')).toBe(1);
    expect(count('aws_wafv2_web_acl')).toBe(1);
    expect(count('aws_wafv2_web_acl_association')).toBe(1);
    expect(count('aws_wafv2_web_acl_logging_configuration')).toBe(1);
    expect(count('aws_cloudwatch_log_group')).toBe(2); // flow logs and WAF logs
    expect(count('aws_shield_protection')).toBe(1);
    expect(count('aws_launch_template')).toBe(2);
    expect(count('aws_autoscaling_group')).toBe(2);
    expect(count('aws_iam_role_policy')).toBe(3); // flow logs, web, worker
    expect(count('aws_security_group')).toBe(3); // alb, web, worker
  });
});
