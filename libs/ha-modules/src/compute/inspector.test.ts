import { describe, expect, it } from 'vitest';
import { offlineAwsProvider } from '../testing/offline.js';
import { createdCounts, describeWithTerraform, expectOnlyCreates, planOffline } from '../testing/plan-offline.js';
import { synthesize, testStack } from '../testing/synth.js';
import { ACCOUNT_ID } from '../testing/values.js';
import { InstanceScanning } from './inspector.js';

describe('InstanceScanning', () => {
  it("switches Amazon Inspector's EC2 scanning on for the tenant's own account, and nothing else", () => {
    const { resources } = synthesize(testStack((scope) => new InstanceScanning(scope, 'scanning', { accountId: ACCOUNT_ID })));
    expect(Object.values(resources('aws_inspector2_enabler'))).toEqual([
      expect.objectContaining({ account_ids: [ACCOUNT_ID], resource_types: ['EC2'] }),
    ]);
  });

  it('refuses an account id that is not 12 digits', () => {
    expect(() => synthesize(testStack((scope) => new InstanceScanning(scope, 'scanning', { accountId: 'self' })))).toThrow(
      /accountId must be a 12-digit AWS account id/,
    );
  });

  describeWithTerraform('with the real terraform', () => {
    it('plans offline with the real provider', async () => {
      const summary = await planOffline((stack) => {
        offlineAwsProvider(stack);
        new InstanceScanning(stack, 'scanning', { accountId: ACCOUNT_ID });
      });
      expectOnlyCreates(summary);
      expect(createdCounts(summary)).toEqual({ aws_inspector2_enabler: 1 });
    });
  });
});
