import {
  buildRunReport,
  fleetContext,
  forEachTenant,
  planNotes,
  planTenant,
  renderPlanTable,
  runReportFile,
  staleTenants,
  writeFleetPlanView,
  writeRunReport,
  type FleetPlanEntry,
  type TenantPlan,
} from '@hafleet/fleet';
import { loadFleet } from '@hafleet/tenant-spec';
import { formatPlanSummary } from '@hafleet/terraform';
import { relative } from 'node:path';
import { EXIT, FLEET_OPTIONS, TENANT_ONLY_OPTION, defineCommand, selectedTenants } from '../command.js';
import { progress } from '../output.js';

const describePlan = (p: TenantPlan) =>
  `${formatPlanSummary(p.summary)}${p.summary.dataLoss.length ? `; ${p.summary.dataLoss.length} stateful resource(s) replaced or destroyed` : ''}`;

export const plan = defineCommand({
  name: 'plan',
  args: '[tenant...]',
  summary: 'terraform plan per tenant (saved for apply; stale stacks are synthesised first), stateful losses flagged; fleet view in .hafleet/plan-summary.{json,md}',
  options: { ...FLEET_OPTIONS, ...TENANT_ONLY_OPTION },
  examples: ['npx fleet plan', 'npx fleet plan harbour-health --json | jq .[0].summary', 'HAFLEET_MODE=remote npx fleet plan --max-parallel 4'],
  async run({ args, options, workspaceRoot }) {
    const started = new Date();
    const tenants = loadFleet(workspaceRoot, { only: selectedTenants(args) }).map((t) => t.spec.name);
    const ctx = fleetContext(workspaceRoot);
    // A plan is always of the current spec and libraries: stacks that are missing or stale are synthesised first.
    const stale = staleTenants(ctx, tenants);
    if (stale.length > 0) {
      for (const { tenant, reason } of stale) console.error(`synth ${tenant} first: ${reason}`);
      const { synthesizeTenants } = await import('@hafleet/tenant-stack');
      synthesizeTenants({ workspaceRoot, only: stale.map((s) => s.tenant), outdir: ctx.outdir });
    }
    const outcomes = await forEachTenant(tenants, (t, step) => planTenant(ctx, t, { onStep: step }), {
      maxParallel: options['max-parallel'],
      onProgress: progress('plan', describePlan),
    });
    const entries: FleetPlanEntry[] = outcomes.map((o) => (o.ok ? { tenant: o.tenant, plan: o.value } : { tenant: o.tenant, error: o.error.message }));

    const files: string[] = [];
    if (!options['tenant-only']) {
      const view = writeFleetPlanView(workspaceRoot, entries);
      const reportFile = runReportFile(workspaceRoot, 'plan');
      writeRunReport(reportFile, buildRunReport('plan', started, outcomes, (p) => ({ status: 'succeeded', detail: describePlan(p) })));
      files.push(view.markdownFile, view.jsonFile, reportFile);
    }
    if (options['json']) {
      console.log(JSON.stringify(entries.map((e) => (e.plan ? { tenant: e.tenant, plannedAt: e.plan.plannedAt, summary: e.plan.summary } : e)), null, 2));
    } else {
      console.log(`\n${renderPlanTable(entries)}`);
      for (const note of planNotes(entries)) console.log(`\n${note}`);
      for (const e of entries) if (e.error) console.error(`\n${e.tenant}: ${e.error}`);
    }
    if (files.length) console.error(`\nwrote ${files.map((f) => relative(workspaceRoot, f)).join(', ')}`);
    return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.failed;
  },
});
