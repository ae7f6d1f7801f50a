import { Construct } from 'constructs';
import { Inspector2Enabler } from '@cdktf/provider-aws/lib/inspector2-enabler';
import { assertAccountId } from '../aws-account.js';

export interface InstanceScanningProps {
  /** The account whose EC2 instances Amazon Inspector scans: the tenant's own, dedicated account. */
  readonly accountId: string;
}

/**
 * Amazon Inspector scanning of the account's EC2 instances (packages and network reachability,
 * through the SSM agent every tenant instance runs). Inspector is switched on per account, not
 * per resource: only a stack that owns its account may hold this, or two stacks would enable and
 * disable the same setting in turn (the `account.dedicated` spec field decides; see the README).
 */
export class InstanceScanning extends Construct {
  constructor(scope: Construct, id: string, props: InstanceScanningProps) {
    super(scope, id);
    assertAccountId('InstanceScanning', props.accountId);
    new Inspector2Enabler(this, 'inspector', { accountIds: [props.accountId], resourceTypes: ['EC2'] });
  }
}
