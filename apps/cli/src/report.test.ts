import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFleet, tempWorkspace, type TempWorkspace } from '@hafleet/testing';

/** `fleet cost` and `fleet report` through the real CLI, in one workspace copy (synthesised once, by the first command). */
describe('fleet cost and fleet report', () => {
  let workspace: TempWorkspace;
  beforeAll(() => {
    workspace = tempWorkspace();
  });
  afterAll(() => workspace.dispose());

  it('fleet cost: a row per tenant, totals by region and band, and where the prices come from', () => {
    const { code, stdout, stderr } = runFleet(workspace, 'cost');
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('synthesising 3 tenant(s) first');
    for (const tenant of ['harbour-health', 'lakeside-state', 'northwind-university'])
      expect(stdout).toMatch(new RegExp(`${tenant} +[a-z0-9-]+ +(small|medium|large) +(moodle|totara|scorm-engine) +\\$[\\d,]+\\.\\d\\d`));
    expect(stdout).toMatch(/region +tenants +monthly/);
    expect(stdout).toMatch(/band +tenants +monthly/);
    expect(stdout).toMatch(/fleet total: \$[\d,]+\.\d\d a month/);
    expect(stdout).toContain('prices: EXAMPLE prices made 2026-12-01');
  });

  it('fleet cost <tenant> --json: the breakdown, assumptions and price source', () => {
    const { code, stdout } = runFleet(workspace, 'cost', 'harbour-health', '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as {
      estimates: Array<{ tenant: string; monthly: number; lines: Array<{ priceKey: string }>; assumptions: string[] }>;
      totals: { monthly: number };
    };
    expect(json.estimates.map((e) => e.tenant)).toEqual(['harbour-health']);
    expect(json.totals.monthly).toBe(json.estimates[0]!.monthly);
    expect(json.estimates[0]!.lines.map((l) => l.priceKey)).toContain('rds:mysql:multi-az:db.t4g.large');
    expect(json.estimates[0]!.assumptions.length).toBeGreaterThan(3);
  });

  it('fleet cost <tenant>: every priced item with its basis, and the assumptions beside the figure', () => {
    const { code, stdout } = runFleet(workspace, 'cost', 'northwind-university');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^northwind-university \(ap-southeast-2\): \$[\d,]+\.\d\d a month, on-demand/m);
    expect(stdout).toMatch(/web +8 × m7i\.xlarge +5,840 +instance-hour/);
    expect(stdout).toMatch(/delivery +CloudFront 2,400 GB to learners .* assumed: 3 GB per peak user × 800/);
    expect(stdout).toMatch(/assumptions:\n {2}- usage assumptions of the moodle profile/);
  });

  it('fleet report writes the site and says where to open it', () => {
    const { code, stdout, stderr } = runFleet(workspace, 'report');
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^fleet report: 3 tenant\(s\), 0 rollout\(s\), \$[\d,]+\.\d\d a month estimated/);
    expect(stdout).toContain('.hafleet/report/index.html');
    for (const page of [
      'index.html',
      'report.json',
      'tenants/harbour-health.html',
      'tenants/lakeside-state.html',
      'tenants/northwind-university.html',
    ]) {
      expect(existsSync(join(workspace.root, '.hafleet/report', page)), page).toBe(true);
    }
    const html = readFileSync(join(workspace.root, '.hafleet/report/index.html'), 'utf8');
    // Self-contained: nothing fetched from anywhere.
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/);
  });

  it('a missing price file is exit 2 with the fix', () => {
    const prices = join(workspace.root, 'prices.json');
    renameSync(prices, `${prices}.moved`);
    try {
      const { code, stderr } = runFleet(workspace, 'cost');
      expect(code).toBe(2);
      expect(stderr).toContain(
        'no price file prices.json — fix: restore the committed example (`git checkout -- prices.json`) ' +
          'or fetch real prices with `npm run fleet -- cost --refresh-prices`',
      );
    } finally {
      renameSync(`${prices}.moved`, prices);
    }
  });
});
