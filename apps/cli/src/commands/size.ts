import { renderTable } from '@hafleet/fleet';
import { SIZING_TABLE_HEADERS, bandRange, sizingRows } from '@hafleet/sizing';
import { SpecValidationError, inspectFleet } from '@hafleet/tenant-spec';
import { EXIT, JSON_OPTION, defineCommand, selectedTenants, type ExitCode } from '../command.js';

export const size = defineCommand({
  name: 'size',
  args: '[tenant...]',
  summary: "the sizing model's choice, the spec's overrides and the effective size of every field, with why",
  options: { ...JSON_OPTION },
  examples: ['npx fleet size', 'npx fleet size northwind-university', 'npx fleet size --json'],
  async run({ args, options, workspaceRoot }) {
    // One broken tenant does not hide the others: they are shown, and its problems follow (exit 2).
    const inspected = inspectFleet(workspaceRoot, { only: selectedTenants(args) });
    const specs = inspected.tenants.map((t) => t.spec);
    const code = (): ExitCode => {
      if (inspected.problems.length === 0) return EXIT.ok;
      console.error(new SpecValidationError(inspected.problems).message);
      return EXIT.usage;
    };
    if (options['json'] === true) {
      console.log(
        JSON.stringify(
          specs.map((spec) => ({ tenant: spec.name, ...spec.sizing })),
          null,
          2,
        ),
      );
      return code();
    }
    if (args.length === 0) {
      // The whole fleet at a glance; name tenants for the field-by-field view.
      const rows = specs.map(({ name, region, sizing, app, web, database, cache, network }) => [
        name,
        region,
        sizing.load.concurrentUsers,
        sizing.load.population,
        sizing.band.name,
        `${web.minCapacity}/${web.desiredCapacity}/${web.maxCapacity} × ${app.instanceType}`,
        `${database.engine} ${database.instanceClass}`,
        cache.nodeType,
        network.natGateways,
        sizing.decisions.filter((d) => d.source === 'spec').length,
      ]);
      console.log(
        renderTable(
          ['tenant', 'region', 'users', 'population', 'band', 'web min/desired/max', 'database', 'cache', 'NAT', 'overrides'],
          rows,
        ),
      );
      return code();
    }
    for (const { name, sizing } of specs) {
      const { band, load, environment } = sizing;
      console.log(
        `${name}: ${band.name} band (${bandRange(band)} concurrent users) ` +
          `for ${load.concurrentUsers.toLocaleString('en-US')} concurrent users of ` +
          `${load.population.toLocaleString('en-US')}, ${environment}\n`,
      );
      console.log(`${renderTable(SIZING_TABLE_HEADERS, sizingRows(sizing))}\n`);
    }
    return code();
  },
});
