import { violations } from '@hafleet/guardrails';
import { loadFleet } from '@hafleet/tenant-spec';
import { evaluateTenantPolicies, wafOverrides } from '@hafleet/tenant-stack';
import { EXIT, JSON_OPTION, defineCommand, selectedTenants } from '../command.js';
import { findingLines, policyJson, policySummaryTable, policyTable, wafOverrideTable } from '../policy-output.js';

export const policy = defineCommand({
  name: 'policy',
  args: '[tenant...]',
  summary:
    'run the guardrails over freshly synthesised stacks (nothing written): rule, resource, result per tenant; exit 1 on any unsuppressed error',
  options: { ...JSON_OPTION, all: { type: 'boolean', description: 'list every passing resource too, not only findings' } },
  examples: ['npx fleet policy', 'npx fleet policy harbour-health --all', 'npx fleet policy --json'],
  async run({ args, options, workspaceRoot }) {
    const reports = evaluateTenantPolicies({ workspaceRoot, only: selectedTenants(args) });
    const overrides = new Map(loadFleet(workspaceRoot, { only: selectedTenants(args) }).map(({ spec }) => [spec.name, wafOverrides(spec)]));
    if (options['json'] === true) {
      console.log(JSON.stringify(policyJson(reports, overrides), null, 2));
    } else {
      for (const report of reports) {
        console.log(`\n${report.tenant}\n\n${policyTable(report, options['all'] === true)}`);
        const lines = findingLines(report);
        if (lines.length > 0) console.log(`\n${lines.join('\n')}`);
        console.log(
          `\nWAF exemptions (HAF-WAF-005/006 hold the web ACLs to exactly these)\n\n${wafOverrideTable(overrides.get(report.tenant) ?? [])}`,
        );
      }
      console.log(`\n${policySummaryTable(reports)}`);
    }
    return reports.some((r) => violations(r).length > 0) ? EXIT.failed : EXIT.ok;
  },
});
