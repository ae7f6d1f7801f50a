import { relative } from 'node:path';
import {
  SavedPlanError,
  fleetContext,
  planNotes,
  readSavedPlan,
  renderPlanMarkdown,
  renderPlanTable,
  tenantLocation,
  writeFleetPlanView,
  type FleetPlanEntry,
} from '@hafleet/fleet';
import { loadFleet } from '@hafleet/tenant-spec';
import { EXIT, JSON_OPTION, TENANT_ONLY_OPTION, defineCommand, selectedTenants } from '../command.js';

export const show = defineCommand({
  name: 'show',
  args: '[tenant...]',
  summary: 'the saved plans apply would run, as a table (or --markdown for a PR comment); rewrites .hafleet/plan-summary.{json,md}',
  options: {
    ...JSON_OPTION,
    markdown: { type: 'boolean', description: 'the fleet view as markdown (a pull-request comment) on stdout' },
    ...TENANT_ONLY_OPTION,
  },
  examples: ['npx fleet show', 'npx fleet show --markdown > plan.md', 'npx fleet show harbour-health --json'],
  async run({ args, options, workspaceRoot }) {
    const named = selectedTenants(args);
    const tenants = loadFleet(workspaceRoot, { only: named }).map((t) => t.spec.name);
    const ctx = fleetContext(workspaceRoot);
    const entries: FleetPlanEntry[] = [];
    for (const tenant of tenants) {
      try {
        entries.push({ tenant, plan: readSavedPlan(ctx, tenantLocation(ctx, tenant)) });
      } catch (error) {
        // The whole fleet: tenants never planned are simply not in the view. A named tenant must have a plan.
        if (!named && error instanceof SavedPlanError && error.reason === 'missing') continue;
        entries.push({ tenant, error: (error as Error).message });
      }
    }
    if (!options['tenant-only']) {
      const view = writeFleetPlanView(workspaceRoot, entries);
      console.error(`wrote ${relative(workspaceRoot, view.markdownFile)}, ${relative(workspaceRoot, view.jsonFile)}`);
    }
    if (options['markdown']) {
      process.stdout.write(renderPlanMarkdown(entries));
    } else if (options['json']) {
      console.log(JSON.stringify(entries, null, 2));
    } else if (entries.length === 0) {
      console.log('no saved plans — run `npx fleet plan` (or `npx nx run-many -t plan`) first');
    } else {
      console.log(renderPlanTable(entries));
      for (const note of planNotes(entries)) console.log(`\n${note}`);
      for (const e of entries) if (e.error) console.error(`\n${e.error}`);
    }
    return entries.some((e) => e.error) ? EXIT.failed : EXIT.ok;
  },
});
