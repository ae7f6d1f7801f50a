import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '@hafleet/fs-safe';
import { STACK_FILE } from '@hafleet/tenant-spec';
import type { TerraformRunner } from '@hafleet/terraform';
import { sha256 } from './hash.js';
import type { FleetContext, StackLocation } from './tenant-terraform.js';

const INIT_RECORD = 'init.json';
const LOCK_FILE = '.terraform.lock.hcl';

/**
 * `terraform init`, skipped when this work folder is already initialised for exactly what init
 * reads: the stack's backend and required providers, and the CLI config (provider mirror). Init is
 * a tenth of a warm offline plan; skipping it is what keeps a fleet plan close to plain terraform.
 * Synth replaces the stack folder, dropping the dependency lock file: it is put back from the copy
 * kept here. Terraform still checks the installed providers against that lock file on every plan,
 * so a stale skip fails loudly — and the record is dropped then, so the next run initialises.
 */
export async function ensureInitialised(
  ctx: FleetContext,
  location: StackLocation,
  runner: TerraformRunner,
): Promise<'initialised' | 'reused'> {
  const record = join(location.workDir, INIT_RECORD);
  const lockFile = join(location.dir, LOCK_FILE);
  const key = initKey(ctx, location);
  const saved = existsSync(record) ? (JSON.parse(readFileSync(record, 'utf8')) as { key?: string; lock?: string | null }) : undefined;
  if (saved?.key === key && saved.lock !== undefined && existsSync(join(location.workDir, '.terraform', 'terraform.tfstate'))) {
    if (saved.lock !== null && !existsSync(lockFile)) writeFileAtomic(lockFile, saved.lock);
    return 'reused';
  }
  rmSync(record, { force: true });
  await runner.init();
  // A stack without providers has no lock file.
  writeJsonAtomic(record, { key, lock: existsSync(lockFile) ? readFileSync(lockFile, 'utf8') : null });
  return 'initialised';
}

/** Forget the initialisation, so the next run runs `terraform init` again (after a failure). */
export function forgetInitialisation(location: StackLocation): void {
  rmSync(join(location.workDir, INIT_RECORD), { force: true });
}

function initKey(ctx: FleetContext, location: StackLocation): string {
  const stack = JSON.parse(readFileSync(join(location.dir, STACK_FILE), 'utf8')) as {
    terraform?: { backend?: unknown; required_providers?: unknown };
  };
  const cliConfig = ctx.cliConfigFile && existsSync(ctx.cliConfigFile) ? readFileSync(ctx.cliConfigFile, 'utf8') : '';
  return sha256(
    JSON.stringify([stack.terraform?.backend, stack.terraform?.required_providers, cliConfig, ctx.env['TERRAFORM_BINARY'] ?? '']),
  );
}
