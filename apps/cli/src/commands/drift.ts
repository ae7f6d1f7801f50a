import { relative } from 'node:path';
import { buildRunReport, driftTenant, fleetContext, forEachTenant, renderTable, runReportFile, writeRunReport, type TenantDrift } from '@hafleet/fleet';
import { loadFleet } from '@hafleet/tenant-spec';
import { EXIT, FLEET_OPTIONS, TENANT_ONLY_OPTION, defineCommand, selectedTenants } from '../command.js';
import { progress } from '../output.js';

const describe = (d: TenantDrift): string =>
  !d.deployed
    ? 'not deployed (nothing in its state yet)'
    : d.drifted ? `DRIFTED: ${[...d.resources.map((r) => `${r.action} ${r.address}`), ...d.outputs.map((o) => `output ${o}`)].join(', ') || 'see terraform'} ` : 'in sync';

export const drift = defineCommand({
  name: 'drift',
  args: '[tenant...]',
  summary: 'terraform plan -refresh-only -detailed-exitcode per tenant: which no longer match their state (exit 4)',
  options: { ...FLEET_OPTIONS, ...TENANT_ONLY_OPTION },
  examples: ['npx fleet drift', 'HAFLEET_MODE=remote npx fleet drift harbour-health --json'],
  async run({ args, options, workspaceRoot }) {
    const started = new Date();
    const tenants = loadFleet(workspaceRoot, { only: selectedTenants(args) }).map((t) => t.spec.name);
    const ctx = fleetContext(workspaceRoot);
    const outcomes = await forEachTenant(tenants, (t, step) => driftTenant(ctx, t, { onStep: step }), {
      maxParallel: options['max-parallel'],
      onProgress: progress('drift', describe),
    });
    if (!options['tenant-only']) {
      const reportFile = runReportFile(workspaceRoot, 'drift');
      writeRunReport(reportFile, buildRunReport('drift', started, outcomes, (d) => ({ status: 'succeeded', detail: describe(d).trim() })));
      console.error(`run report: ${relative(workspaceRoot, reportFile)}`);
    }
    if (options['json']) {
      console.log(JSON.stringify(outcomes.map((o) => (o.ok ? o.value : { tenant: o.tenant, error: o.error.message })), null, 2));
    } else {
      const rows = outcomes.map((o) => (o.ok ? [o.tenant, !o.value.deployed ? 'not deployed' : o.value.drifted ? 'DRIFTED' : 'in sync', o.value.resources.length, o.value.outputs.length] : [o.tenant, 'FAILED', '-', '-']));
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
