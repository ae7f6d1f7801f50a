import { describe, expect, it } from 'vitest';
import { MAX_CONCURRENT_USERS, SIZING_BANDS, SPIKE_HEADROOM, bandFor, bandRange, instanceVcpus } from './bands.js';
import { sizeTenant, type SizingInput, type TenantSizing } from './size.js';

const production = (concurrentUsers: number, population = Math.max(concurrentUsers, 40_000), aurora = true): SizingInput => ({
  load: { concurrentUsers, population },
  environment: 'production',
  aurora,
});
const model = (input: SizingInput) => sizeTenant(input).effective;

/** Classes ordered by size: every band's choice must rank at least as high as the previous band's. */
const rank = (pick: (band: (typeof SIZING_BANDS)[number]) => string) => (value: string) => SIZING_BANDS.map(pick).indexOf(value);
const dbRank = rank((b) => b.databaseInstanceClass);
const cacheRank = rank((b) => b.cacheNodeType);
const workerRank = rank((b) => b.workerInstanceType);
const webVcpus = (s: TenantSizing, count: number) => count * instanceVcpus(s.app.instanceType)!;

/** Everything that makes a stack bigger, as numbers that must never go down when the load goes up. */
function measures(s: TenantSizing): Record<string, number> {
  return {
    'web vCPUs at min': webVcpus(s, s.web.minCapacity),
    'web vCPUs at desired': webVcpus(s, s.web.desiredCapacity),
    'web vCPUs at max': webVcpus(s, s.web.maxCapacity),
    'web instance size': instanceVcpus(s.app.instanceType)!,
    'worker size': workerRank(s.worker.instanceType),
    'database class': dbRank(s.database.instanceClass),
    'database storage': s.database.allocatedStorageGiB,
    'aurora readers': s.database.readers,
    'database backup days': s.database.backupRetentionDays,
    'cache node': cacheRank(s.cache.nodeType),
    'NAT gateways per zone': s.network.natGateways === 'per-az' ? 1 : 0,
    'backup retention': s.backup.retentionDays,
    'per-IP rate limit': s.edge.rateLimitPerFiveMinutes,
  };
}

describe('sizing model', () => {
  it('is monotonic: more concurrent users never give a smaller stack (every user count of the range)', () => {
    let previous = measures(model(production(1, 100_000)));
    for (let users = 2; users <= MAX_CONCURRENT_USERS; users++) {
      const current = measures(model(production(users, 100_000)));
      for (const [what, value] of Object.entries(current)) {
        if (value < previous[what]!) expect.fail(`${what} shrinks from ${previous[what]} to ${value} at ${users} users`);
      }
      previous = current;
    }
  });

  it('is monotonic in the population: more accounts never give less database storage', () => {
    let previous = 0;
    for (let population = 1_000; population <= 2_000_000; population += 997) {
      const storage = model(production(1_000, population, false)).database.allocatedStorageGiB;
      expect(storage).toBeGreaterThanOrEqual(previous);
      previous = storage;
    }
  });

  // Each band's first and last user count: the band, its instance types, its web counts.
  const boundaries: Array<[number, string, string, [number, number, number], 'single' | 'per-az']> = [
    [1, 'small', 'm7i.large', [2, 2, 6], 'single'],
    [250, 'small', 'm7i.large', [3, 5, 15], 'single'],
    [251, 'medium', 'm7i.xlarge', [2, 3, 9], 'per-az'],
    [800, 'medium', 'm7i.xlarge', [4, 8, 24], 'per-az'],
    [1_000, 'medium', 'm7i.xlarge', [5, 10, 30], 'per-az'],
    [1_001, 'large', 'm7i.2xlarge', [3, 6, 18], 'per-az'],
    [5_000, 'large', 'm7i.2xlarge', [13, 25, 75], 'per-az'],
    [5_001, 'xlarge', 'm7i.4xlarge', [7, 13, 39], 'per-az'],
    [20_000, 'xlarge', 'm7i.4xlarge', [25, 50, 150], 'per-az'],
    [20_001, 'xxlarge', 'm7i.8xlarge', [13, 26, 78], 'per-az'],
    [50_000, 'xxlarge', 'm7i.8xlarge', [32, 63, 189], 'per-az'],
  ];
  it.each(boundaries)('%i users: %s band, %s, web min/desired/max %j, NAT %s', (users, band, type, [min, desired, max], nat) => {
    const report = sizeTenant(production(users));
    expect(report.band.name).toBe(band);
    expect(report.effective.app.instanceType).toBe(type);
    expect(report.effective.web).toEqual({ minCapacity: min, desiredCapacity: desired, maxCapacity: max });
    expect(report.effective.network.natGateways).toBe(nat);
  });

  it('states every band range and rejects loads outside the model', () => {
    expect(SIZING_BANDS.map(bandRange)).toEqual(['1–250', '251–1,000', '1,001–5,000', '5,001–20,000', '20,001–50,000']);
    for (const bad of [0, -5, 1.5, MAX_CONCURRENT_USERS + 1]) expect(() => bandFor(bad)).toThrow(RangeError);
  });

  it('keeps production on at least two web instances and leaves spike headroom', () => {
    for (const users of [1, 10, 49, 50, 51, 100, 250, 251, 999, 4_999]) {
      const { web } = model(production(users));
      expect(web.minCapacity).toBeGreaterThanOrEqual(2);
      expect(web.maxCapacity).toBe(web.desiredCapacity * SPIKE_HEADROOM);
    }
    expect(model({ ...production(10), environment: 'staging' }).web).toEqual({ minCapacity: 1, desiredCapacity: 1, maxCapacity: 3 });
  });

  it('sizes RDS storage from the population and Aurora readers from the band', () => {
    expect(model(production(800, 40_000, false)).database.allocatedStorageGiB).toBe(100); // 20 + 78.1 → 100
    expect(model(production(100, 3_000, false)).database.allocatedStorageGiB).toBe(30);
    expect(model(production(4_000, 250_000)).database.readers).toBe(2);
    const rds = sizeTenant(production(800, 40_000, false)).decisions.find((d) => d.field === 'database.readers')!;
    expect(rds).toMatchObject({ used: false, reason: 'not used: RDS Multi-AZ keeps its own standby' });
  });

  it('sizes the per-IP rate limit for a quarter of the learners behind one address, never below 2,000', () => {
    expect(model(production(150)).edge.rateLimitPerFiveMinutes).toBe(4000); // 38 users × 100 = 3,800 → 4,000
    expect(model(production(800)).edge.rateLimitPerFiveMinutes).toBe(20_000);
    expect(model(production(4_000)).edge.rateLimitPerFiveMinutes).toBe(100_000);
    expect(model(production(20)).edge.rateLimitPerFiveMinutes).toBe(2000);
    const override = sizeTenant(production(800), { edge: { rateLimitPerFiveMinutes: 5000 } }).decisions.find(
      (d) => d.field === 'edge.rateLimitPerFiveMinutes',
    );
    expect(override).toMatchObject({ model: 20_000, override: 5000, effective: 5000, source: 'spec' });
  });
});

