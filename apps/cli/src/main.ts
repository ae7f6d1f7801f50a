/**
 * `fleet`: the operators' CLI (`npm run fleet -- <command>`). Thin: each command in commands/
 * parses its arguments, calls the libs and prints. Exit codes: 0 ok, 1 a tenant or terraform
 * failed, 2 bad input (spec, fleet config or arguments).
 */
import { UsageError, exitWith, runCommand } from './command.js';
import { COMMANDS } from './commands/index.js';

async function usage(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map(([, load]) => load()));
  const lines = commands.map((c) => `  ${c.name} ${c.usage}\n      ${c.summary}`);
  return `usage: fleet <command> [tenant...] [options]

commands:
${lines.join('\n')}

common options: --json (machine-readable output), --max-parallel N (tenants at once, default 2), -h/--help

Tenants default to the whole fleet. HAFLEET_MODE=offline (default) plans with no AWS account;
HAFLEET_MODE=remote uses the fleet's S3 state and real credentials.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    console.log(await usage());
    return name ? 0 : 2;
  }
  const load = COMMANDS.find(([known]) => known === name)?.[1];
  if (!load) throw new UsageError(`unknown command "${name}" — fix: one of ${COMMANDS.map(([known]) => known).join(', ')} (fleet --help)`);
  return runCommand(await load(), rest);
}

exitWith(main(process.argv.slice(2)));
