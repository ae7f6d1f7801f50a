import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRollout, planRollout, startRollout, type RolloutRequest, type TenantDriver } from '@hafleet/rollout';
import { loadFleet, tenantWorkDir } from '@hafleet/tenant-spec';
import { WORKSPACE_ROOT, tempWorkspace, type TempWorkspace } from '@hafleet/testing';
import { buildReport, type BuiltReport, type FleetRow, type ReportJson } from './index.js';
import { fleetPage } from './site/fleet-page.js';
import { CHROMIUM_MISSING, findChromium, inCi } from './testing/browser.js';

/**
 * The generated report opened in a real headless browser (Debian's chromium through
 * puppeteer-core): the example fleet, one recorded plan summary with a data loss, one rollout
 * journal written by the real journal code. Screenshots land in .hafleet/test-results/screenshots.
 */
const chromium = findChromium();
const EXAMPLES = ['harbour-health', 'lakeside-state', 'northwind-university'];
const SCREENSHOTS = join(WORKSPACE_ROOT, '.hafleet', 'test-results', 'screenshots');

if (!chromium && !inCi()) console.warn(`report browser tests skipped: ${CHROMIUM_MISSING}`);

describe.skipIf(!chromium && !inCi())('fleet report in headless chromium', () => {
  let workspace: TempWorkspace;
  let built: BuiltReport;
  let browser: Browser;
  let rolloutId: string;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!chromium) throw new Error(`CI=true and ${CHROMIUM_MISSING}`);
    workspace = tempWorkspace();
    // A saved plan that would replace harbour-health's database (recorded, as `fleet plan` writes it).
    const work = tenantWorkDir(workspace.root, 'harbour-health');
    mkdirSync(work, { recursive: true });
    const loss = {
      address: 'aws_db_instance.database_instance_D7FC2283',
      type: 'aws_db_instance',
      actions: ['delete', 'create'],
      action: 'replace',
      stateful: true,
      holds: 'the relational database',
    };
    writeFileSync(
      join(work, 'plan-summary.json'),
      JSON.stringify({
        tenant: 'harbour-health',
        plannedAt: '2026-11-30T09:00:00.000Z',
        planSha256: 'recorded',
        stackSha256: 'recorded',
        summary: {
          add: 1,
          change: 2,
          destroy: 1,
          replace: 1,
          noop: 136,
          forget: 0,
          resourceCount: 140,
          replacements: [loss],
          deletions: [],
          changes: [loss],
          dataLoss: [loss],
          outputChanges: [],
        },
      }),
    );
    rolloutId = await runRollout(workspace.root);
    built = await buildReport({ workspaceRoot: workspace.root });
    browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    workspace?.dispose();
  });

  /** Opens a report page, recording console errors, page errors and failed requests. */
  async function open(relativePath: string, width = 1400): Promise<Page> {
    const page = await browser.newPage();
    await page.setViewport({ width, height: 900 });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${relativePath}: console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`${relativePath}: page error: ${(error as Error).message}`));
    page.on('requestfailed', (request) => problems.push(`${relativePath}: request failed: ${request.url()}`));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) problems.push(`${relativePath}: network request: ${request.url()}`);
    });
    await page.goto(pathToFileURL(join(built.dir, relativePath)).href, { waitUntil: 'load' });
    return page;
  }

  const tenantsShown = (page: Page) => page.$$eval('#fleet-body tr', (rows) => rows.map((r) => r.getAttribute('data-tenant')));

  it('lists every example tenant, sorts by cost both ways, filters, with no console errors', async () => {
    const page = await open('index.html', 1600);
    expect(await tenantsShown(page)).toEqual(EXAMPLES);
    const report = JSON.parse(readFileSync(join(built.dir, 'report.json'), 'utf8')) as ReportJson;
    const byCost = [...report.tenants].sort((a, b) => a.cost! - b.cost!).map((r) => r.tenant);

    await page.click('th[data-key="cost"] button');
    expect(await tenantsShown(page)).toEqual(byCost);
    expect(await page.$eval('th[data-key="cost"]', (th) => th.getAttribute('aria-sort'))).toBe('ascending');
    await page.click('th[data-key="cost"] button');
    expect(await tenantsShown(page)).toEqual([...byCost].reverse());

    // The stateful loss of the recorded plan is highlighted on its row.
    expect(await page.$eval('tr[data-tenant="harbour-health"]', (tr) => tr.textContent)).toContain('1 stateful lost');

    await page.$eval('.wide', (table) => table.scrollTo(0, 0)); // clicking a header may have scrolled a narrow window
    await page.screenshot({ path: join(SCREENSHOTS, 'fleet.png'), fullPage: true });

    await page.type('#filter', 'ap-southeast');
    expect(await tenantsShown(page)).toEqual(['northwind-university']);
    expect(await page.$eval('#totals-region', (t) => t.textContent)).toContain('ap-southeast-2');
    await page.select('#band', 'large');
    expect(await tenantsShown(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('pages a large fleet 50 rows at a time, sorting and totalling across every page', async () => {
    // The fleet page alone, for 1,000 generated rows (no stacks needed to test the table).
    const rows: FleetRow[] = Array.from({ length: 1_000 }, (_, i) => ({
      tenant: `t-${String(i).padStart(4, '0')}`,
      name: `Tenant ${i}`,
      region: ['eu-west-2', 'us-east-1', 'ap-southeast-2'][i % 3]!,
      profile: 'moodle',
      band: ['small', 'medium', 'large'][i % 3]!,
      bandOrder: i % 3,
      users: 100 + i,
      population: 10_000,
      release: '2025.3.2',
      ring: 'general',
      env: 'production',
      resources: 200,
      guardrails: 'ok',
      guardrailErrors: 0,
      plan: 'not planned',
      dataLoss: 0,
      drift: 'not checked',
      rollout: '—',
      rolloutId: '',
      cost: 1_000 + ((i * 7919) % 1_000),
      costNote: '',
    }));
    writeFileSync(join(built.dir, 'large-fleet.html'), fleetPage(rows, [], { generatedAt: 'test', priceSource: 'test prices' }));
    const page = await open('large-fleet.html');
    expect(await page.$$eval('#fleet-body tr', (r) => r.length)).toBe(50);
    expect(await page.$eval('#shown', (s) => s.textContent)).toBe('1–50 of 1000 tenants (page 1 of 20)');
    await page.click('th[data-key="cost"] button');
    await page.click('th[data-key="cost"] button');
    const top = await tenantsShown(page);
    const expensive = [...rows].sort((a, b) => b.cost! - a.cost! || a.tenant.localeCompare(b.tenant)).map((r) => r.tenant);
    expect(top).toEqual(expensive.slice(0, 50));
    await page.click('#next');
    expect(await tenantsShown(page)).toEqual(expensive.slice(50, 100));
    expect(await page.$eval('#shown', (s) => s.textContent)).toBe('51–100 of 1000 tenants (page 2 of 20)');
    const total = rows.reduce((sum, r) => sum + r.cost!, 0);
    expect(await page.$eval('#totals-region', (t) => t.textContent)).toContain(
      `$${total.toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
    );
    expect(problems).toEqual([]);
  });

  it("lakeside-state's page: a diagram node for every tier, cost and runtime sections, no console errors", async () => {
    const page = await open('tenants/lakeside-state.html', 1300);
    const tiers = await page.$$eval('.diagram svg g.node, .diagram svg g.cluster', (nodes) =>
      [...new Set(nodes.flatMap((n) => [...n.classList].filter((c) => c.startsWith('tier-'))))].sort(),
    );
    expect(tiers).toEqual(
      expect.arrayContaining([
        'tier-alb',
        'tier-app',
        'tier-backup',
        'tier-cache',
        'tier-cdn',
        'tier-data',
        'tier-database',
        'tier-files',
        'tier-nat',
        'tier-public',
        'tier-vpc',
        'tier-waf',
        'tier-web',
        'tier-worker',
      ]),
    );
    // One node per database instance (writer + 2 readers), per cache node, per NAT gateway and zone's mount target.
    expect(await page.$$eval('g.node.tier-database', (n) => n.length)).toBe(3);
    expect(await page.$$eval('g.node.tier-nat', (n) => n.length)).toBe(3);
    expect(await page.$eval('g.node.tier-web', (n) => n.textContent)).toContain('10 / 20 / 60 × m7i.2xlarge');
    expect(await page.$eval('#cost-estimate', (s) => s.textContent)).toContain('Assumptions');
    expect(await page.$eval('#sizing', (s) => s.textContent)).toContain('web.desiredCapacity');
    await page.screenshot({ path: join(SCREENSHOTS, 'tenant-lakeside-state.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('a rollout page per journal: waves, tenants and steps on a timeline', async () => {
    const page = await open(`rollouts/${rolloutId}.html`);
    // early ring first (harbour-health), then the rest in name order; one at a time.
    expect(await page.$$eval('.tl-row', (rows) => rows.map((r) => r.getAttribute('data-tenant')))).toEqual([
      'harbour-health',
      'lakeside-state',
      'northwind-university',
    ]);
    expect(
      await page.$$eval('.tl-row[data-tenant="harbour-health"] .tl-step', (bars) => bars.map((b) => b.className.replace('tl-step ', ''))),
    ).toEqual(['step-spec', 'step-synth', 'step-plan', 'step-guard', 'step-apply', 'step-gate']);
    expect(await page.$$eval('.tl-row[data-tenant="lakeside-state"] .tl-step', (bars) => bars.at(-1)?.className)).toBe(
      'tl-step step-failed',
    );
    expect(await page.$eval('main', (m) => m.textContent)).toMatch(
      /status\s*halted[\s\S]*wave 2: 100% \(2 tenants\)[\s\S]*lakeside-state\s*failed[\s\S]*northwind-university\s*skipped/,
    );
    expect(problems).toEqual([]);
  });
});

/**
 * A real rollout through the engine (waves, journal), with a driver that fakes only the
 * terraform side: no spec is written, plans are recorded digests, and lakeside-state's plan
 * would replace its database, so the real guard decision stops it.
 */
async function runRollout(root: string): Promise<string> {
  const specs = new Map(loadFleet(root).map((t) => [t.spec.name, t.spec]));
  const digest = (tenant: string) => ({
    add: 0,
    change: 2,
    destroy: tenant === 'lakeside-state' ? 1 : 0,
    replace: tenant === 'lakeside-state' ? 1 : 0,
    resourceCount: 150,
    hasChanges: true,
    dataLoss:
      tenant === 'lakeside-state'
        ? [{ address: 'aws_rds_cluster.database_cluster_FAF2FB92', action: 'replace', holds: 'an Aurora cluster' }]
        : [],
    deferred: [],
  });
  const fakeTerraform: TenantDriver = {
    updateSpec: async (tenant) => ({ spec: specs.get(tenant)!, changed: true }),
    synth: async () => {},
    plan: async (tenant) => ({ tenant, digest: digest(tenant) }),
    guard: (plan) =>
      plan.digest.dataLoss.length
        ? { ok: false, blocked: plan.digest.dataLoss.map((d) => d.address), message: 'would replace the database' }
        : { ok: true, allowed: [] },
    apply: async () => 'applied',
    outputs: async () => ({}),
  };
  const request: RolloutRequest = {
    changes: [{ path: 'app.release', value: '2025.4.0' }],
    reapply: false,
    selection: { tenants: [], tags: [], where: [] },
    waves: 'early,100%',
    maxParallel: 1,
    waveDelayMs: 0,
    maxFailures: 1,
    allowDestroy: [],
    gates: [{ kind: 'none' }],
    applyImmediately: false,
  };
  const journal = startRollout(root, planRollout(root, request));
  await executeRollout({ journal, driver: fakeTerraform, gates: [] });
  return journal.id;
}
