/**
 * A synthetic fleet for the bench scripts (`bench.ts`, `bench-policy.ts`): full tenant specs with
 * distinct /20s, regions in turn, a mix of sizes, engines, NAT modes, caches and CDNs.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KNOWN_REGIONS, defaultAvailabilityZones } from '@hafleet/tenant-spec';

/** The real workspace, whose fleet.json the synthetic fleet shares. */
export const BENCH_WORKSPACE = resolve(fileURLToPath(import.meta.url), '../..');

export const syntheticTenantName = (i: number): string => `bench-${String(i).padStart(3, '0')}`;

/** Writes `count` tenants and the workspace's fleet.json into `root` (a throw-away folder). */
export function writeSyntheticFleet(root: string, count: number): void {
  cpSync(join(BENCH_WORKSPACE, 'fleet.json'), join(root, 'fleet.json'));
  for (let i = 0; i < count; i++) {
    const name = syntheticTenantName(i);
    const region = KNOWN_REGIONS[i % KNOWN_REGIONS.length]!;
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
        ...(i % 2 === 0 ? { cdn: { certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b' } } : {}),
        // A /20 each: distinct ranges for up to 4,096 tenants.
        network: { vpcCidr: `10.${Math.floor(i / 16)}.${(i % 16) * 16}.0/20`, natGateways: i % 3 === 0 ? 'single' : 'per-az' },
        app: { amiId: 'ami-0123456789abcdef0', instanceType: 'm7i.large' },
        web: { minCapacity: 2, maxCapacity: 4 + (i % 8) },
        // SES has no SMTP endpoint in every region: those tenants send through a relay.
        ...(region === 'af-south-1' ? { mail: { relay: { host: 'smtp.example.org', port: 587 } } } : {}),
        edge: { certificateArn: `arn:aws:acm:${region}:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b` },
      }),
    );
  }
}
