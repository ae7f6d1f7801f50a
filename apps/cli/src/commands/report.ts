import { relative } from 'node:path';
import { DiagramError, buildReport } from '@hafleet/report';
import { usd } from '@hafleet/cost';
import { EXIT, JSON_OPTION, defineCommand, selectedTenants } from '../command.js';

export const report = defineCommand({
  name: 'report',
  args: '[tenant...]',
  summary:
    'write the fleet report to .hafleet/report/: a static site (fleet table, tenant pages with diagram and cost, rollout timelines) to open in a browser',
  details: `Reads the synthesized stacks in cdktf.out (tenants never synthesised are synthesised first; --synth
synthesises all), the saved plans and drift checks in .hafleet/tenants, the rollout journals in
.hafleet/rollouts and the prices in prices.json. Needs Graphviz (\`dot\`) for the diagrams. With --json: the build
(folder, tenants, cost totals, time per phase); the fleet table is in report.json.`,
  options: { synth: { type: 'boolean', description: 'synthesise the selected tenants first' }, ...JSON_OPTION },
  examples: ['npx fleet report', 'npx fleet report northwind-university --synth'],
  async run({ args, options, workspaceRoot }) {
    try {
      const built = await buildReport({
        workspaceRoot,
        only: selectedTenants(args),
        synth: options['synth'] === true,
        onProgress: (m) => console.error(m),
      });
      if (options['json'] === true) {
        console.log(JSON.stringify(built, null, 2));
        return EXIT.ok;
      }
      const seconds = Object.values(built.timings).reduce((a, b) => a + b, 0) / 1000;
      console.log(
        `fleet report: ${built.tenants} tenant(s), ${built.rollouts} rollout(s), ${usd(built.totals.monthly)} a month estimated, in ${seconds.toFixed(1)} s`,
      );
      console.log(`open ${relative(process.cwd(), built.index) || built.index}`);
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof DiagramError)) throw error;
      console.error(error.message);
      return EXIT.failed;
    }
  },
});
