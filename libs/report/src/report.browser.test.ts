import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RolloutJournal, STEPS, type Step, type TenantRecord } from '@hafleet/rollout';
import { tenantWorkDir } from '@hafleet/tenant-spec';
import { WORKSPACE_ROOT, tempWorkspace, type TempWorkspace } from '@hafleet/testing';
import { buildReport, type BuiltReport, type ReportJson } from './index.js';
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
  const problems: string[] = [];

  beforeAll(async () => {
    if (!chromium) throw new Error(`CI=true and ${CHROMIUM_MISSING}`);
    workspace = tempWorkspace();
    // A saved plan that would replace harbour-health's database (recorded, as `fleet plan` writes it).
    const work = tenantWorkDir(workspace.root, 'harbour-health');
    mkdirSync(work, { recursive: true });
    const loss = { address: 'aws_db_instance.database_instance_D7FC2283', type: 'aws_db_instance', actions: ['delete', 'create'], action: 'replace', stateful: true, holds: 'the relational database' };
    writeFileSync(
      join(work, 'plan-summary.json'),
      JSON.stringify({
        tenant: 'harbour-health',
        plannedAt: '2026-11-30T09:00:00.000Z',
        planSha256: 'recorded',
        stackSha256: 'recorded',
        summary: { add: 1, change: 2, destroy: 1, replace: 1, noop: 136, forget: 0, resourceCount: 140, replacements: [loss], deletions: [], changes: [loss], dataLoss: [loss], outputChanges: [] },
      }),
    );
    writeRollout(workspace.root);
    built = await buildReport({ workspaceRoot: workspace.root });
    browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
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
    const page = await open('index.html');
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

    await page.screenshot({ path: join(SCREENSHOTS, 'fleet.png'), fullPage: true });

    await page.type('#filter', 'ap-southeast');
    expect(await tenantsShown(page)).toEqual(['northwind-university']);
    expect(await page.$eval('#totals-region', (t) => t.textContent)).toContain('ap-southeast-2');
    await page.select('#band', 'large');
    expect(await tenantsShown(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("lakeside-state's page: a diagram node for every tier, cost and runtime sections, no console errors", async () => {
    const page = await open('tenants/lakeside-state.html', 1300);
    const tiers = await page.$$eval('.diagram svg g.node, .diagram svg g.cluster', (nodes) => [...new Set(nodes.flatMap((n) => [...n.classList].filter((c) => c.startsWith('tier-'))))].sort());
    expect(tiers).toEqual(
      expect.arrayContaining(['tier-alb', 'tier-app', 'tier-backup', 'tier-cache', 'tier-cdn', 'tier-data', 'tier-database', 'tier-files', 'tier-nat', 'tier-public', 'tier-vpc', 'tier-waf', 'tier-web', 'tier-worker']),
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
    const page = await open('rollouts/20261130-100000-abcd.html');
    expect(await page.$$eval('.tl-row', (rows) => rows.map((r) => r.getAttribute('data-tenant')))).toEqual(['harbour-health', 'northwind-university', 'lakeside-state']);
    expect(await page.$$eval('.tl-row[data-tenant="lakeside-state"] .tl-step', (bars) => bars.map((b) => b.className))).toEqual([
      'tl-step step-spec',
      'tl-step step-synth',
      'tl-step step-plan',
      'tl-step step-failed',
    ]);
    expect(await page.$eval('main', (m) => m.textContent)).toContain('wave 2: 100%');
    expect(problems).toEqual([]);
  });
});

/** A rollout as the engine records it: two waves, the last tenant failed at its guard step. */
function writeRollout(root: string): void {
  const at = (minute: number, second = 0) => new Date(Date.UTC(2026, 10, 30, 10, minute, second)).toISOString();
  const steps = (start: number, failAt?: Step) =>
    STEPS.slice(0, failAt ? STEPS.indexOf(failAt) + 1 : STEPS.length).map((step, i) => ({ step, startedAt: at(start + i), endedAt: at(start + i, 50), ok: step !== failAt }));
  const tenant = (wave: number, start: number, failAt?: Step): TenantRecord => ({
    wave,
    state: failAt ? 'failed' : 'healthy',
    step: failAt ?? 'gate',
    attempts: 1,
    startedAt: at(start),
    endedAt: at(start + (failAt ? 3 : 5), 50),
    steps: steps(start, failAt),
    ...(failAt && { error: 'apply refused: the plan replaces aws_db_cluster.database (allow with --allow-destroy)' }),
  });
  RolloutJournal.create(root, {
    id: '20261130-100000-abcd',
    createdAt: at(0),
    status: 'halted',
    stopReason: 'lakeside-state failed',
    request: {
      changes: [{ path: 'app.release', value: '2025.4.0' }],
      reapply: false,
      selection: { tenants: [], tags: [], where: [] },
      waves: 'canary,100%',
      maxParallel: 2,
      waveDelayMs: 0,
      maxFailures: 1,
      allowDestroy: [],
      gates: [{ kind: 'none' }],
    },
    waves: [
      { label: 'early', tenants: ['harbour-health'] },
      { label: '100%', tenants: ['northwind-university', 'lakeside-state'] },
    ],
    tenants: { 'harbour-health': tenant(0, 0), 'northwind-university': tenant(1, 6), 'lakeside-state': tenant(1, 6, 'guard') },
    runs: [{ pid: 4242, startedAt: at(0), endedAt: at(12), status: 'halted' }],
  });
}
