import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TENANTS_DIR, TENANT_SPEC_FILE } from './load.js';
import { DEFAULT_OUTDIR, STACK_FILE, stackDir } from './workspace-layout.js';

/**
 * What a synthesized stack was made from, written beside `cdk.tf.json` by synth, so that plan and
 * apply can tell a stack that no longer matches its spec, `fleet.json`, the libraries or the mode
 * (a plan of a stale stack is a plan of the past). Terraform ignores the file (not `*.tf.json`).
 */
export const STACK_INPUTS_FILE = 'hafleet-inputs.json';

export interface StackInputs {
  readonly tenant: string;
  /** sha256 of each input; `libs` covers every library source file and the lockfile. */
  readonly spec: string;
  readonly fleet: string;
  readonly libs: string;
  readonly mode: string;
}

/** A stack laid out by a test fixture rather than synthesised from a spec: planned as it is. */
export interface FixtureStackInputs {
  readonly tenant: string;
  readonly fixture: string;
}

const hash = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const fileHash = (file: string): string => (existsSync(file) ? hash(readFileSync(file)) : 'absent');

/** Libraries synthesis never loads (operations, tooling): a change there leaves every stack current. */
const NOT_SYNTHESIS = new Set(['fleet', 'rollout', 'onboarding', 'nx-plugin', 'testing', 'terraform']);

/** Sources of the libraries synthesis may load (tests excluded) and the lockfile: one digest, a few ms. */
function libsDigest(workspaceRoot: string): string {
  const libs = join(workspaceRoot, 'libs');
  const digest = createHash('sha256');
  const files = existsSync(libs)
    ? readdirSync(libs, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && /\.(ts|json)$/.test(e.name) && !/\.test\.ts$/.test(e.name))
        .filter(
          (e) =>
            !NOT_SYNTHESIS.has(e.parentPath.slice(libs.length + 1).split(/[\\/]/)[0]!) && !/node_modules|__snapshots__/.test(e.parentPath),
        )
        .map((e) => join(e.parentPath, e.name))
        .sort()
    : [];
  for (const file of [...files, join(workspaceRoot, 'package-lock.json')])
    digest.update(`${file.slice(workspaceRoot.length)}\0${fileHash(file)}\0`);
  return digest.digest('hex');
}

/** The inputs a tenant's stack would be synthesised from now. `libs` may be passed in when computed once for many tenants. */
export function currentStackInputs(workspaceRoot: string, tenant: string, mode: string, libs = libsDigest(workspaceRoot)): StackInputs {
  return {
    tenant,
    spec: fileHash(join(workspaceRoot, TENANTS_DIR, tenant, TENANT_SPEC_FILE)),
    fleet: fileHash(join(workspaceRoot, 'fleet.json')),
    libs,
    mode,
  };
}

export { libsDigest as stackLibsDigest };

const WHAT: Record<Exclude<keyof StackInputs, 'tenant'>, (tenant: string) => string> = {
  spec: (tenant) => `${TENANTS_DIR}/${tenant}/${TENANT_SPEC_FILE} changed`,
  fleet: () => 'fleet.json changed',
  libs: () => 'the libraries (libs/) or package-lock.json changed',
  mode: () => 'HAFLEET_MODE changed',
};

export type StackFreshness =
  { readonly status: 'fresh' } | { readonly status: 'fixture' } | { readonly status: 'missing' | 'stale'; readonly reason: string };

/**
 * Whether the synthesized stack of `tenant` in `dir` (default its folder under `cdktf.out`) is what
 * synth would write now. `stale` names what changed since; `missing`: never synthesised, or by a
 * hafleet that kept no record.
 */
export function stackFreshness(options: {
  workspaceRoot: string;
  tenant: string;
  mode: string;
  dir?: string;
  libs?: string;
}): StackFreshness {
  const { workspaceRoot, tenant, mode, libs } = options;
  const dir = options.dir ?? stackDir(join(workspaceRoot, DEFAULT_OUTDIR), tenant);
  const record = join(dir, STACK_INPUTS_FILE);
  if (!existsSync(join(dir, STACK_FILE))) return { status: 'missing', reason: 'never synthesised' };
  if (!existsSync(record))
    return { status: 'missing', reason: `the stack has no ${STACK_INPUTS_FILE} (synthesised by an older hafleet or by hand)` };
  let saved: Partial<StackInputs & FixtureStackInputs>;
  try {
    saved = JSON.parse(readFileSync(record, 'utf8')) as Partial<StackInputs & FixtureStackInputs>;
  } catch {
    return { status: 'stale', reason: `${STACK_INPUTS_FILE} is unreadable` };
  }
  if (typeof saved.fixture === 'string') return { status: 'fixture' };
  const now = currentStackInputs(workspaceRoot, tenant, mode, libs);
  const changed = (Object.keys(WHAT) as Array<keyof typeof WHAT>).filter((key) => saved[key] !== now[key]);
  return changed.length === 0
    ? { status: 'fresh' }
    : { status: 'stale', reason: `${changed.map((key) => WHAT[key](tenant)).join(', ')} since it was synthesised` };
}