describe('overrides', () => {
  it('lets every explicit value win and reports model, override and effective', () => {
    const report = sizeTenant(production(800), {
      app: { instanceType: 'c7i.large' },
      worker: { instanceType: 't3.small' },
      database: { instanceClass: 'db.r6g.4xlarge', allocatedStorageGiB: 500, readers: 3, backupRetentionDays: 21 },
      cache: { nodeType: 'cache.r7g.xlarge' },
      network: { natGateways: 'single' },
      backup: { retentionDays: 365 },
    });
    expect(report.effective).toMatchObject({
      app: { instanceType: 'c7i.large' },
      worker: { instanceType: 't3.small' },
      database: { instanceClass: 'db.r6g.4xlarge', allocatedStorageGiB: 500, readers: 3, backupRetentionDays: 21 },
      cache: { nodeType: 'cache.r7g.xlarge' },
      network: { natGateways: 'single' },
      backup: { retentionDays: 365 },
    });
    const nat = report.decisions.find((d) => d.field === 'network.natGateways')!;
    expect(nat).toMatchObject({ model: 'per-az', override: 'single', effective: 'single', source: 'spec' });
    expect(nat.reason).toMatch(/^set in the spec \(model: per-az, medium band/);
    expect(report.model.database.instanceClass).toBe('db.r6g.large');
  });

  it('counts web instances for an overridden instance type', () => {
    // 800 users on 2-vCPU instances: 50 users each → 16 needed.
    expect(sizeTenant(production(800), { app: { instanceType: 'c7i.large' } }).effective.web).toEqual({
      minCapacity: 8,
      desiredCapacity: 16,
      maxCapacity: 48,
    });
  });

  it('keeps the model web values within explicit ones', () => {
    expect(sizeTenant(production(800), { web: { maxCapacity: 6 } }).effective.web).toEqual({
      minCapacity: 4,
      desiredCapacity: 6,
      maxCapacity: 6,
    });
    expect(sizeTenant(production(800), { web: { maxCapacity: 3 } }).effective.web).toEqual({
      minCapacity: 3,
      desiredCapacity: 3,
      maxCapacity: 3,
    });
    expect(sizeTenant(production(800), { web: { minCapacity: 30 } }).effective.web).toEqual({
      minCapacity: 30,
      desiredCapacity: 30,
      maxCapacity: 30,
    });
    const report = sizeTenant(production(800), { web: { minCapacity: 2, maxCapacity: 4 } });
    expect(report.effective.web).toEqual({ minCapacity: 2, desiredCapacity: 4, maxCapacity: 4 });
    expect(report.decisions.find((d) => d.field === 'web.desiredCapacity')).toMatchObject({ model: 8, effective: 4, source: 'model' });
  });

  it('ignores undefined overrides (fields the spec leaves to the model)', () => {
    expect(sizeTenant(production(800), { web: { minCapacity: undefined }, cache: {} }).effective).toEqual(model(production(800)));
  });
});
