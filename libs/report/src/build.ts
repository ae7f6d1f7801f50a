import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { PriceError, priceFilePath, priceSourceLine, readPriceFile, type PriceFile } from '@hafleet/cost';
import { replaceDirAtomic } from '@hafleet/fs-safe';
import { loadFleetConfig, stackLibsDigest, tenantSpecFiles } from '@hafleet/tenant-spec';
import { collectTenant, readRollouts, type TenantReport } from './collect.js';
import { costTotals, type CostTotals } from './cost-fleet.js';
import { readArchitecture } from './diagram/architecture.js';
import { architectureDot } from './diagram/dot.js';
import { inlineSvg, renderSvgs } from './diagram/render.js';
import { loadTenantStacks } from './fleet-stacks.js';
import { fleetPage, fleetRow, type FleetRow } from './site/fleet-page.js';
import { rolloutPage } from './site/rollout-page.js';
import { tenantPage } from './site/tenant-page.js';

export const REPORT_DIR = join('.hafleet', 'report');

export interface BuildReportOptions {
  readonly workspaceRoot: string;
  /** Default `<workspaceRoot>/.hafleet/report`. */
  readonly outDir?: string;
  readonly only?: readonly string[];
  /** Synthesise every tenant first (default: only tenants with no stack yet). */
  readonly synth?: boolean;
  /** Default `<workspaceRoot>/prices.json`. */
  readonly priceFile?: string;
  readonly onProgress?: (message: string) => void;
}

export interface BuiltReport {
  readonly dir: string;
  readonly index: string;
  readonly tenants: number;
  readonly rollouts: number;
  readonly totals: CostTotals;
  /** Milliseconds per phase, for the bench and the progress line. */
  readonly timings: Readonly<Record<'stacks' | 'collect' | 'diagrams' | 'write', number>>;
  /** Guardrail reports: reused from beside their stacks (written by synth), or evaluated again (none saved, or no longer matching). */
  readonly guardrails: { readonly reused: number; readonly evaluated: number };
}

/** `report.json` beside the pages: the fleet table and totals for machines. */
export interface ReportJson {
  readonly generatedAt: string;
  readonly priceSource: string;
  readonly tenants: readonly FleetRow[];
  readonly totals: CostTotals;
}

/**
 * Writes the fleet report: `index.html` (the fleet table), `tenants/<name>.html` (diagram, cost,
 * sizing, guardrails, plan, drift, runtime configuration), `rollouts/<id>.html` (a timeline per
 * journal) and `report.json`. Self-contained (inline style, script and SVG; no server, no
 * network). Built in a staging folder and put in place with renames, so a failed build leaves the
 * previous report as it was.
 */
export async function buildReport(options: BuildReportOptions): Promise<BuiltReport> {
  const workspaceRoot = resolve(options.workspaceRoot);
  const dir = resolve(options.outDir ?? join(workspaceRoot, REPORT_DIR));
  const say = options.onProgress ?? (() => {});
  const generatedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const clock = () => performance.now();
  let t0 = clock();

  const tenants = await loadTenantStacks({ workspaceRoot, only: options.only, synth: options.synth, onProgress: say });
  const stacksMs = clock() - t0;
  say(`read ${tenants.length} synthesized stack(s)`);

  t0 = clock();
  let prices: PriceFile | undefined;
  let pricesError: string | undefined;
  try {
    prices = readPriceFile(options.priceFile ?? priceFilePath(workspaceRoot), workspaceRoot);
  } catch (error) {
    if (!(error instanceof PriceError)) throw error;
    pricesError = error.message;
  }
  const rollouts = readRollouts(workspaceRoot);
  const guardrails = { reused: 0, evaluated: 0 };
  const context = {
    workspaceRoot,
    prices,
    pricesError,
    rollouts,
    fleet: loadFleetConfig(workspaceRoot),
    fleetTenants: tenantSpecFiles(workspaceRoot).map((f) => basename(dirname(f))),
    libs: stackLibsDigest(workspaceRoot),
    onPolicy: (reused: boolean) => void (reused ? guardrails.reused++ : guardrails.evaluated++),
  };
  const reports: TenantReport[] = tenants.map((tenant, i) => {
    if ((i + 1) % 250 === 0) say(`[${i + 1}/${tenants.length}] guardrails, plans, costs`);
    return collectTenant(tenant, context);
  });
  const collectMs = clock() - t0;
  say(`guardrails: ${guardrails.reused} report(s) reused from synth, ${guardrails.evaluated} evaluated`);

  t0 = clock();
  const dots = tenants.map(({ spec, stack }) => architectureDot(readArchitecture(spec.name, stack)));
  const svgs = await renderSvgs(dots, {
    onBatch: (done) => done % 250 < 50 && done < dots.length && say(`[${done}/${dots.length}] diagrams`),
  });
  const diagramsMs = clock() - t0;
  say(`laid out ${svgs.length} diagram(s)`);

  t0 = clock();
  mkdirSync(dirname(dir), { recursive: true });
  const staging = mkdtempSync(`${dir}.staging-`);
  try {
    mkdirSync(join(staging, 'tenants'));
    mkdirSync(join(staging, 'rollouts'));
    const rows = reports.map(fleetRow);
    const priceSource = prices ? priceSourceLine(prices) : (pricesError ?? 'no prices');
    const totals = costTotals(
      reports.filter((r) => r.cost).map((r) => ({ region: r.spec.region, band: r.spec.sizing.band.name, monthly: r.cost!.monthly })),
    );
    writeFileSync(join(staging, 'index.html'), fleetPage(rows, rollouts, { generatedAt, priceSource }));
    reports.forEach((report, i) =>
      writeFileSync(join(staging, 'tenants', `${report.spec.name}.html`), tenantPage(report, inlineSvg(svgs[i]!), { generatedAt })),
    );
    for (const rollout of rollouts) {
      if (rollout.journal)
        writeFileSync(join(staging, 'rollouts', `${rollout.id}.html`), rolloutPage(rollout.id, rollout.journal, { generatedAt }));
    }
    const json: ReportJson = { generatedAt, priceSource, tenants: rows, totals };
    writeFileSync(join(staging, 'report.json'), `${JSON.stringify(json, null, 2)}\n`);
    replaceDirAtomic(staging, dir);
    return {
      dir,
      index: join(dir, 'index.html'),
      tenants: reports.length,
      rollouts: rollouts.filter((r) => r.journal).length,
      totals,
      timings: { stacks: stacksMs, collect: collectMs, diagrams: diagramsMs, write: clock() - t0 },
      guardrails,
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
