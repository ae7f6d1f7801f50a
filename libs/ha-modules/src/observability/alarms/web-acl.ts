import { MINUTE, type AlarmSpec } from '../alarm-spec.js';

/** A WAFv2 web ACL of the tenant. */
export interface WatchedWebAcl {
  /** Short, constant name in the alarm id, e.g. `alb` or `cdn`. */
  readonly id: string;
  /** The web ACL's name (its CloudWatch `WebACL` dimension; the ACL's metric name is the same). */
  readonly name: string;
  /** `REGIONAL` ACLs publish in their region with a `Region` dimension; `CLOUDFRONT` ones in us-east-1 without. */
  readonly scope: 'REGIONAL' | 'CLOUDFRONT';
}

/**
 * Blocked requests above the band anomaly detection learns for the ACL: an attack, or a rule (or
 * a release) that started blocking real learners. A fixed threshold would fit no two tenants.
 */
export function webAclAlarms(acls: WatchedWebAcl[], region: string): AlarmSpec[] {
  return acls.map((acl): AlarmSpec => ({
    id: `waf-${acl.id}-blocked-surge`,
    title: `Web ACL ${acl.name}: blocked requests`,
    description: `Web ACL ${acl.name} blocked more requests than anomaly detection expects for 15 minutes: an attack, or a rule blocking real users.`,
    period: 5 * MINUTE,
    periods: 3,
    missingData: 'notBreaching',
    global: acl.scope === 'CLOUDFRONT',
    condition: {
      kind: 'anomaly',
      metric: {
        namespace: 'AWS/WAFV2',
        metricName: 'BlockedRequests',
        dimensions: acl.scope === 'REGIONAL' ? { WebACL: acl.name, Region: region, Rule: 'ALL' } : { WebACL: acl.name, Rule: 'ALL' },
        stat: 'Sum',
      },
      bandWidth: 3,
    },
  }));
}
