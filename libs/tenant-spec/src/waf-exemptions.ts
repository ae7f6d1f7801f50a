import { applicationProfile } from '@hafleet/app-profiles';
import type { TenantSpec } from './schema.js';

/** One path the WAF treats differently, and who asked for it. */
export interface WafExemptPath {
  readonly path: string;
  readonly source: 'profile' | 'spec';
}

/** Where a tenant's web ACLs relax the managed rules: the application profile's paths, then the spec's own. */
export interface WafExemptions {
  /** Bodies over 8 KB are allowed here (blocked everywhere else, at the load balancer's web ACL). */
  readonly largeBodyPaths: readonly WafExemptPath[];
  /** The body-inspecting managed rules only count here (they block everywhere else, at both web ACLs). */
  readonly countModePaths: readonly WafExemptPath[];
}

const union = (profile: readonly string[], spec: readonly string[]): WafExemptPath[] => [
  ...profile.map((path) => ({ path, source: 'profile' as const })),
  ...spec
    .filter((path) => !profile.includes(path))
    .filter((path, i, all) => all.indexOf(path) === i)
    .map((path) => ({ path, source: 'spec' as const })),
];

/** The one place the stack, the guardrails and `fleet policy` take a tenant's WAF exemptions from. */
export function wafExemptions(spec: Pick<TenantSpec, 'app' | 'edge'>): WafExemptions {
  const { waf } = applicationProfile(spec.app.profile);
  return {
    largeBodyPaths: union(waf.largeBodyPaths, spec.edge.largeBodyPaths),
    countModePaths: union(waf.countModePaths, spec.edge.countModePaths),
  };
}

export const exemptPaths = (paths: readonly WafExemptPath[]): string[] => paths.map((p) => p.path);
