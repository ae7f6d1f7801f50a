import {
  anyPriceFile,
  awsPriceListClient,
  estimateCost,
  neededKeys,
  priceSourceLine,
  readPriceFile,
  refreshPrices,
  tenantCostInput,
  usd,
  writePriceFile,
  type CostEstimate,
  type PriceFile,
  type PriceListClient,
  type RefreshResult,
} from '@hafleet/cost';
import { renderTable } from '@hafleet/fleet';
import { existsSync } from 'node:fs';
import { loadTenantStacks, type LoadStacksOptions, type TenantWithStack } from './fleet-stacks.js';

/** Monthly totals of a set of estimates, by region and by size band. */
export interface CostTotals {
  readonly monthly: number;
  readonly byRegion: Readonly<Record<string, { tenants: number; monthly: number }>>;
  readonly byBand: Readonly<Record<string, { tenants: number; monthly: number }>>;
}

export interface FleetCost {
  readonly estimates: CostEstimate[];
  /** Band name per tenant. */
  readonly bands: Readonly<Record<string, string>>;
  readonly totals: CostTotals;
  readonly priceSource: string;
}

const cents = (value: number) => Math.round(value * 100) / 100;

export function costTotals(rows: ReadonlyArray<{ region: string; band: string; monthly: number }>): CostTotals {
  const byRegion: Record<string, { tenants: number; monthly: number }> = {};
  const byBand: Record<string, { tenants: number; monthly: number }> = {};
  for (const row of rows) {
    for (const [table, key] of [
      [byRegion, row.region],
      [byBand, row.band],
    ] as const) {
      const entry = (table[key] ??= { tenants: 0, monthly: 0 });
      entry.tenants++;
      entry.monthly = cents(entry.monthly + row.monthly);
    }
  }
  return { monthly: cents(rows.reduce((sum, r) => sum + r.monthly, 0)), byRegion, byBand };
}

export function renderCostTotals(totals: CostTotals): string {
  const rows = (table: CostTotals['byRegion']) =>
    Object.entries(table)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, t]) => [key, t.tenants, usd(t.monthly)]);
  return [
    renderTable(['region', 'tenants', 'monthly'], rows(totals.byRegion)),
    '',
    renderTable(['band', 'tenants', 'monthly'], rows(totals.byBand)),
    '',
    `fleet total: ${usd(totals.monthly)} a month`,
  ].join('\n');
}

export function estimateTenant({ spec, stack }: TenantWithStack, prices: PriceFile): CostEstimate {
  return estimateCost(tenantCostInput(spec, stack), prices);
}

/** Estimates of the selected tenants from their synthesized stacks and the given prices. */
export async function costFleet(options: LoadStacksOptions & { prices: PriceFile }): Promise<FleetCost> {
  const tenants = await loadTenantStacks(options);
  const estimates = tenants.map((t) => estimateTenant(t, options.prices));
  const bands = Object.fromEntries(tenants.map((t) => [t.spec.name, t.spec.sizing.band.name]));
  const totals = costTotals(estimates.map((e) => ({ region: e.region, band: bands[e.tenant]!, monthly: e.monthly })));
  return { estimates, bands, totals, priceSource: priceSourceLine(options.prices) };
}

/**
 * Rewrites the price file with the Price List API's prices for every key the whole fleet's
 * estimates use (and every key the file already had), atomically.
 */
export async function refreshPriceFile(options: {
  workspaceRoot: string;
  file: string;
  client?: PriceListClient;
  onProgress?: (message: string) => void;
}): Promise<RefreshResult> {
  const previous = existsSync(options.file) ? readPriceFile(options.file, options.workspaceRoot) : undefined;
  const tenants = await loadTenantStacks({ workspaceRoot: options.workspaceRoot, onProgress: options.onProgress });
  const any = anyPriceFile();
  const needed = neededKeys(
    tenants.map((t) => estimateTenant(t, any)),
    previous,
  );
  const client = options.client ?? (await awsPriceListClient());
  const result = await refreshPrices(client, needed, previous, { onProgress: options.onProgress });
  writePriceFile(options.file, result.prices);
  return result;
}
