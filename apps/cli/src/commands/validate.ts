import { fleetContext, forEachTenant, validateTenantStack } from '@hafleet/fleet';
import { loadFleet } from '@hafleet/tenant-spec';
import { FLEET_OPTIONS, maxParallel, selectedTenants, type Command } from '../command.js';
import { progress, reportOutcomes } from '../output.js';

export const validate: Command = {
  name: 'validate',
  usage: '[tenant...] [--terraform]',
  summary: 'check specs and fleet rules; --terraform also runs terraform validate on the synthesized stacks',
  options: { ...FLEET_OPTIONS, terraform: { type: 'boolean', default: false } },
  async run({ args, options, workspaceRoot }) {
    const tenants = loadFleet(workspaceRoot, { only: selectedTenants(args) }).map((t) => t.spec.name);
    if (!options['terraform']) {
      console.log(`${tenants.length} tenant spec(s) valid: ${tenants.join(', ')}`);
      return 0;
    }
    const ctx = fleetContext(workspaceRoot);
    const outcomes = await forEachTenant(tenants, (t) => validateTenantStack(ctx, t), {
      maxParallel: maxParallel(options),
      onProgress: progress('validate'),
    });
    return reportOutcomes(outcomes, { headers: ['tenant', 'terraform validate'], row: (o) => [o.tenant, o.ok ? 'valid' : 'INVALID'] }, options['json'] === true);
  },
};
