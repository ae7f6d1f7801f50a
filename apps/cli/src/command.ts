import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpecValidationError } from '@hafleet/tenant-spec';
import { UsageError, describeOptions, parseOptions, type OptionDefs, type OptionValues } from './options.js';

/** The workspace this CLI belongs to; HAFLEET_WORKSPACE points it at another (tests use copies). */
export const workspaceRoot = resolve(process.env['HAFLEET_WORKSPACE'] ?? resolve(fileURLToPath(import.meta.url), '../../../..'));

export { UsageError };

/**
 * Exit codes, the same for every command: 0 ok; 1 a tenant or terraform failed; 2 bad input
 * (spec, fleet config, arguments); 3 apply refused a plan that would lose data; 4 drift found;
 * 130 interrupted (Ctrl-C; 143 for SIGTERM).
 * When several apply, the lowest non-zero code wins (a failure hides neither: both are printed).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3, drift: 4, interrupted: 130 } as const;

export const JSON_OPTION = { json: { type: 'boolean', description: 'machine-readable JSON on stdout (progress and notes stay on stderr)' } } as const satisfies OptionDefs;

/** For per-tenant Nx targets: each runs one tenant in its own process, so fleet-wide files are skipped. */
export const TENANT_ONLY_OPTION = {
  'tenant-only': { type: 'boolean', description: 'write only the named tenants\' files, not the fleet view or run report (what Nx targets pass)' },
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

/** One `fleet <name>` command, in its own file under commands/. Returns the exit code. */
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
  run(input: CommandInput<O>): Promise<number>;
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
export async function runCommand(command: Command, argv: readonly string[], root: string = workspaceRoot): Promise<number> {
  const parsed = parseOptions(command.options, argv, `fleet ${command.name}`);
  if (parsed.help) {
    console.log(commandHelp(command));
    return EXIT.ok;
  }
  return command.run({ args: parsed.positionals, options: parsed.options, workspaceRoot: root });
}

/** The exit code of an error: bad input (spec, fleet config, arguments) is 2, anything else 1. */
export const exitCodeOf = (error: unknown): number => (error instanceof SpecValidationError || error instanceof UsageError ? EXIT.usage : EXIT.failed);

/** Sets the process exit code from a CLI run, printing the error (one message, no stack trace). */
export function exitWith(run: Promise<number>): void {
  run.then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = exitCodeOf(error);
    },
  );
}
