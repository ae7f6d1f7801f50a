import { fleetContext, forEachTenant, planTenant } from '@hafleet/fleet';
import { loadFleet } from '@hafleet/tenant-spec';
import { formatPlanSummary } from '@hafleet/terraform';
import { FLEET_OPTIONS, maxParallel, selectedTenants, type Command } from '../command.js';
import { progress, reportOutcomes } from '../output.js';

export const plan: Command = {
  name: 'plan',
  usage: '[tenant...] [--max-parallel N] [--json]',
  summary: 'terraform plan of the synthesized stacks, with a summary per tenant',
  options: FLEET_OPTIONS,
  async run({ args, options, workspaceRoot }) {
    const tenants = loadFleet(workspaceRoot, { only: selectedTenants(args) }).map((t) => t.spec.name);
    const ctx = fleetContext(workspaceRoot);
    const outcomes = await forEachTenant(tenants, (t) => planTenant(ctx, t), {
      maxParallel: maxParallel(options),
      onProgress: progress('plan', (p: Awaited<ReturnType<typeof planTenant>>) => formatPlanSummary(p.summary)),
    });
    return reportOutcomes(
      outcomes,
      {
        headers: ['tenant', 'add', 'change', 'destroy', 'replace', 'resources', 'result'],
        row: (o) => {
          if (!o.ok) return [o.tenant, '-', '-', '-', '-', '-', 'FAILED'];
          const s = o.value.summary;
          return [o.tenant, s.add, s.change, s.destroy, s.replace, s.resourceCount, 'planned'];
        },
      },
      options['json'] === true,
    );
  },
};
