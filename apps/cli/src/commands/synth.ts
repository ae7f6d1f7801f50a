import { synthesizeTenants } from '@hafleet/tenant-stack';
import { selectedTenants, type Command } from '../command.js';

export const synth: Command = {
  name: 'synth',
  usage: '[tenant...]',
  summary: 'validate the fleet and synthesise Terraform JSON into cdktf.out/stacks/<tenant>',
  async run({ args, workspaceRoot }) {
    const stacks = synthesizeTenants({ workspaceRoot, only: selectedTenants(args) });
    console.log(`synthesized ${stacks.length} stack(s): ${stacks.map((s) => s.tenant).join(', ')}`);
    return 0;
  },
};
