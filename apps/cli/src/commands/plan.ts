import { relative } from 'node:path';
import {
  planNotes,
  planTenant,
  renderPlanTable,
  staleTenants,
  writeFleetPlanView,
  type FleetPlanEntry,
  type TenantPlan,
} from '@hafleet/fleet';
import { formatPlanSummary } from '@hafleet/terraform';
import { EXIT, defineCommand } from '../command.js';
import { FLEET_RUN_OPTIONS, runAcrossFleet } from '../fleet-run.js';

const describePlan = (p: TenantPlan) =>
  `${formatPlanSummary(p.summary)}${p.summary.dataLoss.length ? `; ${p.summary.dataLoss.length} stateful resource(s) replaced or destroyed` : ''}`;

export const plan = defineCommand({
  name: 'plan',
  args: '[tenant...]',
  summary:
    'terraform plan per tenant (saved for apply; stale stacks are synthesised first), stateful losses flagged; fleet view in .hafleet/plan-summary.{json,md}',
  options: FLEET_RUN_OPTIONS,
  examples: [
    'npx fleet plan',
    'npx fleet plan harbour-health --json | jq .[0].summary',
    'HAFLEET_MODE=remote npx fleet plan --max-parallel 4',
  ],
  async run(input) {
    const { workspaceRoot, options } = input;
    const { outcomes } = await runAcrossFleet('plan', input, {
      // A plan is always of the current spec and libraries: stacks that are missing or stale are synthesised first.
      async prepare(ctx, tenants) {
        const stale = staleTenants(ctx, tenants);
        if (stale.length === 0) return;
        for (const { tenant, reason } of stale) console.error(`synth ${tenant} first: ${reason}`);
        const { synthesizeTenants } = await import('@hafleet/tenant-stack');
        synthesizeTenants({ workspaceRoot, only: stale.map((s) => s.tenant), outdir: ctx.outdir });
      },
      each: (ctx, t, onStep) => planTenant(ctx, t, { onStep }),
      describe: describePlan,
    });
    const entries: FleetPlanEntry[] = outcomes.map((o) =>
      o.ok ? { tenant: o.tenant, plan: o.value } : { tenant: o.tenant, error: o.error.message },
    );
    if (!options['tenant-only']) {
      const view = writeFleetPlanView(workspaceRoot, entries);
      console.error(`fleet view: ${[view.markdownFile, view.jsonFile].map((f) => relative(workspaceRoot, f)).join(', ')}`);
    }
    if (options['json']) {
      console.log(
        JSON.stringify(
          entries.map((e) => (e.plan ? { tenant: e.tenant, plannedAt: e.plan.plannedAt, summary: e.plan.summary } : e)),
          null,
          2,
        ),
      );
    } else {
      console.log(`\n${renderPlanTable(entries)}`);
      for (const note of planNotes(entries)) console.log(`\n${note}`);
      for (const e of entries) if (e.error) console.error(`\n${e.tenant}: ${e.error}`);
    }
    return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.failed;
  },
});
