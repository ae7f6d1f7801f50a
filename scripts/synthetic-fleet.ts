/**
 * A synthetic fleet for the bench scripts (`bench.ts`, `bench-policy.ts`): full tenant specs with
 * distinct /20s, regions in turn, a mix of sizes, engines, NAT modes, caches and CDNs.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SES_SMTP_REGIONS } from '@hafleet/ha-modules';
import { KNOWN_REGIONS, defaultAvailabilityZones } from '@hafleet/tenant-spec';
import { findWorkspaceRoot } from '@hafleet/entry-point';

/** Regions in turn; only those where SES has an SMTP interface, so every tenant can send mail without a relay. */
const REGIONS = KNOWN_REGIONS.filter((region) => SES_SMTP_REGIONS.includes(region));

/** The real workspace, whose fleet.json the synthetic fleet shares. */
export const BENCH_WORKSPACE = findWorkspaceRoot(import.meta.url);

export const syntheticTenantName = (i: number): string => `bench-${String(i).padStart(4, '0')}`;

/** A /20 of its own for each of up to 4,096 tenants (10.0.0.0/8 in /20s), so the fleet rules pass at any bench size. */
export function syntheticVpcCidr(i: number): string {
  if (i >= 4096) throw new Error(`synthetic tenant ${i}: 10.0.0.0/8 holds 4,096 /20s — fix: bench at most 4,096 tenants`);
  return `10.${i >> 4}.${(i & 15) << 4}.0/20`;
}

/** Writes `count` tenants and the workspace's fleet.json into `root` (a throw-away folder). */
export function writeSyntheticFleet(root: string, count: number): void {
  cpSync(join(BENCH_WORKSPACE, 'fleet.json'), join(root, 'fleet.json'));
  for (let i = 0; i < count; i++) {
    const name = syntheticTenantName(i);
    const region = REGIONS[i % REGIONS.length]!;
    mkdirSync(join(root, 'tenants', name), { recursive: true });
    writeFileSync(
      join(root, 'tenants', name, 'tenant.json'),
      JSON.stringify({
        name,
        displayName: `Bench tenant ${i}`,
        region,
        availabilityZones: defaultAvailabilityZones(region).slice(0, 2 + (i % 2)),
        domain: `${name}.learn.example.org`,
        expectedLoad: { concurrentUsers: 100 * (1 + (i % 30)), population: 20_000 * (1 + (i % 10)) },
        alerts: { emails: ['ops@example.org'] },
        database: { engine: (['mysql', 'postgres', 'aurora-mysql', 'aurora-postgresql'] as const)[i % 4] },
        cache: { separateApplicationCache: i % 5 === 0 },
        ...(i % 2 === 0
          ? { cdn: { certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b' } }
          : {}),
        network: { vpcCidr: syntheticVpcCidr(i), natGateways: i % 3 === 0 ? 'single' : 'per-az' },
        app: { amiId: 'ami-0123456789abcdef0', instanceType: 'm7i.large' },
        web: { minCapacity: 2, maxCapacity: 4 + (i % 8) },
        edge: { certificateArn: `arn:aws:acm:${region}:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b` },
      }),
    );
  }
}
