import type { Construct } from 'constructs';
import type { Network } from '../network/network.js';
import { RegionalWebAcl, type RegionalWebAclProps } from '../edge/web-acl.js';
import { Worker, type WorkerProps } from '../worker/worker.js';
import { KMS_KEY_ARN } from './fixtures.js';

/** Test-only: a load balancer ARN for web ACLs tested without a web tier. */
export const ALB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/acme-alb/0123456789abcdef';

/** Test-only: a regional web ACL in front of `albArn`. */
export const webAcl = (scope: Construct, albArn: string, overrides: Partial<RegionalWebAclProps> = {}): RegionalWebAcl =>
  new RegionalWebAcl(scope, 'waf', { name: 'acme', albArn, kmsKeyArn: KMS_KEY_ARN, ...overrides });

/** Test-only: the cron worker in the app subnets of `network`. */
export const worker = (scope: Construct, network: Network, overrides: Partial<WorkerProps> = {}): Worker =>
  new Worker(scope, 'worker', {
    name: 'acme',
    vpcId: network.vpcId,
    appSubnetIds: network.appSubnetIds,
    amiId: 'ami-0123456789abcdef0',
    kmsKeyArn: KMS_KEY_ARN,
    ...overrides,
  });
