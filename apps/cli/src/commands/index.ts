import type { Command } from '../command.js';

/**
 * Every `fleet` command, in the order `fleet --help` lists them. Each loads on demand, so a
 * command pays only for the libraries it uses (the AWS SDK, cdktf, the sizing model...).
 */
export const COMMANDS: ReadonlyArray<readonly [name: string, load: () => Promise<Command>]> = [
  ['onboard', async () => (await import('./onboard.js')).onboard],
  ['size', async () => (await import('./size.js')).size],
  ['validate', async () => (await import('./validate.js')).validate],
  ['synth', async () => (await import('./synth.js')).synth],
  ['policy', async () => (await import('./policy.js')).policy],
  ['plan', async () => (await import('./plan.js')).plan],
  ['show', async () => (await import('./show.js')).show],
  ['apply', async () => (await import('./apply.js')).apply],
  ['drift', async () => (await import('./drift.js')).drift],
  ['rollout', async () => (await import('./rollout.js')).rollout],
  ['cost', async () => (await import('./cost.js')).cost],
  ['report', async () => (await import('./report.js')).report],
  ['dr', async () => (await import('./dr.js')).dr],
  ['bootstrap', async () => (await import('./bootstrap.js')).bootstrap],
  ['schema', async () => (await import('./schema.js')).schema],
];
