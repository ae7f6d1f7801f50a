import { readFileSync } from 'node:fs';
import { shellQuote } from './shell.js';

/** The bash sources in `scripts/`, read once; renderers bake constants in front of them. */
const source = (name: string) => readFileSync(new URL(`./scripts/${name}`, import.meta.url), 'utf8');
let cache: { common: string; instance: string; provisioner: string } | undefined;
function sources() {
  cache ??= {
    common: source('common.sh'),
    instance: source('hafleet-instance.sh'),
    provisioner: source('hafleet-provision-database.sh'),
  };
  return cache;
}

export interface ScriptParts {
  /** First comment lines: what this script is, for whom. */
  readonly title: readonly string[];
  /** Values baked in at synth time, as `readonly NAME='value'`. */
  readonly constants: Record<string, string>;
  /** Extra bash (functions) placed before the body. */
  readonly functions?: string;
  readonly body: 'instance' | 'provisioner';
}

/** One self-contained bash script: header, constants, the shared functions, then the body. */
export function assembleScript(parts: ScriptParts): string {
  const all = sources();
  // Comment lines stay in the sources (scripts/*.sh): user data is limited to 16 KB.
  const strip = (text: string) =>
    text
      .split('\n')
      .filter((line) => !/^\s*#(?! shellcheck disable)/.test(line))
      .join('\n');
  const constants = Object.entries(parts.constants)
    .map(([name, value]) => `readonly ${name}=${shellQuote(value)}`)
    .join('\n');
  return [
    '#!/bin/bash',
    ...parts.title.map((line) => `# ${line}`),
    '# Rendered by @hafleet/instance-boot at synth time; the tenant values come from SSM and Secrets Manager.',
    'set -euo pipefail',
    'umask 022',
    '',
    constants,
    '# Every absolute path is below HAFLEET_ROOT: empty on an instance, a temporary directory in tests.',
    'ROOT="${HAFLEET_ROOT:-}"',
    'readonly ROOT',
    'export AWS_DEFAULT_REGION="$REGION"',
    strip(all.common),
    ...(parts.functions ? [parts.functions] : []),
    strip(all[parts.body]),
  ].join('\n');
}
