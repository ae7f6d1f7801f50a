import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Env } from './binary.js';

export const MIRROR_ENV = 'HAFLEET_PROVIDER_MIRROR';

/** Folders searched for a pre-populated provider mirror (CI images, air-gapped hosts). */
export const DEFAULT_MIRROR_CANDIDATES = ['/opt/tf-plugins', '/usr/local/share/terraform/plugins', '/usr/share/terraform/plugins'];

export class ProviderMirrorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderMirrorError';
  }
}

const isDir = (path: string) => existsSync(path) && statSync(path).isDirectory();

/**
 * Picks the filesystem provider mirror to use, or undefined to download from the registry as usual.
 * HAFLEET_PROVIDER_MIRROR wins (`none` disables); otherwise the first candidate holding hashicorp providers.
 */
export function resolveProviderMirror(options: { env?: Env; candidates?: readonly string[] } = {}): string | undefined {
  const { env = process.env, candidates = DEFAULT_MIRROR_CANDIDATES } = options;
  const fromEnv = env[MIRROR_ENV]?.trim();
  if (fromEnv) {
    if (fromEnv.toLowerCase() === 'none') return undefined;
    const path = resolve(fromEnv);
    if (!isDir(join(path, 'registry.terraform.io'))) {
      throw new ProviderMirrorError(
        `${MIRROR_ENV}=${fromEnv} is not a Terraform provider mirror: ${join(path, 'registry.terraform.io')} does not exist. ` +
          `Fix: point ${MIRROR_ENV} at a folder made by "terraform providers mirror <dir>", ` +
          `set ${MIRROR_ENV}=none to download providers from the registry, or unset it.`,
      );
    }
    return path;
  }
  const found = candidates.find((c) => isDir(join(c, 'registry.terraform.io', 'hashicorp')));
  return found === undefined ? undefined : resolve(found);
}

export const CLI_CONFIG_FILE_NAME = 'terraform.rc';

/** The CLI config text: hashicorp providers from the mirror, everything else from its registry. */
export function renderCliConfig(mirrorPath: string): string {
  const pattern = JSON.stringify('registry.terraform.io/hashicorp/*');
  return [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(resolve(mirrorPath))}`,
    `    include = [${pattern}]`,
    '  }',
    '  direct {',
    `    exclude = [${pattern}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * Writes the project's own CLI config (`<dir>/terraform.rc`) and returns its path. Written via
 * temp file + rename so parallel Nx tasks never see a half-written file; never touches ~/.terraformrc.
 */
export function writeCliConfig(dir: string, mirrorPath: string): string {
  mkdirSync(dir, { recursive: true });
  const target = join(resolve(dir), CLI_CONFIG_FILE_NAME);
  const temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temp, renderCliConfig(mirrorPath));
  renameSync(temp, target);
  return target;
}
