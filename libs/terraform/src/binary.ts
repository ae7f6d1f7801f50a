import { spawn } from 'node:child_process';

export type Env = Record<string, string | undefined>;

/** Oldest Terraform we support (the runner relies on `terraform_data` and current `-json` output). */
export const MIN_TERRAFORM_VERSION = '1.10.0';

const FIX = 'install Terraform >= 1.10 and put it on PATH, or set TERRAFORM_BINARY=/path/to/terraform';

export class TerraformNotFoundError extends Error {
  constructor(
    readonly binary: string,
    reason: string,
  ) {
    super(`Terraform not usable at "${binary}": ${reason}. Fix: ${FIX}.`);
    this.name = 'TerraformNotFoundError';
  }
}

export interface TerraformBinary {
  /** What to spawn: the TERRAFORM_BINARY value or `terraform` (looked up on PATH). */
  path: string;
  version: string;
}

/**
 * Finds the terraform binary by actually running `<binary> version -json`: a spawn is the only
 * check that covers missing files, wrong permissions, wrong architecture and too-old versions.
 */
export async function resolveTerraformBinary(env: Env = process.env): Promise<TerraformBinary> {
  const path = env['TERRAFORM_BINARY']?.trim() || 'terraform';
  // A dangling TF_CLI_CONFIG_FILE only produces warnings; keep them out of this probe.
  const probeEnv: Env = { ...env, CHECKPOINT_DISABLE: '1' };
  delete probeEnv['TF_CLI_CONFIG_FILE'];

  const { code, stdout, error } = await new Promise<{ code: number | null; stdout: string; error?: Error }>((resolve) => {
    let stdout = '';
    const child = spawn(path, ['version', '-json'], { env: probeEnv, stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', (error) => resolve({ code: null, stdout, error }));
    child.on('close', (code) => resolve({ code, stdout }));
  });
  if (error) throw new TerraformNotFoundError(path, error.message);
  if (code !== 0) throw new TerraformNotFoundError(path, `"${path} version -json" exited with ${code}`);

  let version: string | undefined;
  try {
    version = (JSON.parse(stdout) as { terraform_version?: string }).terraform_version;
  } catch {
    // handled below
  }
  if (!version) throw new TerraformNotFoundError(path, 'it did not report a version (is it really terraform?)');
  if (compareVersions(version, MIN_TERRAFORM_VERSION) < 0) {
    throw new TerraformNotFoundError(path, `version ${version} is older than ${MIN_TERRAFORM_VERSION}`);
  }
  return { path, version };
}

/** Compares dotted numeric versions ("1.11.4" vs "1.10.0"); pre-release suffixes are ignored. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) =>
    v
      .split('-')[0]!
      .split('.')
      .map((n) => Number.parseInt(n, 10) || 0);
  const [pa, pb] = [parse(a), parse(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}
