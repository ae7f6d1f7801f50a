import { fleetContext, forEachTenant, validateTenantStack } from '@hafleet/fleet';
import { violations } from '@hafleet/guardrails';
import { SpecValidationError, inspectFleet } from '@hafleet/tenant-spec';
import { evaluateTenantPolicies } from '@hafleet/tenant-stack';
import { EXIT, FLEET_OPTIONS, defineCommand, selectedTenants } from '../command.js';
import { progress, reportOutcomes } from '../output.js';
import { policyBrief } from '../policy-output.js';

export const validate = defineCommand({
  name: 'validate',
  args: '[tenant...]',
  summary:
    'check specs, fleet rules and the guardrails (on a fresh synthesis, nothing written); --terraform also runs terraform validate on the synthesized stacks',
  options: {
    ...FLEET_OPTIONS,
    terraform: { type: 'boolean', description: 'also run terraform init -backend=false and terraform validate on each synthesized stack' },
  },
  examples: ['npx fleet validate', 'npx fleet validate harbour-health --terraform --max-parallel 4'],
  async run({ args, options, workspaceRoot }) {
    // One broken tenant does not hide the others: they are checked, and its problems end the report (exit 2).
    const inspected = inspectFleet(workspaceRoot, { only: selectedTenants(args) });
    const tenants = inspected.tenants.map((t) => t.spec.name);
    const broken = () => {
      if (inspected.problems.length === 0) return EXIT.ok;
      console.error(new SpecValidationError(inspected.problems).message);
      return EXIT.usage;
    };
    if (tenants.length === 0) return broken();
    const reports = evaluateTenantPolicies({ workspaceRoot, only: tenants });
    const policyCode = reports.some((r) => violations(r).length > 0) ? EXIT.failed : EXIT.ok;
    // With --json, stdout is the terraform outcomes only.
    const say = options['json'] === true && options['terraform'] ? console.error : console.log;
    if (!options['terraform']) say(`${tenants.length} tenant spec(s) valid: ${tenants.join(', ')}`);
    say(policyBrief(reports, { errors: true }).join('\n'));
    if (!options['terraform']) return broken() || policyCode;
    const ctx = fleetContext(workspaceRoot);
    const outcomes = await forEachTenant(tenants, (t) => validateTenantStack(ctx, t), {
      maxParallel: options['max-parallel'],
      onProgress: progress('validate'),
    });
    const terraformCode = reportOutcomes(
      outcomes,
      { headers: ['tenant', 'terraform validate'], row: (o) => [o.tenant, o.ok ? 'valid' : 'INVALID'] },
      options['json'] === true,
    );
    return broken() || policyCode || terraformCode;
  },
});
