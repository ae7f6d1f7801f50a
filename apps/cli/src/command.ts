import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SpecValidationError } from '@hafleet/tenant-spec';

/** The workspace this CLI belongs to; HAFLEET_WORKSPACE points it at another (tests use copies). */
export const workspaceRoot = resolve(process.env['HAFLEET_WORKSPACE'] ?? resolve(fileURLToPath(import.meta.url), '../../../..'));

/** Bad arguments: exit 2 with the message. */
export class UsageError extends Error {}

/**
 * Exit codes, the same for every command: 0 ok; 1 a tenant or terraform failed; 2 bad input
 * (spec, fleet config, arguments); 3 apply refused a plan that would lose data; 4 drift found.
 * When several apply, the lowest non-zero code wins (a failure hides neither: both are printed).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3, drift: 4 } as const;

/** For per-tenant Nx targets: each runs one tenant in its own process, so fleet-wide files are skipped. */
export const TENANT_ONLY_OPTION = { 'tenant-only': { type: 'boolean', default: false } } as const satisfies NonNullable<ParseArgsConfig['options']>;

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface CommandInput {
  /** Positional arguments after the command name (usually tenant names). */
  readonly args: string[];
  readonly options: OptionValues;
  readonly workspaceRoot: string;
}

/** One `fleet <name>` command, in its own file under commands/. Returns the exit code. */
export interface Command {
  readonly name: string;
  /** `fleet <name> <usage>`, one line. */
  readonly usage: string;
  readonly summary: string;
  /** More for `fleet <name> --help`, e.g. every option. */
  readonly details?: string;
  readonly options?: NonNullable<ParseArgsConfig['options']>;
  run(input: CommandInput): Promise<number>;
}

/** Options most fleet-wide commands share. */
export const FLEET_OPTIONS = {
  json: { type: 'boolean', default: false },
  'max-parallel': { type: 'string', default: '2' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export function maxParallel(options: OptionValues): number {
  const value = Number(options['max-parallel']);
  if (!Number.isInteger(value) || value < 1) {
    throw new UsageError(`--max-parallel "${String(options['max-parallel'])}" must be a whole number ≥ 1 — fix: e.g. --max-parallel 4`);
  }
  return value;
}

/** The named tenants, or undefined for the whole fleet. */
export const selectedTenants = (args: string[]): string[] | undefined => (args.length > 0 ? args : undefined);

/** Parses a command's own arguments and runs it; `--help` prints its usage. */
export async function runCommand(command: Command, argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { ...command.options, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} — fix: fleet ${command.name} ${command.usage}`);
  }
  if (parsed.values.help) {
    console.log(`usage: fleet ${command.name} ${command.usage}\n\n${command.summary}${command.details ? `\n\n${command.details}` : ''}`);
    return EXIT.ok;
  }
  return command.run({ args: parsed.positionals, options: parsed.values, workspaceRoot });
}

/** Sets the process exit code from a CLI run: bad input (spec, config, arguments) is 2. */
export function exitWith(run: Promise<number>): void {
  run.then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = error instanceof SpecValidationError || error instanceof UsageError ? EXIT.usage : EXIT.failed;
    },
  );
}
