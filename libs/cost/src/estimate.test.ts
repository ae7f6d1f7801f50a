import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynthesizedStack } from '@hafleet/guardrails';
import { synthesizeTenants } from '@hafleet/tenant-stack';
import { loadFleet, type TenantSpec } from '@hafleet/tenant-spec';
import { WORKSPACE_ROOT } from '@hafleet/testing';
import { HOURS_PER_MONTH, estimateCost } from './estimate.js';
import { PriceError, priceFilePath, readPriceFile } from './prices.js';
import { tenantCostInput } from './tenant.js';

const prices = readPriceFile(priceFilePath(WORKSPACE_ROOT));
let outdir: string;
const stacks = new Map<string, { spec: TenantSpec; stack: SynthesizedStack }>();

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'hafleet-cost-'));
  const specs = new Map(loadFleet(WORKSPACE_ROOT).map((t) => [t.spec.name, t.spec]));
  for (const s of synthesizeTenants({ workspaceRoot: WORKSPACE_ROOT, outdir, mode: 'offline' })) {
    stacks.set(s.tenant, { spec: specs.get(s.tenant)!, stack: SynthesizedStack.read(s.file) });
  }
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const estimate = (tenant: string, file = prices) => {
  const { spec, stack } = stacks.get(tenant)!;
  return estimateCost(tenantCostInput(spec, stack), file);
};

