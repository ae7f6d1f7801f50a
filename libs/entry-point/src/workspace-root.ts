import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from './exit-codes.js';

/** The file that marks a workspace's root: Nx's own (fleet.json sits beside it). */
export const WORKSPACE_MARKER = 'nx.json';

/** Points a process at another workspace than the one its code lives in (tests and benchmarks use copies). */
export const WORKSPACE_ENV = 'HAFLEET_WORKSPACE';

/**
 * The workspace that `from` (a directory, a file, or a module's `import.meta.url`) belongs to:
 * the nearest directory at or above it holding nx.json.
 */
export function findWorkspaceRoot(from: string | URL): string {
  const start = resolve(typeof from === 'string' && !from.startsWith('file:') ? from : fileURLToPath(from));
  let dir = existsSync(start) && !statSync(start).isDirectory() ? dirname(start) : start;
  for (;;) {
    if (existsSync(join(dir, WORKSPACE_MARKER))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no ${WORKSPACE_MARKER} in ${start} or any folder above it: not inside a hafleet workspace`);
    dir = parent;
  }
}

/**
 * The workspace a process works on: $HAFLEET_WORKSPACE when set, else the one its code (`from`,
 * usually `import.meta.url`) belongs to, so `npx fleet` works from any folder.
 */
export function workspaceRootOf(from: string | URL, env: NodeJS.ProcessEnv = process.env): string {
  const override = env[WORKSPACE_ENV];
  if (!override) return findWorkspaceRoot(from);
  const root = resolve(override);
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new InputError(
      `${WORKSPACE_ENV}=${override} is not a folder — fix: point it at a workspace (the folder with ${WORKSPACE_MARKER}), or unset it`,
    );
  return root;
}
