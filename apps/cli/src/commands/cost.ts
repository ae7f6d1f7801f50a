import { relative } from 'node:path';
import { COST_TABLE_HEADERS, PriceError, costRows, priceFilePath, readPriceFile, usd } from '@hafleet/cost';
import { renderTable } from '@hafleet/fleet';
import { costFleet, refreshPriceFile, renderCostTotals } from '@hafleet/report';
import { EXIT, JSON_OPTION, defineCommand, selectedTenants } from '../command.js';

export const cost = defineCommand({
  name: 'cost',
  args: '[tenant...]',
  summary: 'estimated monthly on-demand cost per tenant from its synthesized stack, the price file and stated usage assumptions',
  details: `Without tenants: one row per tenant and totals by region and band. With tenants: every priced item,
its quantity, unit price and where the quantity comes from (the stack, or a stated assumption).
Prices come from prices.json (offline) unless --refresh-prices.`,
  options: {
    ...JSON_OPTION,
    synth: {
      type: 'boolean',
      description: 'synthesise the tenants first (default: read cdktf.out; tenants never synthesised are synthesised)',
    },
    'refresh-prices': {
      type: 'boolean',
      description: 'fetch the prices the fleet needs from the AWS Price List API (AWS credentials needed) and rewrite prices.json',
    },
  },
  examples: ['npx fleet cost', 'npx fleet cost northwind-university --json', 'npx fleet cost --refresh-prices'],
  async run({ args, options, workspaceRoot }) {
    const file = priceFilePath(workspaceRoot);
    try {
      const only = selectedTenants(args);
      const progress = (message: string) => console.error(message);
      if (options['refresh-prices'] === true) {
        const refreshed = await refreshPriceFile({ workspaceRoot, file, onProgress: progress });
        console.error(
          `wrote ${relative(workspaceRoot, file)}: ${refreshed.fetched} prices fetched, ` +
            `${refreshed.carriedOver.length + refreshed.notFound.length} kept from the previous file`,
        );
      }
      const fleet = await costFleet({
        workspaceRoot,
        only,
        synth: options['synth'] === true,
        prices: readPriceFile(file, workspaceRoot),
        onProgress: progress,
      });
      if (options['json'] === true) {
        console.log(JSON.stringify({ priceSource: fleet.priceSource, estimates: fleet.estimates, totals: fleet.totals }, null, 2));
        return EXIT.ok;
      }
      if (only) {
        for (const estimate of fleet.estimates) {
          console.log(`\n${estimate.tenant} (${estimate.region}): ${usd(estimate.monthly)} a month, on-demand\n`);
          console.log(renderTable(COST_TABLE_HEADERS, costRows(estimate)));
          console.log(`\nassumptions:\n${estimate.assumptions.map((a) => `  - ${a}`).join('\n')}`);
        }
      } else {
        console.log(
          renderTable(
            ['tenant', 'region', 'band', 'profile', 'monthly'],
            fleet.estimates.map((e) => [e.tenant, e.region, fleet.bands[e.tenant] ?? '', e.usage.profile, usd(e.monthly)]),
          ),
        );
        console.log(`\n${renderCostTotals(fleet.totals)}`);
      }
      console.log(`\nprices: ${fleet.priceSource}`);
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof PriceError)) throw error;
      console.error(error.message);
      return EXIT.usage;
    }
  },
});
