import { EXIT, workspaceRootOf, type ExitCode } from '@hafleet/entry-point';
import { UsageError, describeOptions, parseOptions, type OptionDefs, type OptionValues } from './options.js';

/** The workspace this CLI belongs to; HAFLEET_WORKSPACE points it at another (tests use copies). */
export const workspaceRoot = (): string => workspaceRootOf(import.meta.url);

export { EXIT, UsageError, type ExitCode };

export const JSON_OPTION = {
  json: { type: 'boolean', description: 'machine-readable JSON on stdout (progress and notes stay on stderr)' },
} as const satisfies OptionDefs;

/** For per-tenant Nx targets: each runs one tenant in its own process, so fleet-wide files are skipped. */
export const TENANT_ONLY_OPTION = {
  'tenant-only': {
    type: 'boolean',
    description: "write only the named tenants' files, not the fleet view or run report (what Nx targets pass)",
  },
} as const satisfies OptionDefs;

/** Options most fleet-wide commands share. */
export const FLEET_OPTIONS = {
  ...JSON_OPTION,
  'max-parallel': { type: 'integer', value: 'N', description: 'tenants worked on at once', example: '4', default: 2, min: 1, max: 64 },
} as const satisfies OptionDefs;

export interface CommandInput<O extends OptionDefs = OptionDefs> {
  /** Positional arguments after the command name (usually tenant names). */
  readonly args: string[];
  readonly options: OptionValues<O>;
  readonly workspaceRoot: string;
}

/** One `fleet <name>` command, in its own file under commands/. Returns its exit code, by name (EXIT). */
export interface Command<O extends OptionDefs = OptionDefs> {
  readonly name: string;
  /** Positional arguments for the usage line, e.g. `[tenant...]`; empty when there are none. */
  readonly args: string;
  readonly summary: string;
  /** More for `fleet <name> --help`, before the options. */
  readonly details?: string;
  /** Every option, typed: parses the arguments and writes --help. */
  readonly options: O;
  /** Whole command lines, shown by --help. */
  readonly examples: readonly string[];
  run(input: CommandInput<O>): Promise<ExitCode>;
}

/** Keeps each command's option types while listing commands together. */
export const defineCommand = <O extends OptionDefs>(command: Command<O>): Command => command as unknown as Command;

/** The named tenants, or undefined for the whole fleet. */
export const selectedTenants = (args: string[]): string[] | undefined => (args.length > 0 ? args : undefined);

/** `fleet <name> --help`: generated from the command's option definitions. */
export function commandHelp(command: Command): string {
  return [
    `usage: fleet ${command.name}${command.args ? ` ${command.args}` : ''}${Object.keys(command.options).length ? ' [options]' : ''}`,
    '',
    command.summary,
    ...(command.details ? ['', command.details] : []),
    '',
    'options:',
    ...describeOptions(command.options),
    '',
    'examples:',
    ...command.examples.map((e) => `  ${e}`),
  ].join('\n');
}

/** Parses a command's own arguments and runs it; `--help` prints its help. */
export async function runCommand(command: Command, argv: readonly string[], root: string = workspaceRoot()): Promise<ExitCode> {
  const parsed = parseOptions(command.options, argv, `fleet ${command.name}`);
  if (parsed.help) {
    console.log(commandHelp(command));
    return EXIT.ok;
  }
  return command.run({ args: parsed.positionals, options: parsed.options, workspaceRoot: root });
}
