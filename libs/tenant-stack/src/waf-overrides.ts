import { BODY_INSPECTING_RULES, BODY_SIZE_RULE } from '@hafleet/ha-modules';
import { wafExemptions, type TenantSpec } from '@hafleet/tenant-spec';

/** One place a tenant's web ACLs do not apply the AWS managed rules as published. */
export interface WafOverride {
  /** `alb` (regional, the load balancer's) or `cdn` (CloudFront's, in us-east-1). */
  readonly webAcls: ReadonlyArray<'alb' | 'cdn'>;
  /** What changes there. */
  readonly override: 'count body rules' | 'allow large bodies' | 'count body size';
  /** The managed rules concerned. */
  readonly rules: readonly string[];
  /** Path prefix (normalised, URL-decoded), or `*` for every path. */
  readonly path: string;
  /** Who asked for it: the application profile, the tenant spec, or hafleet's design. */
  readonly source: 'profile' | 'spec' | 'hafleet';
}

const BODY_RULES = Object.values(BODY_INSPECTING_RULES).flat();

/**
 * Every exemption the stack writes into the tenant's web ACLs, as `fleet policy` shows it: the
 * count-mode paths (both ACLs), the large-body paths (the load balancer's ACL) and the body size
 * rule, which only counts at CloudFront because the load balancer's ACL decides on large bodies.
 * HAF-WAF-005 and HAF-WAF-006 check that the synthesized ACLs hold exactly these.
 */
export function wafOverrides(spec: Pick<TenantSpec, 'app' | 'edge' | 'cdn'>): WafOverride[] {
  const exemptions = wafExemptions(spec);
  const acls: Array<'alb' | 'cdn'> = spec.cdn ? ['alb', 'cdn'] : ['alb'];
  return [
    ...exemptions.countModePaths.map(({ path, source }): WafOverride => ({
      webAcls: acls,
      override: 'count body rules',
      rules: BODY_RULES,
      path,
      source,
    })),
    ...exemptions.largeBodyPaths.map(({ path, source }): WafOverride => ({
      webAcls: ['alb'],
      override: 'allow large bodies',
      rules: [BODY_SIZE_RULE],
      path,
      source,
    })),
    ...(spec.cdn
      ? [{ webAcls: ['cdn'], override: 'count body size', rules: [BODY_SIZE_RULE], path: '*', source: 'hafleet' } satisfies WafOverride]
      : []),
  ];
}
