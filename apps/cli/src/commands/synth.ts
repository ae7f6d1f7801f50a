import { relative } from 'node:path';
import { synthesizeTenants } from '@hafleet/tenant-stack';
import { JSON_OPTION, defineCommand, selectedTenants } from '../command.js';
import { policyBrief } from '../policy-output.js';

export const synth = defineCommand({
  name: 'synth',
  args: '[tenant...]',
  summary: 'validate the fleet and synthesise Terraform JSON into cdktf.out/stacks/<tenant>; fails (writing nothing) on any unsuppressed guardrail error',
  options: { ...JSON_OPTION },
  examples: ['npx fleet synth', 'npx fleet synth harbour-health --json'],
  async run({ args, options, workspaceRoot }) {
    const stacks = synthesizeTenants({ workspaceRoot, only: selectedTenants(args) });
    if (options.json) {
      console.log(JSON.stringify(stacks.map((s) => ({ tenant: s.tenant, file: relative(workspaceRoot, s.file) })), null, 2));
      return 0;
    }
    console.log(`synthesized ${stacks.length} stack(s): ${stacks.map((s) => s.tenant).join(', ')}`);
    console.log(policyBrief(stacks.map((s) => s.policy), { errors: false }).join('\n'));
    return 0;
  },
});
