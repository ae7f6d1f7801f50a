import type { Construct } from 'constructs';
import { RegionalWebAcl, type RegionalWebAclProps } from '../edge/web-acl.js';
import { KMS_KEY_ARN } from './values.js';

/** Test-only: a load balancer ARN for web ACLs tested without a web tier. */
export const ALB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/acme-alb/0123456789abcdef';

/** Test-only: a regional web ACL in front of `albArn`. */
export const webAcl = (scope: Construct, albArn: string, overrides: Partial<RegionalWebAclProps> = {}): RegionalWebAcl =>
  new RegionalWebAcl(scope, 'waf', { name: 'acme', albArn, kmsKeyArn: KMS_KEY_ARN, ...overrides });
