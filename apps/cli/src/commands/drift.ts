import { driftTenant, renderTable, type TenantDrift } from '@hafleet/fleet';
import { EXIT, defineCommand } from '../command.js';
import { FLEET_RUN_OPTIONS, runAcrossFleet } from '../fleet-run.js';

const describe = (d: TenantDrift): string =>
  !d.deployed
    ? 'not deployed (nothing in its state yet)'
    : d.drifted
      ? `DRIFTED: ${[...d.resources.map((r) => `${r.action} ${r.address}`), ...d.outputs.map((o) => `output ${o}`)].join(', ') || 'see terraform'} `
      : 'in sync';

export const drift = defineCommand({
  name: 'drift',
  args: '[tenant...]',
  summary: 'terraform plan -refresh-only -detailed-exitcode per tenant: which no longer match their state (exit 4)',
  options: FLEET_RUN_OPTIONS,
  examples: ['npx fleet drift', 'HAFLEET_MODE=remote npx fleet drift harbour-health --json'],
  async run(input) {
    const { outcomes } = await runAcrossFleet('drift', input, { each: (ctx, t, onStep) => driftTenant(ctx, t, { onStep }), describe });
    if (input.options['json']) {
      console.log(
        JSON.stringify(
          outcomes.map((o) => (o.ok ? o.value : { tenant: o.tenant, error: o.error.message })),
          null,
          2,
        ),
      );
    } else {
      const rows = outcomes.map((o) =>
        o.ok
          ? [
              o.tenant,
              !o.value.deployed ? 'not deployed' : o.value.drifted ? 'DRIFTED' : 'in sync',
              o.value.resources.length,
              o.value.outputs.length,
            ]
          : [o.tenant, 'FAILED', '-', '-'],
      );
      console.log(`\n${renderTable(['tenant', 'drift', 'resources', 'outputs'], rows)}`);
      for (const o of outcomes) {
        if (!o.ok) console.error(`\n${o.tenant}: ${o.error.message}`);
        else if (o.value.drifted) console.log(`\n${o.tenant}: ${describe(o.value)}`);
      }
    }
    if (outcomes.some((o) => !o.ok)) return EXIT.failed;
    return outcomes.some((o) => o.ok && o.value.drifted) ? EXIT.drift : EXIT.ok;
  },
});