describe('cost estimate', () => {
  it('harbour-health: equals the breakdown computed by hand from the price file', () => {
    const p = prices.regions['eu-west-2']!;
    const h = HOURS_PER_MONTH;
    // 150 concurrent users of 3,000 (small band, totara profile); counts from the sizing table in the README.
    const requests = 3 * 150 * 20_000; // 3 GB per peak user, 20,000 requests per GB
    const byHand = {
      web: 3 * h * p['ec2:m7i.large']! + 3 * 30 * p['ebs:gp3-gb-month']!, // 150 users ÷ 50 per m7i.large = 3, 30 GiB root each
      worker: 1 * h * p['ec2:t3.medium']! + 30 * p['ebs:gp3-gb-month']!,
      jobs: 0 * h * p['ec2:t3.micro']!, // the database provisioner scales itself back to 0 after it ran
      database: h * p['rds:mysql:multi-az:db.t4g.large']! + 30 * p['rds:gp3-multi-az-gb-month']!, // 20 GiB + 3,000 × 2 MiB → 30 GiB
      cache: 2 * h * p['elasticache:valkey:cache.t4g.medium']!, // primary + 1 replica
      // one shared NAT gateway; 4 instances × 20 GB; the SES SMTP interface endpoint in 3 zones
      network: 1 * h * p['nat:hour']! + 4 * 20 * p['nat:gb']! + 3 * h * p['vpce:interface-hour']!,
      'load balancer': h * p['alb:hour']! + 0.002 * 150 * h * p['alb:lcu-hour']!,
      files: 0.02 * 3_000 * p['efs:standard-gb-month']!,
      content: 0.05 * 3_000 * p['s3:standard-gb-month']! + ((requests * 1_000) / 1e9) * p['s3:standard-gb-month']!,
      delivery: 3 * 150 * p['transfer:internet-out-gb']!, // no CloudFront: straight from the region
      // 8 rules: the core and SQL injection groups run twice (as published, and counting body rules on the profile's count-mode paths);
      // app, cache, SMTP and master secrets; the tenant key and its us-east-1 key (the alert topic of the us-east-1 alarms)
      security:
        p['waf:web-acl-month']! +
        8 * p['waf:rule-month']! +
        (requests / 1e6) * p['waf:requests-million']! +
        2 * p['kms:key-month']! +
        4 * p['secretsmanager:secret-month']!,
      // 12 tier alarms + web at maximum, worker heartbeat, deep health check, ALB certificate, WAF surge, 2 for the one NAT gateway
      observability: 19 * p['cloudwatch:alarm-month']! + p['cloudwatch:dashboard-month']! + 4 * 3 * p['cloudwatch:logs-ingest-gb']!,
      mail: ((15 * 3_000) / 1_000) * p['ses:emails-thousand']!, // 15 mails per account a month (totara)
      backup: (1 + 0.02 * 35) * (30 * p['backup:rds-snapshot-gb-month']! + 0.02 * 3_000 * p['backup:efs-warm-gb-month']!), // 35 days kept
    };
    const result = estimate('harbour-health');
    for (const [component, expected] of Object.entries(byHand)) {
      expect(result.byComponent[component as keyof typeof result.byComponent], component).toBeCloseTo(expected, 2);
    }
    expect(Object.keys(result.byComponent).sort()).toEqual(Object.keys(byHand).sort());
    expect(result.monthly).toBeCloseTo(
      Object.values(byHand).reduce((a, b) => a + b, 0),
      1,
    );
    expect(result.examplePrices).toBe(true);
    expect(result.priceSource).toMatch(/^EXAMPLE prices made 2026-12-01/);
    expect(result.assumptions.join('\n')).toMatch(
      /usage assumptions of the totara profile[\s\S]*3 GB per peak concurrent user a month: 450 GB/,
    );
  });

  it('prices CloudFront instead of internet transfer, and every Aurora instance, for the CDN tenants', () => {
    const result = estimate('lakeside-state');
    const items = result.lines.map((l) => l.item);
    expect(items.filter((i) => i.startsWith('aurora-mysql db.r6g.2xlarge'))).toHaveLength(3); // writer + 2 readers
    // scorm-engine profile: 5 GB per peak user, 8,000 requests per GB.
    expect(result.byComponent.delivery).toBeCloseTo(
      5 * 4_000 * prices.regions['us-east-1']!['cloudfront:out-gb']! + ((5 * 4_000 * 8_000) / 10_000) * 0.01,
      2,
    );
    expect(result.lines.some((l) => l.priceKey === 'transfer:internet-out-gb')).toBe(false);
    // The CloudFront web ACL is priced in us-east-1, where its provider puts it.
    expect(result.lines.filter((l) => l.priceKey === 'waf:web-acl-month')).toHaveLength(2);
  });

  it('prices the maintenance page bucket by the page the stack writes, not as content, and Shield Advanced once', () => {
    const result = estimate('northwind-university');
    const content = result.lines.filter((l) => l.component === 'content');
    expect(content.map((l) => l.item)).toEqual([
      'S3 content 2,000 GB',
      'S3 logs 48 GB',
      expect.stringMatching(/^S3 maintenance [\d,]+ bytes$/),
    ]);
    const page = content.find((l) => l.item.startsWith('S3 maintenance'))!;
    expect(page).toMatchObject({ basis: 'stack', how: expect.stringMatching(/^1 object of [\d,]+ bytes declared in the stack$/) });
    expect(page.quantity).toBeLessThan(1e-5); // GB: one small HTML page
    expect(result.lines.filter((l) => l.priceKey === 'shield:advanced-month')).toHaveLength(1);
  });

  it('counts the web ACLs of Shield-protected resources as covered by the subscription, and only those', () => {
    const waf = (tenant: string) => estimate(tenant).lines.filter((l) => l.priceKey.startsWith('waf:'));
    const shielded = waf('northwind-university');
    expect(shielded).toHaveLength(6); // two ACLs (load balancer, CDN): ACL, rules, requests each
    for (const line of shielded)
      expect(line).toMatchObject({ monthly: 0, how: expect.stringMatching(/; covered by the Shield Advanced subscription$/) });
    const unshielded = waf('lakeside-state');
    expect(unshielded).toHaveLength(6);
    for (const line of unshielded) expect(line.monthly).toBeGreaterThan(0);
  });

  it('names the fix when the region or a price is missing', () => {
    const { ['ap-southeast-2']: _gone, ...regions } = prices.regions;
    expect(() => estimate('northwind-university', { ...prices, regions })).toThrow(
      /tenant northwind-university: prices.json has no prices for region ap-southeast-2 .* — fix: `npm run fleet -- cost --refresh-prices`/,
    );
    const { ['ec2:m7i.xlarge']: _type, ...table } = prices.regions['ap-southeast-2']!;
    expect(() => estimate('northwind-university', { ...prices, regions: { ...prices.regions, 'ap-southeast-2': table } })).toThrow(
      PriceError,
    );
    expect(() => estimate('northwind-university', { ...prices, regions: { ...prices.regions, 'ap-southeast-2': table } })).toThrow(
      /no price "ec2:m7i.xlarge" in ap-southeast-2/,
    );
  });

  it('names the fix when the price file is missing or broken', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hafleet-prices-'));
    try {
      expect(() => readPriceFile(join(dir, 'prices.json'), dir)).toThrow(
        /no price file prices.json — fix: restore the committed example \(`git checkout -- prices.json`\) or fetch real prices/,
      );
      writeFileSync(join(dir, 'prices.json'), '{"example": true}');
      expect(() => readPriceFile(join(dir, 'prices.json'), dir)).toThrow(/price file prices.json, field source: .* — fix:/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
