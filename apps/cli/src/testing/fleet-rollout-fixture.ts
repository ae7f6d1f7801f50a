/**
 * Test support, never shipped: `fleet rollout` exactly as the CLI runs it (same command, options,
 * progress, journal, signal handling, exit codes), with the fixture driver instead of the real
 * stacks, so tests can run it in a child process, interrupt it with real signals and resume it.
 * Usage: tsx apps/cli/src/testing/fleet-rollout-fixture.ts rollout <args...> (HAFLEET_WORKSPACE=<copy>)
 */
import { runMain } from '@hafleet/entry-point';
import { fixtureDriver } from '@hafleet/rollout/testing';
import { UsageError, runCommand, type ExitCode } from '../command.js';
import { createRolloutCommand } from '../commands/rollout.js';

const command = createRolloutCommand({ driver: (root) => fixtureDriver(root) });

async function main([name, ...rest]: string[]): Promise<ExitCode> {
  if (name !== command.name) throw new UsageError(`only "${command.name}" runs here`);
  return runCommand(command, rest);
}

await runMain(() => main(process.argv.slice(2)));
