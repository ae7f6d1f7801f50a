import { expect, it } from 'vitest';
import { TerraformOutput } from 'cdktf';
import { Network } from '../network/network.js';
import { webAcl } from '../testing/edge-fixtures.js';
import { networkProps, webTier, worker } from '../testing/fixtures.js';
import { offlineAwsProvider } from '../testing/offline.js';
import { createdCounts, describeWithTerraform, expectOnlyCreates, planOffline } from '../testing/plan-offline.js';
import { OriginVerifySecret } from './origin-secret.js';

/** The whole edge and compute layer of a tenant, accepted by the real terraform and AWS provider. */
describeWithTerraform('edge + web tier + worker with the real terraform', () => {
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

    expectOnlyCreates(summary);
    expect(createdCounts(summary)).toMatchObject({
      terraform_data: 1,
      aws_lb: 1,
      aws_lb_listener: 2,
      aws_lb_listener_rule: 1,
      aws_wafv2_web_acl: 1,
      aws_wafv2_web_acl_association: 1,
      aws_wafv2_web_acl_logging_configuration: 1,
      aws_cloudwatch_log_group: 2, // flow logs and WAF logs
      aws_shield_protection: 1,
      aws_launch_template: 2,
      aws_autoscaling_group: 2,
      aws_iam_role_policy: 3, // flow logs, web, worker
      aws_security_group: 3, // alb, web, worker
    });
  });
});
