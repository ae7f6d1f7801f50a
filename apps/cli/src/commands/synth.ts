import { relative } from 'node:path';
import { summarisePolicy } from '@hafleet/guardrails';
import { TENANTS_PER_THREAD, synthesizeTenantsInParallel } from '@hafleet/tenant-stack';
import { EXIT, FLEET_OPTIONS, defineCommand, selectedTenants } from '../command.js';
import { nameList, progressLine } from '../output.js';
import { policyBrief } from '../policy-output.js';

export const synth = defineCommand({
  name: 'synth',
  args: '[tenant...]',
  summary:
    'validate the fleet and synthesise Terraform JSON into cdktf.out/stacks/<tenant>; fails (writing nothing) on any unsuppressed guardrail error',
  details: `With --max-parallel N (default 2), up to N tenants are synthesised at once, each in a thread of its
own (a run of fewer than ${TENANTS_PER_THREAD} tenants a thread uses fewer threads); all are checked before any is written.`,
  options: { ...FLEET_OPTIONS },
  examples: ['npx fleet synth', 'npx fleet synth harbour-health --json', 'npx fleet synth --max-parallel 4'],
  async run({ args, options, workspaceRoot }) {
    const progress = progressLine('synth');
    let stacks;
    try {
      stacks = await synthesizeTenantsInParallel({
        workspaceRoot,
        only: selectedTenants(args),
        maxParallel: options['max-parallel'],
        onTenant: progress.update,
      });
    } finally {
      progress.end();
    }
    if (options.json) {
      const items = stacks.map((s) => ({
        tenant: s.tenant,
        changed: s.changed,
        file: relative(workspaceRoot, s.file),
        guardrails: summarisePolicy(s.policy),
      }));
      console.log(JSON.stringify(items, null, 2));
      return EXIT.ok;
    }
    const changed = stacks.filter((s) => s.changed).map((s) => s.tenant);
    const unchanged = stacks.length - changed.length;
    console.log(
      `synthesized ${stacks.length} stack(s): ${changed.length} changed${changed.length ? ` (${nameList(changed)})` : ''}, ${unchanged} unchanged`,
    );
    console.log(
      policyBrief(
        stacks.map((s) => s.policy),
        { errors: false },
      ).join('\n'),
    );
    return EXIT.ok;
  },
});
