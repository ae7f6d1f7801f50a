import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { RolloutInputError } from './errors.js';

/**
 * One process at a time per rollout: `.hafleet/locks/rollouts/<id>.lock`, created atomically.
 * The lock is written whole under a temporary name, then hard-linked to its name: link(2) fails
 * with EEXIST when the name exists (the O_EXCL of a file with content), so nobody ever reads a
 * half-written holder. A lock whose holder on this host no longer runs is stale: it is replaced
 * (one rename) under a short-lived break lock, after checking it is still that same stale file, so
 * two processes recovering at once cannot replace each other's fresh lock.
 */

export const ROLLOUT_LOCKS_DIR = join('.hafleet', 'locks', 'rollouts');

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

export interface JournalLock {
  readonly file: string;
  /** The stale holder this lock replaced (its process was gone), if any. */
  readonly recovered?: LockHolder;
  /** Removes the lock; also done when the process exits (a second Ctrl-C exits at once). */
  release(): void;
}

export const rolloutLockFile = (workspaceRoot: string, id: string): string => join(workspaceRoot, ROLLOUT_LOCKS_DIR, `${id}.lock`);

/** A break lock older than this belongs to a process that died between two file operations. */
const BREAK_LOCK_STALE_MS = 10_000;

/** Lock files this process holds, with their content: removed on exit. */
const held = new Map<string, string>();
let exitHookInstalled = false;

/**
 * Takes the lock of rollout `id`; throws RolloutInputError naming the journal and the holder when
 * another process has it.
 */
export function lockRollout(workspaceRoot: string, id: string, journalFile: string): JournalLock {
  const file = rolloutLockFile(workspaceRoot, id);
  const show = (path: string) => relative(workspaceRoot, path) || path;
  const content = `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() } satisfies LockHolder)}\n`;
  mkdirSync(join(workspaceRoot, ROLLOUT_LOCKS_DIR), { recursive: true });
  for (let attempt = 0; attempt < 100; attempt++) {
    if (createExclusive(file, content)) {
      hold(file, content);
      return { file, release: () => releaseLock(file) };
    }
    const found = readHolder(file);
    if (found === 'gone') continue; // released meanwhile: try again
    if (found === 'unreadable' || holderAlive(found.holder)) {
      const who =
        found === 'unreadable'
          ? `a process whose lock ${show(file)} cannot be read`
          : `process ${found.holder.pid} on ${found.holder.host} since ${found.holder.since}`;
      const fix =
        found === 'unreadable' || found.holder.host !== hostname()
          ? `if no process runs it any more, delete ${show(file)} and resume`
          : `wait for it to finish, or stop it with kill -INT ${found.holder.pid} and resume`;
      throw new RolloutInputError(`rollout ${id} (journal ${show(journalFile)}) is being run by ${who} — nothing was changed. Fix: ${fix}`);
    }
    if (takeOverStaleLock(file, found.raw, content)) {
      hold(file, content);
      return { file, recovered: found.holder, release: () => releaseLock(file) };
    }
  }
  throw new RolloutInputError(`rollout ${id} (journal ${show(journalFile)}): its lock ${show(file)} keeps changing hands — fix: try again`);
}

function createExclusive(file: string, content: string): boolean {
  const temp = `${file}.${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`;
  writeFileSync(temp, content);
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temp, { force: true });
  }
}

function readHolder(file: string): 'gone' | 'unreadable' | { raw: string; holder: LockHolder } {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const holder = JSON.parse(raw) as Partial<LockHolder>;
    if (Number.isInteger(holder.pid) && typeof holder.host === 'string' && typeof holder.since === 'string')
      return { raw, holder: holder as LockHolder };
  } catch {
    // not JSON: not a lock hafleet wrote
  }
  return 'unreadable';
}

/** Whether the holder may still run the rollout. One on another host cannot be checked from here: it counts as alive. */
function holderAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname() || holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Replaces the stale lock `raw` with ours if it is still there (false when another process got
 * there first). The replacement is one rename over the stale file: the lock name never stands
 * empty, so no third process can claim it between the removal and our claim.
 */
function takeOverStaleLock(file: string, raw: string, content: string): boolean {
  const breaker = `${file}.break`;
  if (!createExclusive(breaker, `${process.pid}\n`)) {
    try {
      if (Date.now() - statSync(breaker).mtimeMs > BREAK_LOCK_STALE_MS) rmSync(breaker, { force: true });
    } catch {
      // removed meanwhile
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20); // another process is recovering it: give it a moment
    return false;
  }
  try {
    const now = readHolder(file);
    if (typeof now !== 'object' || now.raw !== raw) return false;
    const temp = `${file}.${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`;
    writeFileSync(temp, content);
    renameSync(temp, file);
    return true;
  } finally {
    rmSync(breaker, { force: true });
  }
}

function hold(file: string, content: string): void {
  held.set(file, content);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => [...held.keys()].forEach(releaseLock));
  }
}

/** Removes the lock if it is still the one this process wrote. */
function releaseLock(file: string): void {
  const content = held.get(file);
  if (content === undefined) return;
  held.delete(file);
  try {
    if (readFileSync(file, 'utf8') === content) unlinkSync(file);
  } catch {
    // already gone
  }
}
