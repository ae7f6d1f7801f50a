import { InputError } from '@hafleet/entry-point';
import { nearest } from '@hafleet/tenant-spec';

export { nearest };

/**
 * Typed command-line options: one definition per option both parses the arguments and writes the
 * command's --help, so help cannot leave an option out. A small parser of our own rather than
 * node:util parseArgs, because parseArgs cannot tell an invalid value from a missing one, calls a
 * negative number "ambiguous" and suggests nothing for a misspelt flag.
 */

interface BaseOption {
  /** One line for --help. */
  readonly description: string;
}
export interface BooleanOption extends BaseOption {
  readonly type: 'boolean';
  readonly short?: string;
}
export interface StringOption extends BaseOption {
  readonly type: 'string';
  /** Placeholder in --help, e.g. `<tenant>:<address>`. */
  readonly value: string;
  /** A valid value, for help and for the fix in error messages. */
  readonly example: string;
  readonly default?: string;
  /** Repeatable: the values are collected in order. */
  readonly multiple?: boolean;
  readonly choices?: readonly string[];
  /** What is wrong with a value (without the flag: the caller adds it), or undefined when valid. */
  readonly check?: (value: string) => string | undefined;
}
export interface IntegerOption extends BaseOption {
  readonly type: 'integer';
  readonly value: string;
  readonly example: string;
  readonly default?: number;
  readonly min: number;
  readonly max: number;
}
export type OptionDef = BooleanOption | StringOption | IntegerOption;
export type OptionDefs = Readonly<Record<string, OptionDef>>;

type ValueOf<D extends OptionDef> = D extends BooleanOption
  ? boolean
  : D extends IntegerOption
    ? D extends { default: number }
      ? number
      : number | undefined
    : D extends { multiple: true }
      ? string[]
      : D extends { default: string }
        ? string
        : string | undefined;

/** The parsed options of a definition table, typed per option. */
export type OptionValues<O extends OptionDefs> = { -readonly [K in keyof O]: ValueOf<O[K]> };

/** Bad arguments: exit 2 with the message. */
export class UsageError extends InputError {}

export interface ParsedArguments<O extends OptionDefs> {
  readonly positionals: string[];
  readonly options: OptionValues<O>;
  readonly help: boolean;
}

const looksLikeFlag = (token: string): boolean => /^--?[A-Za-z]/.test(token);

/**
 * Parses `argv` against `defs`. Throws UsageError naming the flag, the value and the fix for an
 * unknown flag (with the nearest known one), a missing or invalid value, or an option given twice.
 * `command` (e.g. `fleet plan`) is used in the messages.
 */
export function parseOptions<O extends OptionDefs>(defs: O, argv: readonly string[], command: string): ParsedArguments<O> {
  const fail = (message: string): never => {
    throw new UsageError(`${command}: ${message}`);
  };
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  let help = false;
  const shorts = new Map(
    Object.entries(defs).flatMap(([name, def]) => (def.type === 'boolean' && def.short ? [[def.short, name] as const] : [])),
  );

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!looksLikeFlag(token)) {
      positionals.push(token);
      continue;
    }
    if (token === '-h' || token === '--help') {
      help = true;
      continue;
    }
    const long = token.startsWith('--');
    const eq = token.indexOf('=');
    const flag = long ? token.slice(2, eq > 0 ? eq : undefined) : token.slice(1);
    const name = long ? flag : shorts.get(flag);
    const def = name === undefined ? undefined : defs[name];
    if (!name || !def) {
      const near = nearest(long ? flag : token.slice(1), [...Object.keys(defs), 'help']);
      fail(
        `unknown option ${long ? `--${flag}` : token}${near ? ` — did you mean --${near}?` : ''} — fix: ` +
          `${near ? `--${near}, or see` : 'see'} \`${command} --help\` for every option`,
      );
    }
    const option = def!;
    const shown = `--${name}`;
    if (option.type === 'boolean') {
      if (long && eq > 0) fail(`${shown} takes no value (got "${token.slice(eq + 1)}") — fix: ${shown} alone`);
      values[name!] = true;
      continue;
    }
    let raw: string;
    if (long && eq > 0) raw = token.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (looksLikeFlag(next) && !/^-\d/.test(next)))
        fail(`${shown} needs a value — fix: ${shown} ${option.example}`);
      raw = next!;
      i++;
    }
    const value = convert(option, shown, raw, fail);
    if (option.type === 'string' && option.multiple) {
      ((values[name!] as string[] | undefined) ??= []).push(value as string);
    } else {
      if (name! in values) fail(`${shown} given twice ("${String(values[name!])}" and "${raw}") — fix: give ${shown} once`);
      values[name!] = value;
    }
  }

  for (const [name, def] of Object.entries(defs)) {
    if (name in values) continue;
    if (def.type === 'boolean') values[name] = false;
    else if (def.type === 'string' && def.multiple) values[name] = [];
    else if (def.default !== undefined) values[name] = def.default;
  }
  return { positionals, options: values as OptionValues<O>, help };
}

function convert(option: StringOption | IntegerOption, shown: string, raw: string, fail: (message: string) => never): string | number {
  if (option.type === 'integer') {
    const range = `${option.min}–${option.max}`;
    if (!/^-?\d+$/.test(raw.trim()))
      fail(`${shown} "${raw}" is not a whole number — fix: a whole number ${range}, e.g. ${shown} ${option.example}`);
    const number = Number(raw.trim());
    if (!Number.isSafeInteger(number) || number < option.min || number > option.max)
      fail(`${shown} "${raw}" is out of range — fix: a whole number ${range}, e.g. ${shown} ${option.example}`);
    return number;
  }
  if (raw.trim() === '') fail(`${shown} "" is empty — fix: ${shown} ${option.example}`);
  if (option.choices && !option.choices.includes(raw)) {
    const near = nearest(raw, option.choices);
    fail(
      `${shown} "${raw}" is not one of ${option.choices.join(', ')}${near ? ` — did you mean ${near}?` : ''} — fix: e.g. ${shown} ${near ?? option.example}`,
    );
  }
  const problem = option.check?.(raw);
  if (problem) fail(problem.includes(' — fix: ') ? problem : `${shown} "${raw}" ${problem} — fix: e.g. ${shown} ${option.example}`);
  return raw;
}

/** The options section of --help: flag, value, description, default; generated from the definitions. */
export function describeOptions(defs: OptionDefs): string[] {
  const rows = Object.entries(defs).map(([name, def]) => {
    const short = def.type === 'boolean' && def.short ? `-${def.short}, ` : '';
    const flag = `${short}--${name}${def.type === 'boolean' ? '' : ` ${def.value}`}`;
    const extras = [
      def.type === 'string' && def.choices ? `one of ${def.choices.join(', ')}` : undefined,
      def.type === 'integer' ? `${def.min}–${def.max}` : undefined,
      def.type !== 'boolean' && def.default !== undefined ? `default ${def.default}` : undefined,
      def.type === 'string' && def.multiple ? 'repeatable' : undefined,
      def.type !== 'boolean' && def.default === undefined ? `e.g. ${def.example}` : undefined,
    ].filter(Boolean);
    return [flag, `${def.description}${extras.length ? ` (${extras.join('; ')})` : ''}`] as const;
  });
  rows.push(['-h, --help', 'this help']);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`);
}
