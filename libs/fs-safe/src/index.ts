import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes that are all-or-nothing: a reader (or a crash) sees the old content or the new, never
 * half of it. Every file hafleet writes for people or terraform goes through here.
 */

const uniqueSuffix = () => `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** Writes `content` to a temp file beside `file`, then renames it over `file`. */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${uniqueSuffix()}.tmp`;
  try {
    writeFileSync(temp, content);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Puts the finished folder `source` at `target` with renames only, replacing what was there. */
export function replaceDirAtomic(source: string, target: string): void {
  mkdirSync(dirname(target), { recursive: true });
  if (!existsSync(target)) {
    renameSync(source, target);
    return;
  }
  const old = `${target}.old-${uniqueSuffix()}`;
  renameSync(target, old);
  renameSync(source, target);
  rmSync(old, { recursive: true, force: true });
}
