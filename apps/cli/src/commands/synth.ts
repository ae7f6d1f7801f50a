import { synthesizeTenants } from '@hafleet/tenant-stack';
import { selectedTenants, type Command } from '../command.js';
import { policyBrief } from '../policy-output.js';

export const synth: Command = {
  name: 'synth',
  usage: '[tenant...]',
  summary: 'validate the fleet and synthesise Terraform JSON into cdktf.out/stacks/<tenant>; fails (writing nothing) on any unsuppressed guardrail error',
  async run({ args, workspaceRoot }) {
    const stacks = synthesizeTenants({ workspaceRoot, only: selectedTenants(args) });
    console.log(`synthesized ${stacks.length} stack(s): ${stacks.map((s) => s.tenant).join(', ')}`);
    console.log(policyBrief(stacks.map((s) => s.policy), { errors: false }).join('\n'));
    return 0;
  },
};
