import { exitCodeFrom } from '@hafleet/entry-point';
import { EXIT, UsageError, commandHelp, runCommand, workspaceRoot, type ExitCode } from './command.js';
import { COMMANDS } from './commands/index.js';
import { nearest } from './options.js';

/** `fleet --help`: every command with its summary; each command's own --help lists its options. */
async function usage(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map(([, load]) => load()));
  const width = Math.max(...commands.map((c) => c.name.length));
  return `usage: fleet <command> [arguments] [options]     (npx fleet …, or npm run fleet -- …)

commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

fleet <command> --help lists every option of a command, with defaults and examples.
Tenants default to the whole fleet. HAFLEET_MODE=offline (default) plans with no AWS account;
HAFLEET_MODE=remote uses the fleet's S3 state and real credentials.
Exit codes: 0 ok, 1 a tenant or terraform failed, 2 bad input (spec, fleet.json, arguments),
3 apply refused to lose a stateful resource, 4 drift found, 130/143 interrupted.`;
}

/**
 * The whole CLI, in process: parses `argv` (`<command> [args] [options]`), runs the command and
 * returns its exit code; every error is printed (one message, no stack trace) and mapped to its code.
 */
export function fleetCli(argv: readonly string[], root?: string): Promise<ExitCode> {
  return exitCodeFrom(async () => {
    const [name, ...rest] = argv;
    if (!name || name === '-h' || name === '--help' || name === 'help') {
      const topic = name === 'help' ? rest[0] : undefined;
      const known = topic && COMMANDS.find(([n]) => n === topic);
      console.log(known ? commandHelp(await known[1]()) : await usage());
      return name ? EXIT.ok : EXIT.usage;
    }
    const load = COMMANDS.find(([known]) => known === name)?.[1];
    if (!load) {
      const near = nearest(
        name,
        COMMANDS.map(([known]) => known),
      );
      throw new UsageError(
        `unknown command "${name}"${near ? ` — did you mean "${near}"?` : ''} — fix: one of ${COMMANDS.map(([known]) => known).join(', ')} (fleet --help)`,
      );
    }
    return runCommand(await load(), rest, root ?? workspaceRoot());
  });
}
